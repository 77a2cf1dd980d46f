/**
 * Messages (correlated to one waiting token, or starting an instance) and signals (broadcast).
 * From outside (`caller` set) the model decides who may send them and what they may carry
 * (eventAccess.ts); every delivery to an instance is logged in its `task_actions` with the
 * actor, like a task action, so the instance's history says who moved it.
 */
import { ConflictError, NotFoundError } from '../errors.ts';
import type { AuthUser } from '../identity/types.ts';
import { schedule } from '../runtime/interpreter.ts';
import { fireEvent } from '../runtime/triggers.ts';
import type { UnitOfWork } from '../runtime/unitOfWork.ts';
import { definitionById } from '../store/definitions.ts';
import {
  findMessageSubscriptions,
  findSignalSubscriptions,
  findStartSubscriptions,
  subscriptionExists,
} from '../store/subscriptions.ts';
import { recordTaskAction } from '../store/tasks.ts';
import { assertMayDeliver } from './eventAccess.ts';
import { runCommand, type CommandDeps } from './runCommand.ts';

export interface MessageInput {
  messageName: string;
  correlationKey?: string;
  variables?: Record<string, unknown>;
  /** Who sends it from outside (HTTP): checked against the model. Absent: engine code, trusted. */
  caller?: AuthUser;
}

export interface SignalInput {
  signalName: string;
  variables?: Record<string, unknown>;
  caller?: AuthUser;
}

/** The log row of one delivery: task id = instance id, as for submit and withdraw. */
function logDelivery(
  uow: UnitOfWork,
  instanceId: string,
  caller: AuthUser | undefined,
  details: Record<string, unknown>,
): Promise<void> {
  return recordTaskAction(uow.trx, {
    taskId: instanceId,
    instanceId,
    action: details.messageName !== undefined ? 'message' : 'signal',
    actor: caller?.username ?? null,
    details,
  });
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

/**
 * Checks every instance and start event the signal would reach before it is delivered to
 * any (all or nothing), then broadcasts it and logs each instance it reached.
 */
export async function broadcastSignal(deps: CommandDeps, input: SignalInput): Promise<{ delivered: number }> {
  const variables = input.variables ?? {};
  return runCommand(deps, async (uow) => {
    const reached: Array<{ instanceId: string; elementId: string }> = [];
    for (const subscription of await findSignalSubscriptions(uow.trx, input.signalName)) {
      // Locks the instance now, in the order the broadcast would lock it.
      const run = await uow.load(subscription.instanceId!);
      const node = run.process.nodes[subscription.elementId];
      await assertMayDeliver(uow.trx, input.caller, { kind: 'signal', name: input.signalName, node, instanceId: run.id }, variables);
      reached.push({ instanceId: run.id, elementId: subscription.elementId });
    }
    for (const start of await findStartSubscriptions(uow.trx, 'signal', input.signalName)) {
      const definition = await definitionById(uow.trx, start.definitionId!);
      if (!definition) continue;
      const node = definition.process.nodes[start.elementId];
      await assertMayDeliver(
        uow.trx,
        input.caller,
        { kind: 'signal', name: input.signalName, node, instanceId: null, process: definition.process },
        variables,
      );
    }
    const delivered = await uow.broadcastSignal(input.signalName, variables, input.caller?.username ?? null);
    // Instances the signal started have the caller as their starter (process_instances.started_by).
    for (const { instanceId, elementId } of reached) {
      await logDelivery(uow, instanceId, input.caller, { signalName: input.signalName, elementId, variables });
    }
    return { delivered };
  });
}
