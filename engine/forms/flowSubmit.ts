/**
 * The flow-form part of a submission (流程表单): checks, then the record and the bound
 * process's instance in the command's transaction. The commands `submitFlowForm` and
 * `startInstanceForUser` (engine/commands/) run it through the command executor, which owns
 * the transaction, the unit of work and the events.
 *
 * Checks before any write, in the order a user fixes them: the start event's field
 * permissions (422 `field_permissions`), then the form's latest JSON Schema (422 with
 * pointers, zh-CN/en) — the same checks as a task completion.
 *
 * The instance gets the data plus `recordId` as variables and the record id as business key;
 * the record gets the instance id. The record, its routing ticket, its automation job and a
 * `submit` row in `task_actions` (which references the instance row, so it follows the
 * flush) belong to the same transaction.
 */
import { assertFieldPermissions } from '../approval/fieldAccess.ts';
import { fieldPermissionsOf } from '../approval/nodeSettings.ts';
import { queueRecordAutomations } from '../automations/queue.ts';
import type { CommandScope } from '../commands/runCommand.ts';
import type { AuthUser } from '../identity/types.ts';
import { routeRecord, type RuleErrorReporter } from '../routing/route.ts';
import type { UnitOfWork } from '../runtime/unitOfWork.ts';
import type { LoadedDefinition } from '../store/definitions.ts';
import { insertRecord, linkRecordToInstance, type RecordView } from '../store/records.ts';
import { recordTaskAction } from '../store/tasks.ts';
import { compiledForm } from './compiled.ts';
import { startNodeOf } from './flowForms.ts';
import type { MessageLocale } from './messages.ts';
import { applyFormulas, assignSerials } from './computedFields.ts';
import { assertValidData } from './validator.ts';

export interface FlowSubmission {
  formKey: string;
  data: unknown;
  comment?: string | null;
  user: AuthUser;
  locale: MessageLocale;
  onRuleError: RuleErrorReporter;
}

export interface FlowSubmitResult {
  record: RecordView;
  instance: { id: string; status: string; definitionId: string; definitionKey: string };
}

/** Checks, then stores the record and starts `definition` with it; the `submit` row and automations follow the flush. */
export async function submitToDefinition(
  uow: UnitOfWork,
  scope: CommandScope,
  definition: LoadedDefinition,
  input: FlowSubmission,
  now: Date,
): Promise<FlowSubmitResult> {
  const { formKey, user, locale } = input;
  const { trx } = uow;
  const form = await compiledForm(trx, formKey);
  const sent = input.data as Record<string, unknown>;
  if (sent && typeof sent === 'object' && !Array.isArray(sent)) {
    const start = startNodeOf(definition.process);
    if (start) assertFieldPermissions(fieldPermissionsOf(start), {}, sent, locale);
  }
  const computed = await applyFormulas(form.schema, sent, formKey);
  await assertValidData(form.errorsOf, computed, locale);

  const data = (await assignSerials(trx, formKey, form.schema, computed, now)) as Record<string, unknown>;
  const record = await insertRecord(trx, { formKey, formVersion: form.version, data, createdBy: user.id });
  scope.emit(...(await routeRecord(trx, record, input.onRuleError)));
  const run = uow.start(definition, {
    variables: { ...data, recordId: record.id },
    businessKey: record.id,
    startedBy: user.username,
  });
  await uow.settle();
  const linked: RecordView = { ...record, instanceId: run.id };
  scope.afterFlush(async () => {
    await linkRecordToInstance(trx, record.id, run.id);
    await recordTaskAction(trx, {
      // Like a withdraw with no open task: the action log names the instance itself.
      taskId: run.id,
      instanceId: run.id,
      action: 'submit',
      actor: user.username,
      comment: input.comment ?? null,
      details: { recordId: record.id, formKey },
    });
    await queueRecordAutomations(trx, 'record.created', linked, user.id, [], now);
  });
  return {
    record: linked,
    instance: { id: run.id, status: run.record.status, definitionId: definition.id, definitionKey: definition.key },
  };
}
