/**
 * The fields a permission group's filter row may name (access/FilterRows): the form's comparable
 * fields, 创建人 (`$creator`) and 负责人所在部门 (`$ownerDepartment`), with 当前用户 (`$me`) among a
 * person field's choices and 我的部门 (`$myDepartments`) among the departments.
 */
import { conditionFieldsOf, type ConditionField, type ConditionFieldOption } from '../conditions/conditionFields.ts';
import type { Locale } from '../i18n/i18n.tsx';
import { CREATOR, ME, MY_DEPARTMENTS, OWNER_DEPARTMENT } from './filterModel.ts';

export interface FilterWords {
  me: string;
  myDepartments: string;
  creator: string;
  ownerDepartment: string;
}

type Json = Record<string, unknown>;
const asObject = (value: unknown): Json => (value && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : {});

/** The fields a filter row may name, with the person and department choices filled in. */
export function filterFields(
  form: { schema?: unknown; uiSchema?: unknown },
  locale: Locale,
  words: FilterWords,
  people: ConditionFieldOption[],
  departments: ConditionFieldOption[],
): ConditionField[] {
  const properties = asObject(asObject(form.schema).properties);
  const personChoices = [{ value: ME, label: words.me }, ...people];
  const departmentChoices = [{ value: MY_DEPARTMENTS, label: words.myDepartments }, ...departments];
  const own = conditionFieldsOf(form, locale)
    // Lists, objects and files cannot be compared by a row.
    .filter((field) => ['string', 'number', 'integer', 'boolean'].includes(String(asObject(properties[field.name]).type ?? 'string')))
    .map((field) => {
      const widget = asObject(properties[field.name])['x-widget'];
      if (widget === 'user-picker') return { ...field, options: personChoices };
      return field;
    });
  return [
    ...own,
    { name: CREATOR, title: words.creator, kind: 'string', options: personChoices },
    { name: OWNER_DEPARTMENT, title: words.ownerDepartment, kind: 'string', options: departmentChoices },
  ];
}
