/**
 * The deploy check of assignee rules that read a form field (`memberField`, `departmentField`)
 * against the process's bound form (流程表单). It needs the form, so it runs in the deploy
 * transaction (commands/deployDefinition.ts), not in the compile listener. A process without a
 * bound form is not checked: its variables are known only at run time.
 *
 * A member field is one the form designer types as a member (`x-widget: user-picker`, a
 * username), a department field one typed as a department (`x-widget: department-picker`, a
 * department code) — either may also be a list of them. A rule naming a field of another kind,
 * or no field of the form, is refused: a process variable outside the form is a `feel` rule.
 */
import type { CompiledProcess } from '../bpmn/model.ts';
import type { Db } from '../db/connection.ts';
import { ValidationError, type ErrorDetail } from '../errors.ts';
import { getFormVersion } from '../store/forms.ts';
import { approvalSettingsOf } from './settings.ts';

export type FieldWidget = 'member' | 'department' | 'other';

const WIDGETS: Record<string, FieldWidget> = { 'user-picker': 'member', 'department-picker': 'department' };

/** What a form field holds, by its schema's `x-widget` (or its items' for a list). */
export function fieldWidgetOf(property: unknown): FieldWidget {
  if (!property || typeof property !== 'object') return 'other';
  const schema = property as { 'x-widget'?: unknown; items?: { 'x-widget'?: unknown } };
  const widget = schema['x-widget'] ?? schema.items?.['x-widget'];
  return typeof widget === 'string' ? (WIDGETS[widget] ?? 'other') : 'other';
}

const WANTED: Record<'memberField' | 'departmentField', FieldWidget> = { memberField: 'member', departmentField: 'department' };

/** Every problem of every process, as deploy details on the node (code + params for the designer's words). */
export async function assigneeFieldProblems(db: Db, processes: CompiledProcess[]): Promise<ErrorDetail[]> {
  const details: ErrorDetail[] = [];
  for (const process of processes) {
    if (!process.formKey) continue;
    const form = await getFormVersion(db, process.formKey);
    if (!form) continue; // a missing form is the bound-form check's problem (forms/flowForms.ts)
    const properties = (form.schema.properties ?? {}) as Record<string, unknown>;
    for (const node of Object.values(process.nodes)) {
      if (!node) continue;
      approvalSettingsOf(node)?.rules.forEach((rule, index) => {
        if (rule.type !== 'memberField' && rule.type !== 'departmentField') return;
        const wanted = WANTED[rule.type];
        const label = `${node.type} '${node.id}': liuzhuan:assignee #${index + 1} (${rule.type})`;
        const params = { node: node.id, rule: index + 1, field: rule.variable, form: process.formKey!, wanted };
        if (!Object.hasOwn(properties, rule.variable)) {
          details.push({
            pointer: node.id,
            code: 'assignee_field_unknown',
            params,
            message: `${label}: the form '${process.formKey}' has no field '${rule.variable}'; choose one of its ${wanted} fields (for another process variable use a feel rule)`,
          });
          return;
        }
        const actual = fieldWidgetOf(properties[rule.variable]);
        if (actual === wanted) return;
        const hint = actual === 'other' ? `choose one of its ${wanted} fields` : `use type ${actual === 'member' ? 'memberField' : 'departmentField'} for it`;
        details.push({
          pointer: node.id,
          code: 'assignee_field_wrong_kind',
          params: { ...params, actual },
          message: `${label}: '${rule.variable}' of form '${process.formKey}' is ${actual === 'other' ? 'neither a member nor a department field' : `a ${actual} field`}; ${hint}`,
        });
      });
    }
  }
  return details;
}

/** 422 `invalid_bpmn` listing every such problem (nothing is deployed). */
export async function assertAssigneeFields(db: Db, processes: CompiledProcess[]): Promise<void> {
  const details = await assigneeFieldProblems(db, processes);
  if (details.length > 0) throw new ValidationError('The BPMN model cannot be deployed', details, 'invalid_bpmn');
}
