/**
 * Layout templates: the form body (`root`: one `data-testid="field-<name>"` wrapper per
 * top-level field, visibility rules, uiSchema-only dividers/descriptions), sub-form tables
 * (`subform` + `row`) and inline objects such as addresses (`inline`).
 */
import { Button, Divider, Typography } from "antd";
import { PlusOutlined } from "@ant-design/icons";
import type {
  ArrayFieldTemplateProps,
  ObjectFieldTemplateProps,
} from "@rjsf/utils";
import { pickText, type Locale, type LocalizedText } from "../../i18n/i18n.tsx";
import { ruleHolds, type VisibilityRule } from "../model/visibility.ts";

/** A uiSchema-only layout item: `"x-layout": [{id, kind, text, before}]` at the uiSchema root. */
export interface LayoutItem {
  id: string;
  kind: "divider" | "description";
  text?: LocalizedText;
  /** The field it stands before; absent = after the last field. */
  before?: string;
}

function localeOf(props: {
  registry: { formContext?: { locale?: Locale } };
}): Locale {
  return props.registry.formContext?.locale ?? "zh-CN";
}

function Decoration({ item, locale }: { item: LayoutItem; locale: Locale }) {
  const text = pickText(item.text, locale);
  if (item.kind === "divider") {
    return (
      <Divider data-testid={`layout-${item.id}`} titlePlacement="start">
        {text}
      </Divider>
    );
  }
  return (
    <Typography.Paragraph
      data-testid={`layout-${item.id}`}
      type="secondary"
      style={{ whiteSpace: "pre-wrap" }}
    >
      {text}
    </Typography.Paragraph>
  );
}

export function RootTemplate(props: ObjectFieldTemplateProps) {
  const locale = localeOf(props);
  const ui = (props.uiSchema ?? {}) as Record<string, any>;
  const data = (props.formData ?? {}) as Record<string, unknown>;
  const layout = (
    Array.isArray(ui["x-layout"]) ? ui["x-layout"] : []
  ) as LayoutItem[];
  const names = new Set(props.properties.map((p) => p.name));
  const before = (name?: string) =>
    layout.filter((item) =>
      name === undefined
        ? !item.before || !names.has(item.before)
        : item.before === name,
    );
  return (
    <div className="lz-form-body">
      {props.properties.map((property) => {
        const rule = ui[property.name]?.["x-visibleWhen"] as
          VisibilityRule | undefined;
        const visible = !property.hidden && (!rule || ruleHolds(rule, data));
        return (
          <div key={property.name}>
            {before(property.name).map((item) => (
              <Decoration key={item.id} item={item} locale={locale} />
            ))}
            {visible && (
              <div data-testid={`field-${property.name}`}>
                {property.content}
              </div>
            )}
          </div>
        );
      })}
      {before(undefined).map((item) => (
        <Decoration key={item.id} item={item} locale={locale} />
      ))}
    </div>
  );
}

/** One sub-form row: its cells side by side (labels are in the table header). */
export function RowTemplate(props: ObjectFieldTemplateProps) {
  return (
    <div className="lz-subform-row" style={{ display: "flex", gap: 8 }}>
      {props.properties.map((property) => (
        <div
          key={property.name}
          data-testid={`cell-${property.name}`}
          style={{ flex: "1 1 0", minWidth: 110 }}
        >
          {property.content}
        </div>
      ))}
    </div>
  );
}

/** An object's parts on one line (address: province, city, district, detail). */
export function InlineTemplate(props: ObjectFieldTemplateProps) {
  const title =
    (props.uiSchema?.["ui:title"] as string | undefined) ?? props.title;
  return (
    <div style={{ marginBottom: 16 }}>
      {title && (
        <div style={{ marginBottom: 8 }}>
          {props.required && (
            <span style={{ color: "#ff4d4f", marginInlineEnd: 4 }}>*</span>
          )}
          {title}
        </div>
      )}
      <div style={{ display: "flex", gap: 8, flexWrap: "wrap" }}>
        {props.properties.map((property) => (
          <div
            key={property.name}
            style={{
              flex: property.name === "detail" ? "2 1 240px" : "1 1 110px",
            }}
          >
            {property.content}
          </div>
        ))}
      </div>
    </div>
  );
}

/** A sub-form as a table: header of column titles, one row per item, "add row" below. */
export function SubformTemplate(props: ArrayFieldTemplateProps) {
  const locale = localeOf(props);
  const ui = (props.uiSchema ?? {}) as Record<string, any>;
  const columns = Object.keys(
    ((props.schema.items as Record<string, any>)?.properties ?? {}) as object,
  );
  const order = Array.isArray(ui.items?.["ui:order"])
    ? (ui.items["ui:order"] as string[]).filter((c) => columns.includes(c))
    : columns;
  const name = String(
    props.fieldPathId.path[props.fieldPathId.path.length - 1] ?? "rows",
  );
  const empty = locale === "en" ? "No rows yet" : "暂无数据";
  return (
    <div
      className="lz-subform"
      data-testid={`subform-${name}`}
      style={{ marginBottom: 16 }}
    >
      {(ui["ui:title"] || props.title) && (
        <div className="lz-subform-title" style={{ marginBottom: 8 }}>
          {props.required && (
            <span style={{ color: "#ff4d4f", marginInlineEnd: 4 }}>*</span>
          )}
          {String(ui["ui:title"] || props.title)}
        </div>
      )}
      <div
        className="lz-subform-head"
        style={{ display: "flex", gap: 8, paddingRight: 136 }}
      >
        {order.map((column) => (
          <div key={column} style={{ flex: "1 1 0", minWidth: 110 }}>
            {pickText(ui.items?.[column]?.["ui:title"], locale, column)}
          </div>
        ))}
      </div>
      {props.items.length ? (
        props.items
      ) : (
        <Typography.Text type="secondary">{empty}</Typography.Text>
      )}
      {/* The table's own errors (required, fewer rows than minItems): cells show theirs. */}
      {!props.hideError &&
        [...new Set([...(props.rawErrors ?? []), ...((props.errorSchema?.__errors as string[] | undefined) ?? [])])].map((error) => (
          <div key={error}>
            <Typography.Text type="danger">{error}</Typography.Text>
          </div>
        ))}
      {props.canAdd && !props.disabled && !props.readonly && (
        <Button
          size="small"
          icon={<PlusOutlined />}
          onClick={props.onAddClick}
          data-testid={`subform-add-${name}`}
          style={{ marginTop: 8 }}
        >
          {locale === "en" ? "Add row" : "添加一行"}
        </Button>
      )}
    </div>
  );
}
