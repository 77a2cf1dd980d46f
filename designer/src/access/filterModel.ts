/**
 * A permission group's record filter (JSON rules the server compiles to SQL) as the rows of the
 * designer's condition builder (text values, `in` as a comma list), and back. Beside the form's
 * own fields the rows offer 创建人 (`$creator`) and 负责人所在部门 (`$ownerDepartment`); beside typed
 * values, 当前用户 (`$me`) on person fields and 我的部门 (`$myDepartments`) on department ones.
 */
import type { ConditionGroup, ConditionOperator, ConditionRule, FieldKind } from '../conditions/conditionBuilder.ts';
import { ruleProblem } from '../conditions/conditionBuilder.ts';
import type { FilterRule, GroupFilter } from './groupTypes.ts';

/** What toApiFilter needs of a row's field: its name and kind. */
export interface FilterFieldKind {
  name: string;
  kind: FieldKind;
}

export const ME = '$me';
export const MY_DEPARTMENTS = '$myDepartments';
export const CREATOR = '$creator';
export const OWNER_DEPARTMENT = '$ownerDepartment';

/** Why a row cannot be saved, or null; the builder's own check, also for the `$` fields. */
export function filterRuleProblem(rule: ConditionRule, kind: FieldKind | undefined): string | null {
  if (!rule.field) return 'field';
  return ruleProblem(rule.field.startsWith('$') ? { ...rule, field: 'x' } : rule, kind);
}

function typed(text: string, kind: FieldKind | undefined): unknown {
  const value = text.trim();
  if (value.startsWith('$')) return value;
  if (kind === 'number' || kind === 'integer') return Number(value);
  if (kind === 'boolean') return value === 'true';
  return value;
}

export function toApiFilter(group: ConditionGroup, fields: FilterFieldKind[]): GroupFilter | null {
  const kinds = new Map(fields.map((field) => [field.name, field.kind]));
  const rules: FilterRule[] = group.rules.map((rule) => {
    const kind = kinds.get(rule.field);
    if (rule.operator === 'empty' || rule.operator === 'notEmpty') return { field: rule.field, operator: rule.operator };
    if (rule.operator === 'in') {
      const items = rule.value.split(',').map((item) => item.trim()).filter(Boolean);
      // `in 我的部门` is one token standing for a list, not a list of one.
      if (items.length === 1 && items[0]!.startsWith('$')) return { field: rule.field, operator: 'in', value: items[0] };
      return { field: rule.field, operator: 'in', value: items.map((item) => typed(item, kind)) };
    }
    return { field: rule.field, operator: rule.operator, value: typed(rule.value, kind) };
  });
  return rules.length ? { join: group.join, rules } : null;
}

export function fromApiFilter(filter: GroupFilter | null): ConditionGroup {
  if (!filter) return { join: 'and', rules: [] };
  return {
    join: filter.join === 'or' ? 'or' : 'and',
    rules: filter.rules.map((rule) => ({
      field: rule.field,
      operator: rule.operator as ConditionOperator,
      value: Array.isArray(rule.value) ? rule.value.map(String).join(', ') : rule.value === undefined || rule.value === null ? '' : String(rule.value),
    })),
  };
}
