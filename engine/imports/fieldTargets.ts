/**
 * The fields a file's columns can go to, read from the form's latest version: each with its
 * labels in zh-CN and en (what columns are matched by), what kind of value it takes (how a
 * cell is converted, convert.ts) and its options. Computed fields (formulas, serial numbers),
 * files, signatures and sub-forms are not importable from a main-sheet cell: the engine fills
 * the first two, files and signatures have no cell form, and sub-forms come from sheets of
 * their own (subformSheets.ts, which reads their rows' fields with this same function).
 */
import { fieldOptions, type FieldOption } from '../forms/optionLabels.ts';
import type { ImportField } from './types.ts';

type Json = Record<string, any>;

export type ValueKind =
  | 'text' | 'date' | 'dateTime' | 'number' | 'integer' | 'boolean'
  | 'choice' | 'choices' | 'member' | 'members' | 'department' | 'departments' | 'texts';

export interface FieldTarget extends ImportField {
  kind: ValueKind;
  options: FieldOption[] | undefined;
}

function typeOf(schema: Json): string | undefined {
  if (typeof schema.type === 'string') return schema.type;
  return Array.isArray(schema.type) ? schema.type.find((t: unknown) => t !== 'null') : undefined;
}

function kindOf(schema: Json, options: FieldOption[] | undefined): ValueKind | null {
  const type = typeOf(schema);
  const widget = schema['x-widget'] ?? schema.items?.['x-widget'];
  if (schema['x-formula'] !== undefined || schema['x-serial'] !== undefined) return null;
  if (widget === 'files' || widget === 'signature' || widget === 'attachment') return null;
  if (options) return type === 'array' ? 'choices' : 'choice';
  if (widget === 'user-picker') return type === 'array' ? 'members' : 'member';
  if (widget === 'department-picker') return type === 'array' ? 'departments' : 'department';
  switch (type) {
    case 'string':
      return schema.format === 'date' ? 'date' : schema.format === 'date-time' ? 'dateTime' : 'text';
    case 'number':
      return 'number';
    case 'integer':
      return 'integer';
    case 'boolean':
      return 'boolean';
    case 'array':
      return typeOf(schema.items ?? {}) === 'string' ? 'texts' : null;
    default:
      return null;
  }
}

/** A field's label in both languages (its `ui:title`, else its schema title, else its name). */
export function fieldTitles(name: string, schema: Json, ui: Json | undefined): { 'zh-CN': string; en: string } {
  const title = ui?.['ui:title'] ?? schema.title;
  if (typeof title === 'string' && title) return { 'zh-CN': title, en: title };
  if (title && typeof title === 'object') {
    const zh = typeof title['zh-CN'] === 'string' ? title['zh-CN'] : undefined;
    const en = typeof title.en === 'string' ? title.en : undefined;
    return { 'zh-CN': zh ?? en ?? name, en: en ?? zh ?? name };
  }
  return { 'zh-CN': name, en: name };
}

/** The importable top-level fields, in form order (`ui:order` first). */
export function fieldTargets(schema: Json, uiSchema: Json): FieldTarget[] {
  const properties = (schema.properties ?? {}) as Record<string, Json>;
  const required = new Set<string>(Array.isArray(schema.required) ? schema.required : []);
  const order = Array.isArray(uiSchema['ui:order']) ? (uiSchema['ui:order'] as string[]).filter((name) => name in properties) : [];
  const names = [...order, ...Object.keys(properties).filter((name) => !order.includes(name))];
  const targets: FieldTarget[] = [];
  for (const name of names) {
    const field = properties[name]!;
    if (!field || typeof field !== 'object') continue;
    const options = fieldOptions(field, uiSchema[name]);
    const kind = kindOf(field, options);
    if (!kind) continue;
    targets.push({ name, title: fieldTitles(name, field, uiSchema[name]), required: required.has(name), kind, options });
  }
  return targets;
}

const normalised = (text: string) => text.replace(/[\s*＊:：]/g, '').toLocaleLowerCase();

/** Per column, the field whose key or zh-CN/en label the header names (each field at most once). */
export function autoMapping(headers: string[], targets: FieldTarget[]): (string | null)[] {
  const taken = new Set<string>();
  return headers.map((header) => {
    const wanted = normalised(header);
    if (!wanted) return null;
    const match = targets.find(
      (t) => !taken.has(t.name) && [t.name, t.title['zh-CN'], t.title.en].some((label) => normalised(label) === wanted),
    );
    if (!match) return null;
    taken.add(match.name);
    return match.name;
  });
}
