/**
 * Submits a flow form (`POST /api/forms/:key/submit`): the record is stored AND the bound
 * process starts, in one transaction, or nothing is stored at all (engine/forms/flowSubmit.ts).
 * The form must exist (404) and a flow must be bound to it (409 `no_flow_bound` — a plain
 * record is `createRecord`).
 */
import { ConflictError } from '../errors.ts';
import { compiledForm } from '../forms/compiled.ts';
import { boundDefinition } from '../forms/flowQueries.ts';
import { submitToDefinition, type FlowSubmission, type FlowSubmitResult } from '../forms/flowSubmit.ts';
import { runCommand, type CommandDeps } from './runCommand.ts';

export type { FlowSubmission, FlowSubmitResult };

export async function submitFlowForm(deps: CommandDeps, input: FlowSubmission): Promise<FlowSubmitResult> {
  const { formKey, locale } = input;
  return runCommand(deps, async (uow, scope) => {
    await compiledForm(uow.trx, formKey);
    const definition = await boundDefinition(uow.trx, formKey);
    if (!definition) {
      throw new ConflictError(
        locale === 'en'
          ? `No process is bound to form "${formKey}"; save it as a plain record instead`
          : `表单「${formKey}」未绑定流程，请直接新建数据`,
        'no_flow_bound',
      );
    }
    return submitToDefinition(uow, scope, definition, input, deps.clock());
  });
}
