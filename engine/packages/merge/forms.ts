/**
 * Forms merged per field: a top-level property of the JSON Schema together with whether it is
 * required and its uiSchema entry is one item; a sub-form (an array of objects) is merged per
 * nested field, its own settings (title, min/max rows…) as one more item. Field order is merged
 * apart from the fields (mergeOrder), so one side adding a field and the other moving one is clean.
 */
import { ValidationError } from '../../errors.ts';
import type { PackageForm } from '../format.ts';
import { mergeKeyedList, mergeOrder, sameValue, type Maybe, type MergeContext } from './threeWay.ts';
import type { MergeLocation } from './types.ts';

type Json = Record<string, any>;

/** Most fields (top-level and nested together) a form may have for a merge. */
export const MAX_MERGE_FIELDS = 2000;

interface FieldItem {
  schema: unknown;
  required: boolean;
  ui?: unknown;
}

function isObject(value: unknown): value is Json {
  return Boolean(value) && typeof value === 'object' && !Array.isArray(value);
}

function isSubForm(schema: unknown): boolean {
  return isObject(schema) && schema.type === 'array' && isObject(schema.items) && isObject(schema.items.properties);
}

/** Field names in display order: `ui:order` where given (known names only), then the rest. */
function fieldOrder(properties: Json, ui: Json | undefined): string[] {
  const names = Object.keys(properties);
  const listed = Array.isArray(ui?.['ui:order']) ? (ui!['ui:order'] as unknown[]).filter((n): n is string => typeof n === 'string' && names.includes(n)) : [];
  return [...listed, ...names.filter((name) => !listed.includes(name))];
}

function without(value: Json | undefined, keys: string[]): Json | undefined {
  if (!isObject(value)) return value;
  return Object.fromEntries(Object.entries(value).filter(([key]) => !keys.includes(key)));
}

/** A level of fields: an object schema's `properties` + `required` and its uiSchema. */
interface FieldLevel {
  properties: Json;
  required: string[];
  ui: Json | undefined;
}

function levelOf(schema: Json | undefined, ui: Json | undefined): Maybe<FieldLevel> {
  if (!schema) return undefined;
  return {
    properties: isObject(schema.properties) ? schema.properties : {},
    required: Array.isArray(schema.required) ? schema.required : [],
    ui: isObject(ui) ? ui : undefined,
  };
}

function fieldItem(level: Maybe<FieldLevel>, name: string, nested: boolean): Maybe<FieldItem> {
  if (!level || !(name in level.properties)) return undefined;
  let schema = level.properties[name];
  let ui = level.ui?.[name];
  if (nested && isSubForm(schema)) {
    // The sub-form's own settings; its fields are items of their own.
    schema = { ...schema, items: without(schema.items, ['properties', 'required']) };
    if (isObject(ui) && isObject(ui.items)) ui = { ...ui, items: without(ui.items, [...Object.keys(level.properties[name].items.properties), 'ui:order']) };
  }
  return { schema, required: level.required.includes(name), ...(ui !== undefined ? { ui } : {}) };
}

/**
 * A field on all three sides: its schema, its required-ness and its uiSchema entry are merged
 * apart (one side retitling it while the other makes it required is clean). Added or deleted:
 * the whole field is one item.
 */
function decideField(ctx: MergeContext, at: MergeLocation, base: Maybe<FieldItem>, ours: Maybe<FieldItem>, theirs: Maybe<FieldItem>): Maybe<FieldItem> {
  if (!base || !ours || !theirs) return ctx.decide(at, base, ours, theirs);
  const schema = ctx.decide(at, base.schema, ours.schema, theirs.schema);
  const required = ctx.decide({ ...at, path: `${at.path}#required` }, base.required, ours.required, theirs.required)!;
  const ui = ctx.decide({ ...at, path: `${at.path}#ui` }, base.ui, ours.ui, theirs.ui);
  return { schema, required, ...(ui !== undefined ? { ui } : {}) };
}

/**
 * Merges one level of fields; `path` prefixes field names (`contacts.` for a sub-form's).
 * Returns the merged properties, required list and uiSchema entries of the level.
 */
