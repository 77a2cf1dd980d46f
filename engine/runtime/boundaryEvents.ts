/** Boundary events: armed when a token enters their host, fired by a message, signal or timer. */
import type { FlowNode } from '../bpmn/model.ts';
import type { Step } from './services.ts';
import type { Execution } from './state.ts';
import { listenFor } from './waits.ts';

export function armBoundaryEvents(step: Step, host: Execution, node: FlowNode): void {
  for (const boundaryId of node.boundaryEventIds ?? []) {
    const boundary = step.run.node(boundaryId);
    // Error boundaries are found when an error is thrown; they have nothing to wait for.
    if (boundary.event && boundary.event.type !== 'error') listenFor(step, host.id, host, boundary, boundary.event);
  }
}

/**
 * Fires a boundary event of `host`. Interrupting: everything inside the host is cancelled
 * and the host's token continues from the boundary event. Non-interrupting: a new token
 * leaves the boundary event and the host keeps going.
 */
export async function fireBoundaryEvent(step: Step, host: Execution, boundary: FlowNode): Promise<Execution> {
  const { run } = step;
  if (boundary.interrupting === false) {
    const token = run.newExecution(run.parentOf(host)!, boundary.id);
    await step.ops.passThrough(step, token, boundary.id);
    return token;
  }
  await interruptActivity(step, host);
  await step.ops.passThrough(step, host, boundary.id);
  return host;
}

/** Cancels an activity's work (inner tokens, tasks, a called instance) and clears its scope. */
export async function interruptActivity(step: Step, host: Execution): Promise<void> {
  const { run } = step;
  for (const gone of run.removeChildren(host, true)) {
    if (gone.calledInstanceId) await step.services.terminateCalledInstance(gone.calledInstanceId);
  }
  if (host.calledInstanceId) await step.services.terminateCalledInstance(host.calledInstanceId);
  run.endHistory(host, true);
  run.release(host);
  host.calledInstanceId = undefined;
  host.multiInstance = undefined;
  host.variables = undefined;
  host.status = 'active';
}
