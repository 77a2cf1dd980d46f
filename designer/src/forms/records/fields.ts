/**
 * The top-level fields of a form as the record pages use them: in form order, with their
 * title and options in the chosen language, and what kind of filter and sort each allows.
 * Mirrors the server's reading (engine/forms/query.ts, optionLabels.ts): a select or radio is
 * a `choice`, a checkbox group `choices` (filterable, not sortable), dates and numbers sort
 * as such.
 */
import { pickText, type Locale, type LocalizedText } from '../../i18n/i18n.tsx';
import type { FormVersion } from '../api.ts';

type Json = Record<string, any>;

/** `exact`: a personal field (`x-personal`), stored encrypted: the server matches it only whole (a blind index), never sorts on it. */
export type FieldKind = 'choice' | 'choices' | 'date' | 'dateTime' | 'number' | 'boolean' | 'text' | 'exact' | 'other';

export interface RecordField {
  name: string;
  title: string;
  schema: Json;
  ui: Json | undefined;
  kind: FieldKind;
  /** Option values with their label in the chosen language (choice fields only). */
  options: { value: string | number | boolean; label: string }[];
}

/** Labels of a choice field in `locale`, by index of its values (`ui:enumNames` list or per language, or enum titles). */
function optionLabels(schema: Json, ui: Json | undefined, locale: Locale): unknown[] {
  const names = ui?.['ui:enumNames'] ?? ui?.items?.['ui:enumNames'];
  if (Array.isArray(names)) return names;
  if (names && typeof names === 'object') return names[locale] ?? names['zh-CN'] ?? Object.values(names)[0] ?? [];
  const titled = schema.oneOf ?? schema.items?.oneOf;
  return Array.isArray(titled) ? titled.map((branch: Json) => pickText(branch?.title as LocalizedText, locale)) : [];
}

function enumValues(schema: Json): unknown[] | undefined {
  if (Array.isArray(schema.enum)) return schema.enum;
  if (Array.isArray(schema.items?.enum)) return schema.items.enum;
  const titled = schema.oneOf ?? schema.items?.oneOf;
  if (Array.isArray(titled) && titled.every((branch: Json) => branch && 'const' in branch)) return titled.map((branch: Json) => branch.const);
  return undefined;
}

function kindOf(schema: Json, values: unknown[] | undefined): FieldKind {
  if (typeof schema['x-personal'] === 'string') return 'exact';
  if (values) return schema.type === 'array' ? 'choices' : 'choice';
  if (schema.type === 'number' || schema.type === 'integer') return 'number';
  if (schema.type === 'boolean') return 'boolean';
  if (schema.type === 'string') return schema.format === 'date' ? 'date' : schema.format === 'date-time' ? 'dateTime' : 'text';
  return 'other';
}

export function recordFields(form: FormVersion, locale: Locale): RecordField[] {
  const properties = (form.schema.properties ?? {}) as Record<string, Json>;
  const uiSchema = (form.uiSchema ?? {}) as Record<string, Json>;
  const order = (uiSchema['ui:order'] as unknown as string[] | undefined)?.filter((name) => name in properties) ?? [];
  const names = [...order, ...Object.keys(properties).filter((name) => !order.includes(name))];
  return names.map((name) => {
    const schema = properties[name]!;
    const ui = uiSchema[name];
    const values = enumValues(schema);
    const labels = values ? optionLabels(schema, ui, locale) : [];
    return {
      name,
      schema,
      ui,
      title: pickText((ui?.['ui:title'] ?? schema.title) as LocalizedText, locale, name),
      kind: kindOf(schema, values),
      options: (values ?? [])
        .filter((value): value is string | number | boolean => ['string', 'number', 'boolean'].includes(typeof value))
        .map((value, index) => ({ value, label: typeof labels[index] === 'string' && labels[index] ? String(labels[index]) : String(value) })),
    };
  });
}

/** Fields the server can sort on (a checkbox list, an object or an encrypted personal field cannot). */
export const sortable = (field: RecordField) => field.kind !== 'choices' && field.kind !== 'other' && field.kind !== 'exact';
