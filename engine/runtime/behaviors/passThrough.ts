/** Start, boundary, manual and plain tasks: nothing to do, move on. */
import type { Behavior } from '../services.ts';

export const passThroughBehavior: Behavior = {
  enter: (step, execution) => step.ops.leaveNode(step, execution),
};
