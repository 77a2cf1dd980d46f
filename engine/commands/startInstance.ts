/** Start a process instance from the latest version of a definition key. */
import { NotFoundError } from '../errors.ts';
import { latestDefinition } from '../store/definitions.ts';
import { runCommand, type CommandDeps } from './runCommand.ts';

export interface StartInstanceInput {
  definitionKey: string;
  variables?: Record<string, unknown>;
  businessKey?: string | null;
  startedBy?: string | null;
  /** Set by an automation's startProcess action only (never from HTTP input): its chain. */
  automationChain?: string[];
}

export async function startInstance(deps: CommandDeps, input: StartInstanceInput): Promise<{ id: string; status: string }> {
  return runCommand(deps, async (uow) => {
    const definition = await latestDefinition(uow.trx, input.definitionKey);
    if (!definition) throw new NotFoundError(`No process definition with key "${input.definitionKey}"`);
    const run = uow.start(definition, {
      variables: input.variables,
      businessKey: input.businessKey,
      startedBy: input.startedBy,
      automationChain: input.automationChain,
    });
    await uow.settle();
    return { id: run.id, status: run.record.status };
  });
}
