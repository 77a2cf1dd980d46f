/**
 * Designer field list → stored schema + uiSchema (pure). See fieldTypes.ts for the
 * conventions; fromJsonSchema.ts is the inverse, and the pair round-trips losslessly for
 * everything the designer makes (test/unit/form-model.test.ts).
 */
import { DEFAULT_FILE_SIZE, LAYOUT_TYPES, type DesignField, type DesignForm, type Texts } from './fieldTypes.ts';
import { ruleToIf } from './visibility.ts';

type Json = Record<string, any>;

/** A localized text as stored: `{zh-CN, en}`, or the plain string when there is no English. */
export function storeText(text: Texts | undefined): unknown {
  if (!text) return undefined;
  return text.en ? { 'zh-CN': text['zh-CN'], en: text.en } : text['zh-CN'];
}

function hasText(text: Texts | undefined): boolean {
  return !!text && (!!text['zh-CN'] || !!text.en);
}

/** Drops undefined members so stored JSON has no noise (and equality checks are fair). */
export function compact<T extends Json>(value: T): T {
  for (const key of Object.keys(value)) if (value[key] === undefined) delete value[key];
  return value;
}

/** The base64 length of `bytes` plus room for the `data:<type>;base64,` header. */
export function dataUrlLength(bytes: number): number {
  return Math.ceil(bytes / 3) * 4 + 200;
}

function fileItemSchema(maxBytes: number): Json {
  return {
    type: 'object',
    required: ['name', 'type', 'size', 'dataUrl'],
    additionalProperties: false,
    properties: {
      name: { type: 'string', minLength: 1, maxLength: 255 },
      type: { type: 'string', maxLength: 255 },
      size: { type: 'integer', minimum: 0, maximum: maxBytes },
      dataUrl: { type: 'string', pattern: '^data:', maxLength: dataUrlLength(maxBytes) },
    },
  };
}

const ADDRESS_PARTS = ['province', 'city', 'district', 'detail'];
export const SIGNATURE_MAX_LENGTH = 300_000;

function enumOf(field: DesignField): string[] {
  return (field.options ?? []).map((o) => o.value);
}

/** The JSON Schema of one field (for `required`, see `toJsonSchema`); a personal field carries `x-personal`. */
export function fieldSchema(field: DesignField): Json {
  const schema = typeSchema(field);
  if (field.personal && field.type !== 'raw') schema['x-personal'] = field.personal;
  return schema;
}

function typeSchema(field: DesignField): Json {
  const limits = {
    minLength: field.minLength,
    maxLength: field.maxLength,
    pattern: field.pattern || undefined,
    minimum: field.minimum,
    maximum: field.maximum,
    minItems: field.minItems,
    maxItems: field.maxItems,
    default: field.defaultValue,
  };
  const string = () => compact({ type: 'string', minLength: limits.minLength, maxLength: limits.maxLength, pattern: limits.pattern, default: limits.default });
  switch (field.type) {
    case 'text':
    case 'textarea':
      return string();
    case 'number':
      return compact({ type: field.integer ? 'integer' : 'number', minimum: field.minimum, maximum: field.maximum, default: limits.default });
    case 'money':
      return compact({ type: 'number', 'x-widget': 'money', 'x-currency': field.currency ?? 'CNY', minimum: field.minimum, maximum: field.maximum, default: limits.default });
    case 'date':
      return compact({ type: 'string', format: 'date', default: limits.default });
    case 'datetime':
      return compact({ type: 'string', format: 'date-time', default: limits.default });
    case 'select':
    case 'radio':
      return compact({ type: 'string', enum: enumOf(field), default: limits.default });
    case 'multiselect':
    case 'checkbox':
      return compact({
        type: 'array',
        items: { type: 'string', enum: enumOf(field) },
        uniqueItems: true,
        minItems: field.minItems,
        maxItems: field.maxItems,
        default: limits.default,
      });
    case 'member':
      return compact({ ...string(), 'x-widget': 'user-picker' });
    case 'department':
      return compact({ ...string(), 'x-widget': 'department-picker' });
    case 'attachment':
    case 'image':
      return compact({
        type: 'array',
        'x-widget': field.type,
        items: fileItemSchema(field.maxFileSize ?? DEFAULT_FILE_SIZE),
        minItems: field.minItems,
        maxItems: field.maxItems,
      });
    case 'signature':
      return { type: 'string', 'x-widget': 'signature', pattern: '^data:image/png;base64,', maxLength: SIGNATURE_MAX_LENGTH };
    case 'address':
      return {
        type: 'object',
        'x-widget': 'address',
        additionalProperties: false,
        // Required address: province, city and detail must be filled (district may not exist).
        required: field.required ? ['province', 'city', 'detail'] : [],
        properties: Object.fromEntries(ADDRESS_PARTS.map((p) => [p, { type: 'string', maxLength: p === 'detail' ? 200 : 50 }])),
      };
    case 'serial':
      return { type: 'string', readOnly: true, 'x-serial': { prefix: field.serial?.prefix ?? '', digits: field.serial?.digits ?? 6 } };
    case 'lookup':
      return compact({ ...string(), 'x-lookup': { form: field.lookup?.form ?? '', field: field.lookup?.field ?? '' } });
    case 'formula':
      return { type: field.formulaType ?? 'number', readOnly: true, 'x-formula': field.formula ?? '' };
    case 'subform': {
      const columns = field.columns ?? [];
      return compact({
        type: 'array',
        items: {
          type: 'object',
          additionalProperties: false,
          required: columns.filter((c) => c.required).map((c) => c.key),
          properties: Object.fromEntries(columns.map((c) => [c.key, fieldSchema(c)])),
        },
        // A required sub-form needs at least one row.
        minItems: field.minItems ?? (field.required ? 1 : undefined),
        maxItems: field.maxItems,
      });
    }
    case 'raw':
      return structuredClone(field.raw?.schema ?? {});
    default:
      return {};
  }
}

