/**
 * Submitting a flow form (`POST /api/forms/:key/submit`): the record is stored AND the bound
 * process starts, in one transaction, or nothing is stored at all.
 *
 * Checks before any write, in the order a user fixes them: the form exists (404), a flow is
 * bound to it (409 `no_flow_bound` — a plain record is `POST /api/forms/:key/records`), the
 * start event's field permissions (422 `field_permissions`), then the form's latest JSON
 * Schema (422 with pointers, zh-CN/en) — the same checks as a task completion.
 *
 * The instance gets the data plus `recordId` as variables and the record id as business key;
 * the record gets the instance id. This runs its own unit of work instead of `runCommand`
 * because the record, its routing ticket, its automation job and a `submit` row in
 * `task_actions` (which references the instance row, so it must follow the flush) belong
 * to the same transaction; events are published only after the commit, as runCommand does.
 */
import { assertFieldPermissions } from '../approval/fieldAccess.ts';
import { fieldPermissionsOf } from '../approval/nodeSettings.ts';
import { queueRecordAutomations } from '../automations/queue.ts';
import type { CommandDeps } from '../commands/runCommand.ts';
import { ConflictError, ValidationError } from '../errors.ts';
import type { AuthUser } from '../identity/types.ts';
import { routeRecord, type RuleErrorReporter } from '../routing/route.ts';
import { UnitOfWork } from '../runtime/unitOfWork.ts';
import { latestDefinition, type LoadedDefinition } from '../store/definitions.ts';
import { insertRecord, linkRecordToInstance, type RecordView } from '../store/records.ts';
import { recordTaskAction } from '../store/tasks.ts';
import { compiledForm } from './compiled.ts';
import { startNodeOf } from './flowForms.ts';
import { boundDefinition } from './flowQueries.ts';
import type { MessageLocale } from './messages.ts';
import { applyFormulas, assignSerials } from './computedFields.ts';
import { assertValid } from './validator.ts';

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

export async function submitFlowForm(deps: CommandDeps, input: FlowSubmission): Promise<FlowSubmitResult> {
  const { formKey, locale } = input;
  const form = await compiledForm(deps.db, formKey);
  const definition = await boundDefinition(deps.db, formKey);
  if (!definition) {
    throw new ConflictError(
      locale === 'en'
        ? `No process is bound to form "${formKey}"; save it as a plain record instead`
        : `表单「${formKey}」未绑定流程，请直接新建数据`,
      'no_flow_bound',
    );
  }
  return submitToDefinition(deps, definition, input);
}

/**
 * `POST /api/instances` for a process bound to a form: a start IS a submission of that form.
 * The variables are the form's data — the same checks, the same record, routing ticket,
 * `submit` action and automations as `POST /api/forms/:key/submit` — so no route starts a
 * bound process without its form. Returns null when the latest version is bound to no form
 * (the caller starts it as a plain process). The business key of a flow instance is its
 * record id, so a `businessKey` of the caller's is refused (422 `/businessKey`).
 */
export async function startBoundProcess(
  deps: CommandDeps,
  input: Omit<FlowSubmission, 'formKey'> & { definitionKey: string; businessKey?: string | null },
): Promise<FlowSubmitResult | null> {
  const definition = await latestDefinition(deps.db, input.definitionKey);
  const formKey = definition?.process.formKey;
  if (!definition || !formKey) return null;
  if (input.businessKey !== undefined && input.businessKey !== null) {
    const message =
      input.locale === 'en'
        ? `Process "${definition.key}" is bound to form "${formKey}": its business key is the record id, do not send one`
        : `流程「${definition.key}」绑定了表单「${formKey}」，业务标识为数据 ID，请勿传入 businessKey`;
    throw new ValidationError(message, [{ pointer: '/businessKey', message }], 'form_bound_business_key');
  }
  return submitToDefinition(deps, definition, { ...input, formKey });
}

/** The submission proper: checks, then record + instance in one transaction. */
async function submitToDefinition(deps: CommandDeps, definition: LoadedDefinition, input: FlowSubmission): Promise<FlowSubmitResult> {
  const { formKey, user, locale } = input;
  const form = await compiledForm(deps.db, formKey);
  const sent = input.data as Record<string, unknown>;
  if (sent && typeof sent === 'object' && !Array.isArray(sent)) {
    const start = startNodeOf(definition.process);
    if (start) assertFieldPermissions(fieldPermissionsOf(start), {}, sent, locale);
  }
  const computed = applyFormulas(form.schema, sent);
  assertValid(form.validate, computed, locale);

  const { result, events } = await deps.db.transaction(async (trx) => {
    const data = (await assignSerials(trx, formKey, form.schema, computed, deps.clock())) as Record<string, unknown>;
    const record = await insertRecord(trx, { formKey, formVersion: form.version, data, createdBy: user.id });
    const ticketEvents = await routeRecord(trx, record, input.onRuleError);
    const uow = new UnitOfWork(trx, deps.clock);
    const run = uow.start(definition, {
      variables: { ...data, recordId: record.id },
      businessKey: record.id,
      startedBy: user.username,
    });
    await uow.settle();
    await uow.flush();
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
    const linked: RecordView = { ...record, instanceId: run.id };
    await queueRecordAutomations(trx, 'record.created', linked, user.id, [], deps.clock());
    return {
      result: {
        record: linked,
        instance: { id: run.id, status: run.record.status, definitionId: definition.id, definitionKey: definition.key },
      },
      events: [...ticketEvents, ...uow.events()],
    };
  });
  deps.events.publish(events);
  return result;
}
