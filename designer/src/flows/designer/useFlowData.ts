/**
 * What the properties panel picks from: forms (for 流程表单), the bound form's fields (for
 * field permissions, member fields and conditions), users, departments. Loaded once per
 * designer page; the bound form's schema is reloaded when the binding changes.
 */
import { useEffect, useState } from 'react';
import { api } from '../../api/client.ts';
import type { Department, FormVersion, User } from '../../api/types.ts';
import { pickText, useLocale, type LocalizedText } from '../../i18n/i18n.tsx';
import type { FieldKind } from '../model/conditionBuilder.ts';
import { inFormOrder } from './fieldOrder.ts';
import { optionLabel, type ConditionFieldOption } from '../../conditions/conditionFields.ts';

/** The parts of the API's answers the pickers use. */
export type FormSummary = Pick<FormVersion, 'key' | 'title' | 'version'>;

/** A form as this panel reads its JSON Schema and uiSchema. */
interface FormDetail extends FormSummary {
  schema: { properties?: Record<string, { type?: string | string[]; title?: string; enum?: unknown[]; 'x-widget'?: string }> };
  uiSchema?: Record<string, { 'ui:title'?: LocalizedText; 'ui:enumNames'?: unknown } | undefined> & { 'ui:order'?: unknown };
}

export interface FormField {
  name: string;
  title: string;
  kind: FieldKind;
  enumValues?: string[];
  /** The enum values with their labels in the chosen language (the condition builder shows labels, stores values). */
  options?: ConditionFieldOption[];
  /** A username field (x-widget user-picker): the natural 表单中的成员字段. */
  member: boolean;
  /** A department-code field (x-widget department-picker): 表单中的部门字段. */
  department: boolean;
}

export type UserOption = Pick<User, 'username' | 'displayName' | 'role' | 'active'>;
export type DepartmentOption = Pick<Department, 'id' | 'code' | 'name' | 'nameEn'>;

export interface FlowData {
  forms: FormSummary[];
  users: UserOption[];
  departments: DepartmentOption[];
  /** Fields of the bound form, in form order (`ui:order`); empty while loading or unbound. */
  fields: FormField[];
  fieldsLoading: boolean;
}

function kindOf(type: string | string[] | undefined): FieldKind {
  const first = Array.isArray(type) ? type.find((t) => t !== 'null') : type;
  return first === 'number' || first === 'integer' || first === 'boolean' ? first : 'string';
}

export function fieldsOf(form: FormDetail, locale: 'zh-CN' | 'en'): FormField[] {
  return inFormOrder(Object.entries(form.schema.properties ?? {}), form.uiSchema).map(([name, property]) => ({
    name,
    title: pickText(form.uiSchema?.[name]?.['ui:title'] ?? property.title, locale, name),
    kind: kindOf(property.type),
    enumValues: property.enum?.map(String),
    options: property.enum?.map((value, index) => ({ value: String(value), label: optionLabel(form.uiSchema?.[name]?.['ui:enumNames'], index, locale) ?? String(value) })),
    member: property['x-widget'] === 'user-picker',
    department: property['x-widget'] === 'department-picker',
  }));
}

export function useFlowData(formKey: string | undefined): FlowData {
  const { locale } = useLocale();
  const [forms, setForms] = useState<FormSummary[]>([]);
  const [users, setUsers] = useState<UserOption[]>([]);
  const [departments, setDepartments] = useState<DepartmentOption[]>([]);
  const [form, setForm] = useState<FormDetail | null>(null);
  const [fieldsLoading, setFieldsLoading] = useState(false);

  useEffect(() => {
    // Each list is optional for the panel: a failure leaves that picker empty, not the page broken.
    void api.get<FormSummary[]>('/forms').then(setForms, () => setForms([]));
    void api.get<UserOption[]>('/users').then((list) => setUsers(list.filter((user) => user.active !== false)), () => setUsers([]));
    void api.get<DepartmentOption[]>('/departments').then(setDepartments, () => setDepartments([]));
  }, []);

  useEffect(() => {
    if (!formKey) {
      setForm(null);
      return;
    }
    let cancelled = false;
    setFieldsLoading(true);
    api
      .get<FormDetail>(`/forms/${encodeURIComponent(formKey)}`)
      .then((detail) => !cancelled && setForm(detail), () => !cancelled && setForm(null))
      .finally(() => !cancelled && setFieldsLoading(false));
    return () => {
      cancelled = true;
    };
  }, [formKey]);

  return { forms, users, departments, fields: form ? fieldsOf(form, locale) : [], fieldsLoading };
}
