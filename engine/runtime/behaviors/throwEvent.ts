/** Intermediate throw events: a signal is broadcast; none and message throws pass through. */
import type { Behavior } from '../services.ts';

export const intermediateThrowEvent: Behavior = {
  async enter(step, execution, node) {
    if (node.event?.type === 'signal') {
      await step.services.throwSignal(step.run, node.event.signalName, {});
    }
    await step.ops.leaveNode(step, execution);
  },
};
