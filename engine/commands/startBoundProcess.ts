/**
 * `POST /api/instances` for a process bound to a form: a start IS a submission of that form.
 * The variables are the form's data — the same checks, the same record, routing ticket,
 * `submit` action and automations as `submitFlowForm` — so no route starts a bound process
 * without its form. Returns null when the latest version is bound to no form (the caller
 * starts it as a plain process with `startInstance`). The business key of a flow instance
 * is its record id, so a `businessKey` of the caller's is refused (422 `/businessKey`).
 */
import { ValidationError } from '../errors.ts';
import { submitToDefinition, type FlowSubmission, type FlowSubmitResult } from '../forms/flowSubmit.ts';
import { latestDefinition } from '../store/definitions.ts';
import { runCommand, type CommandDeps } from './runCommand.ts';

export type BoundStartInput = Omit<FlowSubmission, 'formKey'> & { definitionKey: string; businessKey?: string | null };

export async function startBoundProcess(deps: CommandDeps, input: BoundStartInput): Promise<FlowSubmitResult | null> {
  return runCommand(deps, async (uow, scope) => {
    const definition = await latestDefinition(uow.trx, input.definitionKey);
    const formKey = definition?.process.formKey;
    if (!definition || !formKey) return null;
    if (input.businessKey !== undefined && input.businessKey !== null) {
      const message =
        input.locale === 'en'
          ? `Process "${definition.key}" is bound to form "${formKey}": its business key is the record id, do not send one`
          : `流程「${definition.key}」绑定了表单「${formKey}」，业务标识为数据 ID，请勿传入 businessKey`;
      throw new ValidationError(message, [{ pointer: '/businessKey', message }], 'form_bound_business_key');
    }
    return submitToDefinition(uow, scope, definition, { ...input, formKey }, deps.clock());
  });
}
