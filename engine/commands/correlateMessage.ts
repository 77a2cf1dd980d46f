/**
 * Correlates a message to the one token waiting for it, or starts the instance whose start
 * event it names. From outside (`caller` set) the model decides who may send it and what it
 * may carry (shared/eventAccess.ts).
 */
import { ConflictError, NotFoundError } from '../errors.ts';
import type { AuthUser } from '../identity/types.ts';
import { schedule } from '../runtime/interpreter.ts';
import { fireEvent } from '../runtime/triggers.ts';
import { definitionById } from '../store/definitions.ts';
import { findMessageSubscriptions, findStartSubscriptions, subscriptionExists } from '../store/subscriptions.ts';
import { runCommand, type CommandDeps } from './runCommand.ts';
import { logDelivery } from './shared/deliveryLog.ts';
import { assertMayDeliver } from './shared/eventAccess.ts';

export interface MessageInput {
  messageName: string;
  correlationKey?: string;
  variables?: Record<string, unknown>;
  /** Who sends it from outside (HTTP): checked against the model. Absent: engine code, trusted. */
  caller?: AuthUser;
}

export async function correlateMessage(
  deps: CommandDeps,
  input: MessageInput,
): Promise<{ instanceId: string; started: boolean }> {
  const variables = input.variables ?? {};
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
      await assertMayDeliver(uow.trx, input.caller, {
        kind: 'message',
        name: input.messageName,
        node: run.process.nodes[target.elementId],
        instanceId: run.id,
      }, variables);
      // Re-check under the lock: a concurrent command may have consumed it.
      if (!(await subscriptionExists(uow.trx, target.id))) {
        throw new ConflictError(`The instance stopped waiting for "${input.messageName}"`, 'subscription_gone');
      }
      const step = uow.step(run);
      schedule(step, () => fireEvent(step, target.executionId!, target.elementId, variables));
      await logDelivery(uow, run.id, input.caller, {
        messageName: input.messageName,
        elementId: target.elementId,
        correlationKey: input.correlationKey ?? null,
        variables,
      });
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
    await assertMayDeliver(uow.trx, input.caller, {
      kind: 'message',
      name: input.messageName,
      node: definition.process.nodes[start.elementId],
      instanceId: null,
      process: definition.process,
    }, variables);
    const run = uow.start(definition, {
      variables,
      businessKey: input.correlationKey ?? null,
      startEventId: start.elementId,
      startedBy: input.caller?.username ?? null,
    });
    await logDelivery(uow, run.id, input.caller, {
      messageName: input.messageName,
      elementId: start.elementId,
      correlationKey: input.correlationKey ?? null,
      variables,
      started: true,
    });
    return { instanceId: run.id, started: true };
  });
}
