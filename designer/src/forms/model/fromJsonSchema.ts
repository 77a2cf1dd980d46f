/**
 * Stored schema + uiSchema → designer field list (pure), the inverse of toJsonSchema.ts.
 * Each property is recognised as a designer type and then checked: the type's generator must
 * give back exactly the stored schema, else the field is kept as `raw` (shown read-only in
 * the designer, stored verbatim). So loading and re-publishing never changes what the
 * designer did not make.
 */
import { FIELD_KEY_PATTERN, type DesignField, type DesignForm, type FieldOption, type FieldType, type Texts } from './fieldTypes.ts';
import { fieldSchema, fieldUi } from './toJsonSchema.ts';
import type { VisibilityRule } from './visibility.ts';
import { isPersonalKind } from '../../privacy/personalKinds.ts';

type Json = Record<string, any>;

export function readText(value: unknown): Texts | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return { 'zh-CN': value, en: '' };
  if (typeof value === 'object') {
    const v = value as Json;
    return { 'zh-CN': String(v['zh-CN'] ?? ''), en: String(v.en ?? '') };
  }
  return undefined;
}

/** Order-insensitive deep equality for JSON values. */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((v, i) => sameJson(v, b[i]));
  }
  if (!a || !b || typeof a !== 'object' || typeof b !== 'object') return false;
  const ka = Object.keys(a as Json).filter((k) => (a as Json)[k] !== undefined);
  const kb = Object.keys(b as Json).filter((k) => (b as Json)[k] !== undefined);
  return ka.length === kb.length && ka.every((k) => sameJson((a as Json)[k], (b as Json)[k]));
}

function detectType(schema: Json, ui: Json): FieldType {
  if (typeof schema['x-formula'] === 'string') return 'formula';
  if (schema['x-serial']) return 'serial';
  if (schema['x-lookup']) return 'lookup';
  const widgets: Record<string, FieldType> = {
    'user-picker': 'member',
    'department-picker': 'department',
    money: 'money',
    signature: 'signature',
    attachment: 'attachment',
    image: 'image',
    address: 'address',
  };
  if (typeof schema['x-widget'] === 'string') return widgets[schema['x-widget']] ?? 'raw';
  if (schema.type === 'string') {
    if (schema.format === 'date') return 'date';
    if (schema.format === 'date-time') return 'datetime';
    if (schema.format) return 'raw';
    if (Array.isArray(schema.enum)) return ui['ui:widget'] === 'radio' ? 'radio' : 'select';
    return ui['ui:widget'] === 'textarea' ? 'textarea' : 'text';
  }
  if (schema.type === 'number' || schema.type === 'integer') return 'number';
  if (schema.type === 'array' && Array.isArray(schema.items?.enum)) return ui['ui:widget'] === 'checkboxes' ? 'checkbox' : 'multiselect';
  if (schema.type === 'array' && schema.items?.type === 'object') return 'subform';
  return 'raw';
}

function readOptions(values: unknown[], enumNames: unknown): FieldOption[] {
  const zh: unknown[] = Array.isArray(enumNames) ? enumNames : ((enumNames as Json | undefined)?.['zh-CN'] ?? []);
  const en: unknown[] = Array.isArray(enumNames) ? [] : ((enumNames as Json | undefined)?.en ?? []);
  return values.map((value, i) => ({ value: String(value), label: { 'zh-CN': String(zh[i] ?? value), en: String(en[i] ?? '') } }));
}

const HANDLED_UI = ['ui:title', 'ui:help', 'ui:placeholder', 'ui:widget', 'ui:enumNames', 'x-visibleWhen', 'items'];