function mergeLevel(
  ctx: MergeContext,
  formKey: string,
  path: string,
  levels: { base: Maybe<FieldLevel>; ours: Maybe<FieldLevel>; theirs: Maybe<FieldLevel> },
  allowNested: boolean,
): FieldLevel {
  const { base, ours, theirs } = levels;
  const present = [base, ours, theirs].filter((level): level is FieldLevel => level !== undefined);
  const names = new Set(present.flatMap((level) => Object.keys(level.properties)));
  const properties: Json = {};
  const required: string[] = [];
  const ui: Json = {};
  for (const name of names) {
    const at = { part: 'form' as const, key: formKey, path: `${path}${name}` };
    // A sub-form on every side that has the field: merged per nested field.
    const nested = allowNested && present.every((level) => !(name in level.properties) || isSubForm(level.properties[name]));
    const item = decideField(ctx, at, fieldItem(base, name, nested), fieldItem(ours, name, nested), fieldItem(theirs, name, nested));
    if (!item) continue;
    let schema = item.schema as Json;
    let fieldUi = item.ui as Json | undefined;
    if (nested) {
      const inner = (level: Maybe<FieldLevel>) =>
        level && isSubForm(level.properties[name]) ? levelOf(level.properties[name].items, (level.ui?.[name] as Json | undefined)?.items) : undefined;
      const merged = mergeLevel(ctx, formKey, `${path}${name}.`, { base: inner(base), ours: inner(ours), theirs: inner(theirs) }, false);
      schema = { ...schema, items: { ...schema.items, properties: merged.properties, ...(merged.required.length ? { required: merged.required } : {}) } };
      if (merged.ui && Object.keys(merged.ui).length > 0) fieldUi = { ...(fieldUi ?? {}), items: { ...((fieldUi?.items as Json) ?? {}), ...merged.ui } };
    }
    properties[name] = schema;
    if (item.required) required.push(name);
    if (fieldUi !== undefined) ui[name] = fieldUi;
  }
  // Settings of the level's uiSchema that are not fields (`ui:submitButtonOptions`…): one item each.
  const uiKeys = new Set(present.flatMap((level) => Object.keys(level.ui ?? {})).filter((key) => !names.has(key) && key !== 'ui:order'));
  for (const key of uiKeys) {
    const value = ctx.decide({ part: 'form', key: formKey, path: `${path}${key}` }, base?.ui?.[key], ours?.ui?.[key], theirs?.ui?.[key]);
    if (value !== undefined) ui[key] = value;
  }
  const order = mergeOrder(
    ctx,
    { part: 'form', key: formKey, path: `${path}(order)` },
    base ? fieldOrder(base.properties, base.ui) : [],
    ours ? fieldOrder(ours.properties, ours.ui) : [],
    theirs ? fieldOrder(theirs.properties, theirs.ui) : [],
    new Set(Object.keys(properties)),
  );
  const orderedProperties = Object.fromEntries(order.map((name) => [name, properties[name]]));
  if (present.some((level) => Array.isArray(level.ui?.['ui:order']))) ui['ui:order'] = order;
  // `required` keeps the order of the side that changed it (order means nothing to JSON Schema, but a diff reads better).
  const spine = base && ours && theirs && sameValue(ours.required, base.required) ? theirs.required : (ours ?? theirs)?.required ?? [];
  const requiredInOrder = [...spine.filter((name) => required.includes(name)), ...order.filter((name) => required.includes(name) && !spine.includes(name))];
  return { properties: orderedProperties, required: [...new Set(requiredInOrder)], ui };
}

function countFields(form: PackageForm | undefined): number {
  if (!form || !isObject(form.schema.properties)) return 0;
  return Object.values(form.schema.properties as Json).reduce(
    (sum: number, field) => sum + 1 + (isSubForm(field) ? Object.keys(field.items.properties).length : 0),
    0,
  );
}

/** One form merged field by field; undefined when the form is gone. */
export function mergeForm(ctx: MergeContext, key: string, base: Maybe<PackageForm>, ours: Maybe<PackageForm>, theirs: Maybe<PackageForm>): Maybe<PackageForm> {
  for (const form of [base, ours, theirs]) {
    const count = countFields(form);
    if (count > MAX_MERGE_FIELDS) {
      const message = `Form "${key}" has ${count} fields; a merge takes at most ${MAX_MERGE_FIELDS}`;
      throw new ValidationError(message, [{ pointer: `/forms/${key}`, message }], 'package_merge_too_large');
    }
  }
  // A form added or deleted on one side (or both) is one item.
  if (!base || !ours || !theirs) return ctx.decide({ part: 'form', key, path: '(form)' }, base, ours, theirs);
  const at = (path: string) => ({ part: 'form' as const, key, path });
  const titles = ctx.decide(at('(title)'), { title: base.title, titleI18n: base.titleI18n }, { title: ours.title, titleI18n: ours.titleI18n }, { title: theirs.title, titleI18n: theirs.titleI18n })!;
  const level = mergeLevel(
    ctx,
    key,
    '',
    { base: levelOf(base.schema, base.uiSchema), ours: levelOf(ours.schema, ours.uiSchema), theirs: levelOf(theirs.schema, theirs.uiSchema) },
    true,
  );
  // Schema keywords besides the fields (description, if/then rules, liuzhuan extensions…): one item each.
  const schema: Json = {};
  const schemaKeys = new Set([base, ours, theirs].flatMap((form) => Object.keys(form.schema)).filter((k) => k !== 'properties' && k !== 'required'));
  for (const schemaKey of schemaKeys) {
    const value = ctx.decide(at(`(schema:${schemaKey})`), base.schema[schemaKey], ours.schema[schemaKey], theirs.schema[schemaKey]);
    if (value !== undefined) schema[schemaKey] = value;
  }
  schema.properties = level.properties;
  if (level.required.length > 0 || ('required' in ours.schema && 'required' in theirs.schema)) schema.required = level.required;
  const merged: PackageForm = { key, title: titles.title, schema, uiSchema: level.ui ?? {} };
  if (titles.titleI18n) merged.titleI18n = titles.titleI18n;
  if (ours.version !== undefined) merged.version = ours.version;
  return merged;
}

export function mergeForms(ctx: MergeContext, base: PackageForm[], ours: PackageForm[], theirs: PackageForm[]): PackageForm[] {
  return mergeKeyedList(ctx, { part: 'form', key: '*' }, { base, ours, theirs }, (form) => form.key, (key, b, o, t) => mergeForm(ctx, key, b, o, t));
}

