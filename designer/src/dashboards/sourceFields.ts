/**
 * The fields a chart can use on each data source, in the admin's words: a form's fields from
 * its JSON Schema (titles, select options with their labels, dates), a sub-form's row fields,
 * and the fixed fields of process instances and tasks. Pure; `useSourceFields` loads the form.
 */
import { useMemo } from 'react';
import { optionLabel } from '../conditions/conditionFields.ts';
import { formsApi } from '../forms/api.ts';
import { useLoad } from '../api/useLoad.ts';
import { pickText, useLocale, type Locale, type LocalizedText } from '../i18n/i18n.tsx';
import type { ChartSource, ResultColumn } from './model.ts';
import type { ValueLabeler } from './chartOptions.ts';

export type FieldType = 'text' | 'number' | 'date' | 'boolean';

export interface SourceField {
  name: string;
  title: string;
  type: FieldType;
  options?: { value: string; label: string }[];
  /** An array of objects: offered as a sub-form source, not as a field. */
  subForm?: boolean;
}

type Json = Record<string, unknown>;
const asObject = (value: unknown): Json => (value && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : {});

function typeOf(property: Json): FieldType {
  const raw = Array.isArray(property.type) ? (property.type as unknown[]).find((t) => t !== 'null') : property.type;
  if (raw === 'number' || raw === 'integer') return 'number';
  if (raw === 'boolean') return 'boolean';
  if (raw === 'string' && (property.format === 'date' || property.format === 'date-time')) return 'date';
  return 'text';
}

/** A form's fields (or, with `subForm`, that array field's row fields), in form order. */
export function formFields(form: { schema?: unknown; uiSchema?: unknown }, locale: Locale, subForm?: string): SourceField[] {
  let schema = asObject(form.schema);
  let uiSchema = asObject(form.uiSchema);
  if (subForm) {
    schema = asObject(asObject(asObject(schema.properties)[subForm]).items);
    uiSchema = asObject(asObject(uiSchema[subForm]).items);
  }
  const properties = asObject(schema.properties);
  const order = Array.isArray(uiSchema['ui:order']) ? (uiSchema['ui:order'] as unknown[]) : [];
  const rank = (name: string) => (order.includes(name) ? order.indexOf(name) : order.length);
  return Object.entries(properties)
    .sort(([a], [b]) => rank(a) - rank(b))
    .filter(([, raw]) => asObject(raw)['x-personal'] === undefined || asObject(raw)['x-personal'] === false)
    .map(([name, raw]) => {
      const property = asObject(raw);
      const ui = asObject(uiSchema[name]);
      const field: SourceField = { name, title: pickText((ui['ui:title'] ?? property.title) as LocalizedText, locale, name), type: typeOf(property) };
      if (Array.isArray(property.enum)) {
        field.options = property.enum.map((value, index) => ({ value: String(value), label: optionLabel(ui['ui:enumNames'], index, locale) ?? String(value) }));
      }
      if (property.type === 'array' && asObject(property.items).type === 'object') field.subForm = true;
      return field;
    });
}

/** Columns every record has (the server names them with a leading `_`). */
const RECORD_SYSTEM_FIELDS: { name: string; type: FieldType; zh: string; en: string }[] = [
  { name: '_createdAt', type: 'date', zh: '提交时间', en: 'Created' },
  { name: '_updatedAt', type: 'date', zh: '更新时间', en: 'Updated' },
  { name: '_createdBy', type: 'text', zh: '提交人', en: 'Submitted by' },
  { name: '_department', type: 'text', zh: '分派部门', en: 'Routed department' },
  { name: '_status', type: 'text', zh: '流程状态', en: 'Process status' },
];

/** A record source's fields: the form's (or the sub-form row's, then the record's as `_parent.x`), then the record's own columns. */
export function recordSourceFields(form: { schema?: unknown; uiSchema?: unknown }, locale: Locale, subForm?: string): SourceField[] {
  const own = formFields(form, locale, subForm);
  if (subForm) {
    const parent = formFields(form, locale).filter((field) => !field.subForm);
    return [...own, ...parent.map((field) => ({ ...field, name: `_parent.${field.name}`, title: `${field.title} (${locale === 'en' ? 'record' : '主表'})` }))];
  }
  return [...own, ...RECORD_SYSTEM_FIELDS.map((field) => ({ name: field.name, type: field.type, title: locale === 'en' ? field.en : field.zh }))];
}

