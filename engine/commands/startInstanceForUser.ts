/**
 * `POST /api/instances`: a user starts the latest version of a process, in one command (one
 * definition lookup, one transaction). A process bound to a form starts only as a submission
 * of that form: the variables are the form's data, with the same checks, record, routing
 * ticket, `submit` action and automations as `submitFlowForm`, and the form's 422 pointers
 * are reported under `/variables` (where the data sits in this request). The business key of
 * a flow instance is its record id, so a `businessKey` of the caller's is refused there.
 * Any other process starts as `startInstance` would start it (at its only message start event
 * when it has no none start event, as Camunda 7 does).
 */
import { NotFoundError, ValidationError } from '../errors.ts';
import { submitToDefinition, type FlowSubmission } from '../forms/flowSubmit.ts';
import { latestDefinition } from '../store/definitions.ts';
import type { TaskRow } from '../store/tasks.ts';
import { nextTasksFor } from './shared/taskAccess.ts';
import { runCommand, type CommandDeps } from './runCommand.ts';
import { initialStartEventId } from './startInstance.ts';

export type UserStartInput = Omit<FlowSubmission, 'formKey' | 'data'> & {
  definitionKey: string;
  variables?: Record<string, unknown>;
  businessKey?: string | null;
};

export interface UserStartResult {
  id: string;
  status: string;
  /** The record a form-bound start stored. */
  recordId?: string;
  /** The tasks the start opened that the starter may work on (what is next for them), the first 100. */
  nextTasks: TaskRow[];
  /** How many there are in all. */
  nextTasksTotal: number;
}

/** Data pointers start with "/"; model pointers (an element id, e.g. `no_path`) stay as they are. */
function underVariables(error: ValidationError): ValidationError {
  const details = error.details?.map((detail) =>
    detail.pointer === '' || detail.pointer.startsWith('/') ? { ...detail, pointer: `/variables${detail.pointer}` } : detail,
  );
  return new ValidationError(error.message, details, error.code);
}

export async function startInstanceForUser(deps: CommandDeps, input: UserStartInput): Promise<UserStartResult> {
  return runCommand(deps, async (uow, scope) => {
    const definition = await latestDefinition(uow.trx, input.definitionKey);
    if (!definition) throw new NotFoundError(`No process definition with key "${input.definitionKey}"`);
    const formKey = definition.process.formKey;
    if (!formKey) {
      const run = uow.start(definition, {
        variables: input.variables,
        businessKey: input.businessKey,
        startedBy: input.user.username,
        startEventId: initialStartEventId(definition.process),
      });
      await uow.settle();
      return { id: run.id, status: run.record.status, ...nextTasksFor(uow, input.user) };
    }
    if (input.businessKey !== undefined && input.businessKey !== null) {
      const message =
        input.locale === 'en'
          ? `Process "${definition.key}" is bound to form "${formKey}": its business key is the record id, do not send one`
          : `流程「${definition.key}」绑定了表单「${formKey}」，业务标识为数据 ID，请勿传入 businessKey`;
      throw new ValidationError(message, [{ pointer: '/businessKey', message }], 'form_bound_business_key');
    }
    const { variables, ...submission } = input;
    try {
      const submitted = await submitToDefinition(uow, scope, definition, { ...submission, data: variables ?? {}, formKey }, deps.clock());
      const result: UserStartResult = { id: submitted.instance.id, status: submitted.instance.status, recordId: submitted.record.id, nextTasks: [], nextTasksTotal: 0 };
      // Known once the run has settled (the flush comes after it).
      scope.afterFlush(async () => {
        Object.assign(result, nextTasksFor(uow, input.user));
      });
      return result;
    } catch (error) {
      throw error instanceof ValidationError ? underVariables(error) : error;
    }
  });
}
