/** Start, boundary, manual and plain tasks: nothing to do, move on. */
import { leaveNode } from '../interpreter.ts';
import type { Behavior } from './index.ts';

export const passThroughBehavior: Behavior = {
  enter: (step, execution) => leaveNode(step, execution),
};
