/**
 * Event-based gateway: waits on every following catch event at once; the first to fire
 * wins and the others are dropped (see triggers.ts).
 */
import type { Behavior } from '../services.ts';
import { listenFor } from '../waits.ts';

export const eventBasedGateway: Behavior = {
  enter(step, execution, node) {
    execution.status = 'waiting';
    for (const flowId of node.outgoing) {
      const target = step.run.node(step.run.process.flows[flowId]!.targetId);
      if (target.event) listenFor(step, execution.id, execution, target, target.event);
    }
  },
};