const PROCESS_FIELDS: Record<'instances' | 'tasks', { name: string; type: FieldType; zh: string; en: string; options?: string[] }[]> = {
  instances: [
    { name: 'status', type: 'text', zh: '状态', en: 'Status', options: ['active', 'completed', 'terminated', 'incident'] },
    { name: 'definitionKey', type: 'text', zh: '流程', en: 'Process' },
    { name: 'startedBy', type: 'text', zh: '发起人', en: 'Started by' },
    { name: 'businessKey', type: 'text', zh: '业务编号', en: 'Business key' },
    { name: 'startedAt', type: 'date', zh: '发起时间', en: 'Started' },
    { name: 'endedAt', type: 'date', zh: '结束时间', en: 'Ended' },
    { name: 'durationSeconds', type: 'number', zh: '耗时（秒）', en: 'Duration (s)' },
  ],
  tasks: [
    { name: 'elementId', type: 'text', zh: '节点', en: 'Node' },
    { name: 'name', type: 'text', zh: '任务名称', en: 'Task name' },
    { name: 'assignee', type: 'text', zh: '处理人', en: 'Assignee' },
    { name: 'department', type: 'text', zh: '部门', en: 'Department' },
    { name: 'status', type: 'text', zh: '状态', en: 'Status', options: ['open', 'completed', 'cancelled'] },
    { name: 'createdAt', type: 'date', zh: '到达时间', en: 'Arrived' },
    { name: 'completedAt', type: 'date', zh: '完成时间', en: 'Completed' },
    { name: 'dueAt', type: 'date', zh: '到期时间', en: 'Due' },
    { name: 'durationSeconds', type: 'number', zh: '耗时（秒）', en: 'Duration (s)' },
    { name: 'slaBreached', type: 'boolean', zh: '是否超时', en: 'SLA breached' },
    { name: 'definitionKey', type: 'text', zh: '流程', en: 'Process' },
  ],
};

const STATUS_LABELS: Record<string, { zh: string; en: string }> = {
  active: { zh: '进行中', en: 'Running' },
  open: { zh: '待处理', en: 'Open' },
  completed: { zh: '已完成', en: 'Completed' },
  terminated: { zh: '已终止', en: 'Terminated' },
  cancelled: { zh: '已取消', en: 'Cancelled' },
  incident: { zh: '异常', en: 'Incident' },
};

export function processFields(kind: 'instances' | 'tasks', locale: Locale): SourceField[] {
  return PROCESS_FIELDS[kind].map((field) => ({
    name: field.name,
    title: locale === 'en' ? field.en : field.zh,
    type: field.type,
    options: field.options?.map((value) => ({ value, label: STATUS_LABELS[value]?.[locale === 'en' ? 'en' : 'zh'] ?? value })),
  }));
}

/** A field value as the admin reads it: a select option's label, 是/否, （空） for none. */
export function fieldValueLabel(field: SourceField | undefined, value: unknown, locale: Locale): string {
  if (value === null || value === undefined || value === '') return locale === 'en' ? '(empty)' : '（空）';
  const option = field?.options?.find((candidate) => candidate.value === String(value));
  if (option) return option.label;
  if (field?.type === 'boolean' || typeof value === 'boolean') return value === true || value === 'true' ? (locale === 'en' ? 'Yes' : '是') : locale === 'en' ? 'No' : '否';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** Labels the dimension columns (`d0`, `d1`…) of an answer by the fields they group on. */
export function labelerFor(fields: SourceField[], dimensionFields: string[], locale: Locale): ValueLabeler {
  return (column: ResultColumn, value) => {
    // The server names the labels of select fields and departments in the answer itself.
    const stored = column.options?.find((option) => String(option.value) === String(value));
    if (stored) return pickText(stored.label, locale, String(value));
    const field = column.key.startsWith('d') ? fields.find((candidate) => candidate.name === dimensionFields[Number(column.key.slice(1))]) : undefined;
    return fieldValueLabel(field, value, locale);
  };
}

/** Forms read once per page (every widget over one form needs its labels); `forgetForms` on page open. */
const formCache = new Map<string, ReturnType<typeof formsApi.get>>();
export function forgetForms(): void {
  formCache.clear();
}
function loadForm(formKey: string) {
  let pending = formCache.get(formKey);
  if (!pending) {
    pending = formsApi.get(formKey);
    pending.catch(() => formCache.delete(formKey));
    formCache.set(formKey, pending);
  }
  return pending;
}

/** The fields of a source, loading its form when it is a record source. */
export function useSourceFields(source: ChartSource | undefined): { fields: SourceField[]; loading: boolean } {
  const { locale } = useLocale();
  const formKey = source?.kind === 'records' ? source.formKey : undefined;
  const form = useLoad(() => (formKey ? loadForm(formKey) : Promise.resolve(null)), [formKey]);
  const subForm = source?.kind === 'records' ? source.subForm : undefined;
  const sourceKey = JSON.stringify(source ?? null);
  const fields = useMemo(() => {
    if (!source) return [];
    if (source.kind !== 'records') return processFields(source.kind, locale);
    return form.data ? recordSourceFields(form.data, locale, subForm) : [];
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [sourceKey, form.data, locale]);
  return { fields, loading: form.loading };
}
