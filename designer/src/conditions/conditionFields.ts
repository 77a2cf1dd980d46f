/**
 * A form's fields as the condition builder offers them: the field's title, the kind that
 * decides how a value is written, and for a select or radio field its options — the stored
 * value the condition compares with, and the label the admin reads (低 / 中 / 高, not
 * `low`). Read from the stored JSON Schema and uiSchema (`ui:title`, `ui:enumNames` as one
 * list or `{"zh-CN": […], "en": […]}`), in form order (`ui:order`).
 */
import { pickText, type Locale, type LocalizedText } from '../i18n/i18n.tsx';
import type { FieldKind } from './conditionBuilder.ts';

export interface ConditionFieldOption {
  value: string;
  label: string;
}

export interface ConditionField {
  name: string;
  title: string;
  kind: FieldKind;
  /** The values a select or radio field can hold, labelled; absent for free fields. */
  options?: ConditionFieldOption[];
}

type Json = Record<string, unknown>;
const asObject = (value: unknown): Json => (value && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : {});

export function kindOf(type: unknown): FieldKind {
  const first = Array.isArray(type) ? type.find((t) => t !== 'null') : type;
  return first === 'number' || first === 'integer' || first === 'boolean' ? first : 'string';
}

/** The label of option `index` in the locale; `ui:enumNames` is a list or a list per locale. */
export function optionLabel(enumNames: unknown, index: number, locale: Locale): string | undefined {
  if (Array.isArray(enumNames)) return pickText(enumNames[index] as LocalizedText, locale) || undefined;
  const lists = asObject(enumNames);
  const pick = (key: string) => (Array.isArray(lists[key]) ? (lists[key] as unknown[])[index] : undefined);
  const label = pick(locale) ?? pick('zh-CN') ?? pick('en');
  return typeof label === 'string' && label ? label : undefined;
}

export function conditionFieldsOf(form: { schema?: unknown; uiSchema?: unknown }, locale: Locale): ConditionField[] {
  const properties = asObject(asObject(form.schema).properties);
  const uiSchema = asObject(form.uiSchema);
  const order = Array.isArray(uiSchema['ui:order']) ? (uiSchema['ui:order'] as unknown[]) : [];
  const rank = (name: string) => (order.includes(name) ? order.indexOf(name) : order.length);
  return Object.entries(properties)
    .sort(([a], [b]) => rank(a) - rank(b))
    .map(([name, raw]) => {
      const property = asObject(raw);
      const ui = asObject(uiSchema[name]);
      const field: ConditionField = {
        name,
        title: pickText((ui['ui:title'] ?? property.title) as LocalizedText, locale, name),
        kind: kindOf(property.type),
      };
      // One value per record only: a multiselect holds a list, which `=` never matches.
      if (Array.isArray(property.enum)) {
        field.options = property.enum.map((value, index) => ({
          value: String(value),
          label: optionLabel(ui['ui:enumNames'], index, locale) ?? String(value),
        }));
      }
      return field;
    });
}
