/**
 * Flow forms (流程表单): a form bound to a process (binding rules: flowBinding.ts). This file
 * answers what a staff user may start and what the start form looks like, and refuses a
 * deploy that binds a form which does not exist. Submitting is flowSubmit.ts; the record
 * following its instance is flowRecords.ts.
 */
import { visibleSchema, visibleUiSchema } from '../approval/fieldAccess.ts';
import { fieldPermissionsOf, type FieldPermissions } from '../approval/nodeSettings.ts';
import type { CompiledProcess, FlowNode } from '../bpmn/model.ts';
import type { Db } from '../db/connection.ts';
import { NotFoundError, ValidationError, type ErrorDetail } from '../errors.ts';
import { definitionById } from '../store/definitions.ts';
import { getFormVersion, latestVersionOf } from '../store/forms.ts';
import { boundForm, listBoundForms, type FlowFormRow } from './flowQueries.ts';

export type { FlowFormRow };

/** Every form a flow is bound to, with the definition a submission starts. */
export function listFlowForms(db: Db): Promise<FlowFormRow[]> {
  return listBoundForms(db);
}

/** The none start event of the process: whose field permissions apply to the start form. */
export function startNodeOf(process: CompiledProcess): FlowNode | undefined {
  const id = process.scopes[process.id]?.noneStartEventIds[0];
  return id ? process.nodes[id] : undefined;
}

export interface FlowStartForm extends FlowFormRow {
  form: { version: number; schema: Record<string, unknown>; uiSchema: Record<string, unknown> };
  /** The start event's field permissions, hidden fields left out (as for a task form). */
  fieldPermissions: FieldPermissions;
}

/** What the "new submission" screen needs: the form as the start node shows it. */
export async function flowStartForm(db: Db, formKey: string): Promise<FlowStartForm> {
  const bound = await boundForm(db, formKey);
  if (!bound) throw new NotFoundError(`No process is bound to form "${formKey}"`, 'no_flow_bound');
  const definition = await definitionById(db, bound.definitionId);
  const form = await getFormVersion(db, formKey);
  if (!definition || !form) throw new NotFoundError(`No form "${formKey}"`);
  const start = startNodeOf(definition.process);
  const permissions = start ? fieldPermissionsOf(start) : {};
  return {
    ...bound,
    form: {
      version: form.version,
      schema: visibleSchema(permissions, form.schema),
      uiSchema: visibleUiSchema(permissions, form.uiSchema ?? {}),
    },
    fieldPermissions: Object.fromEntries(Object.entries(permissions).filter(([, access]) => access !== 'hidden')),
  };
}

/**
 * Deploy-time check (inside the deploy transaction): every bound form must exist. One 422
 * lists each process whose form is missing, pointing at the element that names it.
 */
export async function assertBoundFormsExist(db: Db, processes: CompiledProcess[]): Promise<void> {
  const details: ErrorDetail[] = [];
  for (const process of processes) {
    if (!process.formKey || (await latestVersionOf(db, process.formKey)) !== undefined) continue;
    const elementId = process.formKeyElementId ?? process.id;
    details.push({
      pointer: elementId,
      message: `'${elementId}' binds process '${process.id}' to form '${process.formKey}', which does not exist (create the form first)`,
    });
  }
  if (details.length > 0) throw new ValidationError('The BPMN model cannot be deployed', details, 'invalid_bpmn');
}
