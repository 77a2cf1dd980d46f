/** Messages (correlated to one waiting token, or starting an instance) and signals (broadcast). */
import { ConflictError, NotFoundError } from '../errors.ts';
import { schedule } from '../runtime/interpreter.ts';
import { fireEvent } from '../runtime/triggers.ts';
import { definitionById } from '../store/definitions.ts';
import { findMessageSubscriptions, findStartSubscriptions, subscriptionExists } from '../store/subscriptions.ts';
import { runCommand, type CommandDeps } from './runCommand.ts';

export interface MessageInput {
  messageName: string;
  correlationKey?: string;
  variables?: Record<string, unknown>;
  actor?: string | null;
}

export async function correlateMessage(
  deps: CommandDeps,
  input: MessageInput,
): Promise<{ instanceId: string; started: boolean }> {
  return runCommand(deps, async (uow) => {
    const waiting = await findMessageSubscriptions(uow.trx, input.messageName, input.correlationKey);
    if (waiting.length > 1 && new Set(waiting.map((row) => row.instanceId)).size > 1) {
      throw new ConflictError(
        `Message "${input.messageName}" matches ${waiting.length} waiting instances; give a correlationKey that picks one`,
        'ambiguous_correlation',
      );
    }
    const target = waiting[0];
    if (target) {
      const run = await uow.load(target.instanceId!);
      // Re-check under the lock: a concurrent command may have consumed it.
      if (!(await subscriptionExists(uow.trx, target.id))) {
        throw new ConflictError(`The instance stopped waiting for "${input.messageName}"`, 'subscription_gone');
      }
      const step = uow.step(run);
      schedule(step, () => fireEvent(step, target.executionId!, target.elementId, input.variables ?? {}));
      return { instanceId: run.id, started: false };
    }
    const [start] = await findStartSubscriptions(uow.trx, 'message', input.messageName);
    const definition = start ? await definitionById(uow.trx, start.definitionId!) : null;
    if (!start || !definition) {
      throw new NotFoundError(
        `No instance waits for message "${input.messageName}"${input.correlationKey ? ` with correlation key "${input.correlationKey}"` : ''} and no process starts with it`,
        'message_not_correlated',
      );
    }
    const run = uow.start(definition, {
      variables: input.variables,
      businessKey: input.correlationKey ?? null,
      startEventId: start.elementId,
      startedBy: input.actor ?? null,
    });
    return { instanceId: run.id, started: true };
  });
}

export async function broadcastSignal(
  deps: CommandDeps,
  input: { signalName: string; variables?: Record<string, unknown>; actor?: string | null },
): Promise<{ delivered: number }> {
  return runCommand(deps, async (uow) => ({
    delivered: await uow.broadcastSignal(input.signalName, input.variables ?? {}, input.actor ?? null),
  }));
}