/** The uiSchema of one field. */
export function fieldUi(field: DesignField): Json {
  if (field.type === 'raw') return structuredClone(field.raw?.ui ?? {});
  const ui: Json = { ...(field.uiExtra ?? {}) };
  ui['ui:title'] = storeText(field.label);
  if (hasText(field.help)) ui['ui:help'] = storeText(field.help);
  if (hasText(field.placeholder)) ui['ui:placeholder'] = storeText(field.placeholder);
  if (field.type === 'textarea') ui['ui:widget'] = 'textarea';
  if (field.type === 'radio') ui['ui:widget'] = 'radio';
  if (field.type === 'checkbox') ui['ui:widget'] = 'checkboxes';
  if (field.options) {
    const zh = field.options.map((o) => o.label['zh-CN']);
    ui['ui:enumNames'] = field.options.some((o) => o.label.en) ? { 'zh-CN': zh, en: field.options.map((o) => o.label.en) } : zh;
  }
  if (field.type === 'subform') {
    const columns = field.columns ?? [];
    ui.items = { 'ui:order': columns.map((c) => c.key), ...Object.fromEntries(columns.map((c) => [c.key, fieldUi(c)])) };
  }
  if (field.visibleWhen) ui['x-visibleWhen'] = { ...field.visibleWhen };
  return ui;
}

export interface StoredForm {
  key: string;
  /** The plain title the server stores (zh-CN, else English); the localized one is uiSchema `ui:title`. */
  title: string;
  schema: Json;
  uiSchema: Json;
}

export function toJsonSchema(form: DesignForm): StoredForm {
  const properties: Json = {};
  const required: string[] = [];
  const allOf: Json[] = [];
  const order: string[] = [];
  const layout: Json[] = [];
  const ui: Json = { 'ui:title': storeText(form.title) };
  let pending: Json[] = [];
  for (const field of form.fields) {
    if (LAYOUT_TYPES.includes(field.type)) {
      const item = compact({ id: field.key, kind: field.type, text: hasText(field.label) ? storeText(field.label) : undefined });
      pending.push(item);
      layout.push(item);
      continue;
    }
    for (const item of pending) item.before = field.key;
    pending = [];
    properties[field.key] = fieldSchema(field);
    ui[field.key] = fieldUi(field);
    order.push(field.key);
  }
  for (const field of form.fields) {
    if (!field.required || LAYOUT_TYPES.includes(field.type) || !(field.key in properties)) continue;
    if (field.visibleWhen) {
      allOf.push({ if: ruleToIf(field.visibleWhen, properties[field.visibleWhen.field]), then: { required: [field.key] } });
    } else required.push(field.key);
  }
  ui['ui:order'] = order;
  if (layout.length) ui['x-layout'] = layout;
  const { allOf: keptAllOf, ...rootExtra } = (form.rootExtra ?? {}) as Json;
  const schema: Json = { ...rootExtra, type: 'object', additionalProperties: false, required, properties };
  // allOf entries the designer did not generate (kept from a hand-written schema) come first.
  const branches = [...(Array.isArray(keptAllOf) ? keptAllOf : []), ...allOf];
  if (branches.length) schema.allOf = branches;
  const title = (form.title['zh-CN'] || form.title.en).trim();
  return { key: form.key, title, schema, uiSchema: ui };
}
