/**
 * `process.finished`: listens on the node's EventBus for `instance.updated` with status
 * `completed` (published after the commit) and fires the automations of that definition
 * key with the instance's variables. Each node hears only what its own engine published,
 * so a completion fires once across the cluster. The chain starts empty: a process started
 * by an automation does not carry its chain through the instance (see runner.ts).
 */
import type { EventBus } from '../events.ts';
import { findInstance } from '../store/instances.ts';
import type { AutomationDeps } from './actions.ts';
import { fireAutomations } from './runner.ts';

export function subscribeProcessFinished(deps: AutomationDeps, log: (error: unknown) => void): { stop(): Promise<void> } {
  let queue: Promise<void> = Promise.resolve();
  const unsubscribe = (deps.events as EventBus).subscribe((event) => {
    if (event.type !== 'instance.updated' || event.payload.status !== 'completed') return;
    const instanceId = String(event.payload.instanceId);
    queue = queue.then(async () => {
      try {
        const instance = await findInstance(deps.db, instanceId);
        if (!instance) return;
        const meta = { id: instance.id, definitionKey: instance.definitionKey, businessKey: instance.businessKey, startedBy: instance.startedBy };
        // Not `instance`: that is a FEEL keyword (`instance of`).
        const variables = { ...(instance.variables ?? {}), processInstance: meta };
        await fireAutomations(
          deps,
          { trigger: 'process.finished', key: instance.definitionKey, recordId: null, variables, templateData: variables, actorId: null, chain: [] },
          log,
        );
      } catch (error) {
        log(error);
      }
    });
  });
  return {
    async stop() {
      unsubscribe();
      await queue;
    },
  };
}