/** One property as a designer field, or `raw` when regenerating it would change anything. */
export function readField(key: string, schema: Json, ui: Json = {}, required = false): DesignField {
  const type = detectType(schema, ui);
  const raw = (): DesignField => ({ key, type: 'raw', label: readText(ui['ui:title']) ?? { 'zh-CN': key, en: '' }, required, raw: { schema, ui } });
  if (type === 'raw' || !FIELD_KEY_PATTERN.test(key)) return raw();
  const field: DesignField = { key, type, label: readText(ui['ui:title']) ?? { 'zh-CN': key, en: '' }, required: required || undefined };
  field.help = readText(ui['ui:help']);
  field.placeholder = readText(ui['ui:placeholder']);
  field.defaultValue = schema.default;
  for (const name of ['minimum', 'maximum', 'minLength', 'maxLength', 'pattern', 'minItems', 'maxItems'] as const) {
    if (schema[name] !== undefined) (field as Json)[name] = schema[name];
  }
  if (isPersonalKind(schema['x-personal'])) field.personal = schema['x-personal'];
  if (type === 'number') field.integer = schema.type === 'integer' || undefined;
  if (type === 'money') field.currency = schema['x-currency'];
  if (schema.enum || schema.items?.enum) field.options = readOptions(schema.enum ?? schema.items.enum, ui['ui:enumNames']);
  if (type === 'attachment' || type === 'image') field.maxFileSize = schema.items?.properties?.size?.maximum;
  if (type === 'serial') field.serial = { ...schema['x-serial'] };
  if (type === 'lookup') field.lookup = { ...schema['x-lookup'] };
  if (type === 'formula') {
    field.formula = schema['x-formula'];
    field.formulaType = schema.type === 'string' ? 'string' : 'number';
  }
  if (type === 'signature' || type === 'address') {
    delete field.pattern;
    delete field.maxLength;
  }
  if (type === 'subform') {
    const items = schema.items as Json;
    const rowUi = (ui.items ?? {}) as Json;
    const rowRequired = new Set<string>(items.required ?? []);
    const names = Object.keys(items.properties ?? {});
    const order = Array.isArray(rowUi['ui:order']) ? rowUi['ui:order'].filter((n: string) => names.includes(n)) : [];
    const keys = [...order, ...names.filter((n) => !order.includes(n))];
    field.columns = keys.map((name) => readField(name, items.properties[name], rowUi[name] ?? {}, rowRequired.has(name)));
    if (required && field.minItems === 1) delete field.minItems;
  }
  if (ui['x-visibleWhen']) field.visibleWhen = { ...(ui['x-visibleWhen'] as VisibilityRule) };
  const extra = Object.fromEntries(Object.entries(ui).filter(([k]) => !HANDLED_UI.includes(k)));
  if (Object.keys(extra).length) field.uiExtra = extra;
  for (const k of Object.keys(field) as (keyof DesignField)[]) if (field[k] === undefined) delete field[k];
  // The proof: regenerating must give back what is stored, or the field stays verbatim.
  if (!sameJson(fieldSchema(field), schema) || !sameJson(fieldUi(field), ui)) return raw();
  return field;
}

/** A branch toJsonSchema writes for "required while visible": `{if, then: {required: [key]}}`. */
function isRuleBranch(branch: Json, properties: Json, uiSchema: Json): boolean {
  const keys = Object.keys(branch ?? {});
  const then = branch?.then as Json | undefined;
  return keys.length === 2 && !!branch.if && !!then && Object.keys(then).length === 1 && Array.isArray(then.required) &&
    then.required.length === 1 && then.required[0] in properties && !!uiSchema[then.required[0]]?.['x-visibleWhen'];
}

const ROOT_HANDLED = ['type', 'additionalProperties', 'required', 'properties', 'allOf'];

export function fromJsonSchema(key: string, title: unknown, schema: Json, uiSchema: Json = {}): DesignForm {
  const properties = (schema.properties ?? {}) as Json;
  const branches = (Array.isArray(schema.allOf) ? schema.allOf : []) as Json[];
  const ruleBranches = branches.filter((b) => isRuleBranch(b, properties, uiSchema));
  const otherBranches = branches.filter((b) => !ruleBranches.includes(b));
  const required = new Set<string>([...(schema.required ?? []), ...ruleBranches.map((b) => b.then.required[0] as string)]);
  const names = Object.keys(properties);
  const stated = Array.isArray(uiSchema['ui:order']) ? (uiSchema['ui:order'] as string[]).filter((n) => names.includes(n)) : [];
  const order = [...stated, ...names.filter((n) => !stated.includes(n))];
  const layout = (Array.isArray(uiSchema['x-layout']) ? uiSchema['x-layout'] : []) as Json[];
  const fields: DesignField[] = [];
  const layoutField = (item: Json): DesignField => ({
    key: String(item.id),
    type: item.kind === 'divider' ? 'divider' : 'description',
    label: readText(item.text) ?? { 'zh-CN': '', en: '' },
  });
  for (const name of order) {
    for (const item of layout.filter((l) => l.before === name)) fields.push(layoutField(item));
    fields.push(readField(name, properties[name], (uiSchema[name] ?? {}) as Json, required.has(name)));
  }
  for (const item of layout.filter((l) => !l.before || !names.includes(l.before))) fields.push(layoutField(item));
  const rootExtra: Json = Object.fromEntries(Object.entries(schema).filter(([k]) => !ROOT_HANDLED.includes(k)));
  if (otherBranches.length) rootExtra.allOf = otherBranches;
  const form: DesignForm = { key, title: readText(uiSchema['ui:title'] ?? title) ?? { 'zh-CN': key, en: '' }, fields };
  if (Object.keys(rootExtra).length) form.rootExtra = rootExtra;
  return form;
}
