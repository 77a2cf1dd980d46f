/** Start a process instance from the latest version of a definition key. */
import type { CompiledProcess } from '../bpmn/model.ts';
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

/**
 * Where a start by key begins, as in Camunda 7 (`startProcessInstanceByKey`): the none start
 * event, else the process's only start event when that is a message start — a process drawn to
 * be started by a message can also be started directly, without one. Undefined leaves the choice
 * to the run, which refuses a process with neither (422 `no_start_event`).
 */
export function initialStartEventId(process: CompiledProcess): string | undefined {
  const scope = process.scopes[process.id];
  if (!scope || scope.noneStartEventIds.length > 0 || scope.eventStartEventIds.length !== 1) return undefined;
  const only = scope.eventStartEventIds[0]!;
  return process.nodes[only]?.event?.type === 'message' ? only : undefined;
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
      startEventId: initialStartEventId(definition.process),
    });
    await uow.settle();
    return { id: run.id, status: run.record.status };
  });
}
