/**
 * What an inbox row says it is about: a few fields of the instance's data (e.g. 客户 · 抱怨类别
 * · 金额) instead of a UUID business key. The fields are the process's choice
 * (`CompiledProcess.summaryFields`, summaryModel.ts) or, when it made none, the first few
 * required fields of its bound form that read well in one line. Each entry carries the
 * field's title and, for options, the option's label (not the stored value), in every
 * language the form has; numbers and money stay numbers, so the browser formats them in the
 * reader's language.
 *
 * Read per page: one definition lookup per process (cached by id) and one form lookup per
 * bound form, whatever the page size.
 */
import type { Knex } from 'knex';
import { definitionById } from '../store/definitions.ts';
import { getFormVersion } from '../store/forms.ts';
import { fieldOptions } from '../forms/optionLabels.ts';

/** A text in the form's languages: a plain string, or `{"zh-CN": …, en: …}`. */
export type LocalizedText = string | Record<string, string>;

export type SummaryKind = 'text' | 'option' | 'number' | 'money' | 'date' | 'dateTime' | 'boolean';

export interface SummaryEntry {
  field: string;
  /** The field's title (`ui:title`), or its name. */
  label: LocalizedText;
  kind: SummaryKind;
  /** The stored value; for options, see `option`. */
  value: string | number | boolean;
  /** kind "option": the label(s) of the chosen option(s) (`ui:enumNames`), joined when several. */
  option?: LocalizedText;
}

/** How many default fields a row shows when the process chose none. */
export const DEFAULT_SUMMARY_FIELDS = 3;
/** Text longer than this is cut: a row is one line. */
const MAX_TEXT = 80;
/** Widgets whose value is no one-line text (long text, files, pictures, people pickers of lists). */
const NOT_IN_A_LINE = new Set(['textarea', 'files', 'signature', 'attachment', 'image']);

type Json = Record<string, any>;

interface FormShape {
  schema: Json;
  uiSchema: Json;
}

function kindOf(property: Json | undefined): SummaryKind {
  if (!property) return 'text';
  if (Array.isArray(property.enum) || Array.isArray(property.items?.enum)) return 'option';
  if (property['x-widget'] === 'money') return 'money';
  const type = Array.isArray(property.type) ? property.type.find((t: string) => t !== 'null') : property.type;
  if (type === 'number' || type === 'integer') return 'number';
  if (type === 'boolean') return 'boolean';
  if (property.format === 'date') return 'date';
  if (property.format === 'date-time') return 'dateTime';
  return 'text';
}

/** Whether the field reads well in one line of a row. */
function fitsALine(form: FormShape, name: string): boolean {
  const property = form.schema.properties?.[name] as Json | undefined;
  if (!property) return false;
  const widget = form.uiSchema?.[name]?.['ui:widget'] ?? property['x-widget'];
  if (NOT_IN_A_LINE.has(widget)) return false;
  const type = Array.isArray(property.type) ? property.type.find((t: string) => t !== 'null') : property.type;
  if (type === 'object') return false;
  return type !== 'array' || Array.isArray(property.items?.enum);
}

/** The process's chosen fields, else the first required ones of its form in form order. */
export function summaryFieldNames(chosen: string[] | undefined, form: FormShape | undefined): string[] {
  if (chosen?.length) return chosen;
  if (!form) return [];
  const properties = Object.keys(form.schema.properties ?? {});
  const order: string[] = Array.isArray(form.uiSchema?.['ui:order']) ? form.uiSchema['ui:order'] : [];
  const inOrder = [...order.filter((name) => properties.includes(name)), ...properties.filter((name) => !order.includes(name))];
  const required = new Set<string>(Array.isArray(form.schema.required) ? form.schema.required : []);
  return inOrder.filter((name) => required.has(name) && fitsALine(form, name)).slice(0, DEFAULT_SUMMARY_FIELDS);
}

/** The chosen options' labels per language (optionLabels.ts; a label given for no language is a plain string). */
function optionLabel(form: FormShape | undefined, name: string, values: unknown[]): LocalizedText | undefined {
  const options = fieldOptions(form?.schema.properties?.[name] as Json | undefined, form?.uiSchema?.[name]);
  const locales = new Set(options?.flatMap((option) => Object.keys(option.byLocale)));
  if (!options || locales.size === 0) return undefined;
  const joined = (locale: string) =>
    values
      .map((value) => {
        const option = options.find((candidate) => candidate.value === value);
        return option?.byLocale[locale] ?? option?.byLocale[''] ?? String(value);
      })
      .join(locale === 'en' ? ', ' : '、');
  const named = [...locales].filter((locale) => locale !== '');
  return named.length === 0 ? joined('') : Object.fromEntries(named.map((locale) => [locale, joined(locale)]));
}

function entryOf(form: FormShape | undefined, name: string, value: unknown): SummaryEntry | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const property = form?.schema.properties?.[name] as Json | undefined;
  const label: LocalizedText = form?.uiSchema?.[name]?.['ui:title'] ?? property?.title ?? name;
  const kind = kindOf(property);
  if (kind === 'option') {
    const values = Array.isArray(value) ? value : [value];
    if (values.length === 0 || values.some((v) => typeof v === 'object')) return undefined;
    const option = optionLabel(form, name, values);
    return { field: name, label, kind, value: values.map(String).join(','), ...(option !== undefined ? { option } : {}) };
  }
  if ((kind === 'number' || kind === 'money') && typeof value === 'number') return { field: name, label, kind, value };
  if (kind === 'boolean' && typeof value === 'boolean') return { field: name, label, kind, value };
  if (typeof value === 'object') return undefined;
  const text = String(value);
  return { field: name, label, kind: kind === 'number' || kind === 'money' || kind === 'boolean' ? 'text' : kind, value: text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT - 1)}…` : text };
}

/** The summary of one instance's data. */
export function summarize(fields: string[], form: FormShape | undefined, data: Record<string, unknown>): SummaryEntry[] {
  return fields.map((name) => entryOf(form, name, data[name])).filter((entry): entry is SummaryEntry => entry !== undefined);
}

/** Adds `summary` to each row that names its definition (`definitionId`) and data (`variables`). */
export async function withSummaries<T extends { definitionId: string | null; variables: Record<string, unknown> | null }>(
  db: Knex,
  rows: T[],
): Promise<Array<Omit<T, 'definitionId' | 'variables'> & { summary: SummaryEntry[] }>> {
  const fieldsByDefinition = new Map<string, { fields: string[]; form: FormShape | undefined }>();
  const forms = new Map<string, Promise<FormShape | undefined>>();
  const formOf = (key: string) => {
    let found = forms.get(key);
    if (!found) forms.set(key, (found = getFormVersion(db, key).then((form) => (form ? { schema: form.schema, uiSchema: form.uiSchema } : undefined))));
    return found;
  };
  for (const id of new Set(rows.map((row) => row.definitionId).filter((id): id is string => !!id))) {
    const definition = await definitionById(db, id);
    const process = definition?.process;
    const form = process?.formKey ? await formOf(process.formKey) : undefined;
    fieldsByDefinition.set(id, { fields: summaryFieldNames(process?.summaryFields, form), form });
  }
  return rows.map(({ definitionId, variables, ...rest }) => {
    const shape = definitionId ? fieldsByDefinition.get(definitionId) : undefined;
    return { ...rest, summary: shape ? summarize(shape.fields, shape.form, variables ?? {}) : [] };
  });
}
