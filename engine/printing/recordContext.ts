/**
 * What a template sees of one record: its fields at the top level (so `{{customer}}` works),
 * `record` (id, dates), `formTitle`, and `fields` — each field's zh-CN title and display
 * value (enum labels, formatted dates) for templates that just list them. Shared by print
 * pages and automation notifications.
 */
import type { Knex } from 'knex';
import { NotFoundError } from '../errors.ts';
import { enumLabel, type FormShape } from '../notifications/handlebars.ts';
import { maskPersonal } from '../privacy/personal.ts';
import { getFormVersion } from '../store/forms.ts';
import type { RecordView } from '../store/records.ts';

export interface FieldLine {
  name: string;
  title: string;
  value: string;
}

function zh(title: unknown, fallback: string): string {
  if (typeof title === 'string') return title;
  if (title && typeof title === 'object') {
    const localised = title as Record<string, unknown>;
    if (typeof localised['zh-CN'] === 'string') return localised['zh-CN'];
    if (typeof localised.en === 'string') return localised.en;
  }
  return fallback;
}

function display(form: FormShape, name: string, value: unknown): string {
  if (value === undefined || value === null) return '';
  const property = (form.schema.properties as Record<string, any> | undefined)?.[name] ?? {};
  if (Array.isArray(property.enum)) return enumLabel(form, name, value);
  if (typeof value === 'string' && (property.format === 'date-time' || property.format === 'date')) {
    const date = new Date(value);
    if (Number.isNaN(date.getTime())) return value;
    return new Intl.DateTimeFormat('zh-CN', {
      dateStyle: 'medium',
      ...(property.format === 'date' ? { timeZone: 'UTC' } : { timeStyle: 'short', timeZone: 'Asia/Shanghai' }),
    }).format(date);
  }
  if (typeof value === 'boolean') return value ? '是' : '否';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

export async function formShape(db: Knex, formKey: string, version?: number): Promise<FormShape & { title: string }> {
  const form = await getFormVersion(db, formKey, version);
  if (!form) throw new NotFoundError(`No form "${formKey}"`);
  return { schema: form.schema as Record<string, any>, uiSchema: form.uiSchema as Record<string, any>, title: zh(form.uiSchema['ui:title'], form.title) };
}

export function recordContext(form: FormShape & { title: string }, record: RecordView): Record<string, unknown> {
  const properties = Object.keys((form.schema.properties as Record<string, unknown> | undefined) ?? {});
  // Prints and automation messages show personal fields masked, like every answer (docs/privacy.md).
  record = { ...record, data: maskPersonal(form.schema, record.data) };
  const fields: FieldLine[] = properties.map((name) => ({
    name,
    title: zh(form.uiSchema[name]?.['ui:title'] ?? (form.schema.properties as any)[name]?.title, name),
    value: display(form, name, record.data[name]),
  }));
  return {
    ...record.data,
    record: { id: record.id, formKey: record.formKey, createdAt: record.createdAt, updatedAt: record.updatedAt },
    formTitle: form.title,
    fields,
  };
}
