/** Broadcasts a signal to every instance waiting for it and every process it starts. */
import type { AuthUser } from '../identity/types.ts';
import { definitionById } from '../store/definitions.ts';
import { findSignalSubscriptions, findStartSubscriptions } from '../store/subscriptions.ts';
import { runCommand, type CommandDeps } from './runCommand.ts';
import { logDelivery } from './shared/deliveryLog.ts';
import { assertMayDeliver } from './shared/eventAccess.ts';

export interface SignalInput {
  signalName: string;
  variables?: Record<string, unknown>;
  caller?: AuthUser;
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
