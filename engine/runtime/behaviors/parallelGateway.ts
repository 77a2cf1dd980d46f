/**
 * Parallel gateway: joins wait until as many tokens have arrived as there are incoming
 * flows (as Camunda counts), then one token forks along every outgoing flow.
 */
import type { Behavior } from '../services.ts';

export const parallelGateway: Behavior = {
  async enter(step, execution, node) {
    const { run } = step;
    if (node.incoming.length > 1) {
      execution.status = 'joining';
      const arrived = run.children(run.parentOf(execution)!).filter(
        (sibling) => sibling.elementId === node.id && sibling.status === 'joining',
      );
      if (arrived.length < node.incoming.length) return;
      for (const other of arrived.slice(0, node.incoming.length)) {
        if (other !== execution) {
          run.endHistory(other);
          run.removeTree(other, false);
        }
      }
      execution.status = 'active';
    }
    run.endHistory(execution);
    if (node.outgoing.length === 0) {
      await step.ops.endExecution(step, execution);
      return;
    }
    step.ops.continueAlong(step, execution, node.outgoing);
  },
};
