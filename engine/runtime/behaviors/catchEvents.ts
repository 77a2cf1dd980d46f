/** Intermediate catch events and receive tasks wait for their message, signal or timer. */
import { listenFor } from '../waits.ts';
import type { Behavior } from '../services.ts';

export const intermediateCatchEvent: Behavior = {
  enter(step, execution, node) {
    if (!node.event) return step.ops.leaveNode(step, execution);
    execution.status = 'waiting';
    listenFor(step, execution.id, execution, node, node.event);
  },
};

export const receiveTask: Behavior = {
  enter(step, execution, node) {
    // A receive task without a message waits to be triggered explicitly (Camunda's `trigger`).
    execution.status = 'waiting';
    if (node.event) listenFor(step, execution.id, execution, node, node.event);
  },
};
