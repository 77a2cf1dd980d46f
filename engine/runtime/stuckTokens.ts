/**
 * The last check of a run: an active instance must wait for something — a task, a message,
 * a timer, a called instance. When every token left is a join waiting for siblings and
 * nothing outside can interrupt them, no token can ever arrive: the instance would stay
 * `active` forever with nothing to do. Deploy refuses the models we can recognise
 * (bpmn/joins.ts); this refuses the rest at run time, so no such zombie is ever stored.
 */
import { ValidationError } from '../errors.ts';
import type { InstanceRun } from './instanceRun.ts';
import type { Execution } from './state.ts';

export const STUCK_TOKENS = 'stuck_tokens';

export function assertNotStuck(run: InstanceRun): void {
  if (run.record.status !== 'active') return;
  const executions = run.state.executions;
  const parents = new Set(executions.map((execution) => execution.parentId));
  const leaves = executions.filter((execution) => execution.parentId !== null && !parents.has(execution.id));
  if (leaves.length === 0 || leaves.some((leaf) => leaf.status !== 'joining')) return;
  if (leaves.some((leaf) => canBeInterrupted(run, leaf))) return;
  const joins = [...new Set(leaves.map((leaf) => leaf.elementId))];
  throw new ValidationError(
    `Process "${run.process.id}" would wait forever: its only tokens wait at ${joins
      .map((id) => `${run.node(id).type} "${id}"`)
      .join(', ')} for tokens that can never arrive`,
    joins.map((pointer) => ({ pointer, message: 'waits for tokens that can never arrive' })),
    STUCK_TOKENS,
  );
}

/** Whether an enclosing scope listens for something (boundary or event sub-process) that could end the wait. */
function canBeInterrupted(run: InstanceRun, leaf: Execution): boolean {
  for (let scope = run.parentOf(leaf); scope; scope = run.parentOf(scope)) {
    const elementId = scope.parentId === null ? run.process.id : scope.elementId;
    if (run.process.scopes[elementId]?.eventSubProcessIds.length) return true;
    if (scope.parentId !== null && run.process.nodes[elementId]?.boundaryEventIds?.length) return true;
  }
  return false;
}
