/**
 * Approval progress as the API shows it ("2 of 3 approved"): read from the token tree of the
 * instance, where the node's approval state lives while the node runs. A node that has been
 * decided has no state any more; its history is the `task_actions` log. A fill-in node
 * (填写节点) approves nothing, so it has no progress even while its tasks run on the same slots.
 */
import type { Db } from '../db/connection.ts';
import { NotFoundError } from '../errors.ts';
import { definitionById } from '../store/definitions.ts';
import { findInstance, type InstanceRow } from '../store/instances.ts';
import { assigneesOfTasks, type TaskRow } from '../store/tasks.ts';
import { nodeKindOf } from './nodeSettings.ts';
import { approvalOf, progressOf, type ApprovalProgress, type ApprovalState } from './state.ts';

async function progressWithAssignees(db: Db, state: ApprovalState): Promise<ApprovalProgress> {
  const taskIds = state.slots.flatMap((slot) => (slot.taskId ? [slot.taskId] : []));
  return progressOf(state, await assigneesOfTasks(db, taskIds));
}

/** The progress of the approval the task belongs to, while that node runs; else null. */
export async function taskApproval(db: Db, task: TaskRow): Promise<ApprovalProgress | null> {
  const instance = await findInstance(db, task.instanceId);
  const execution = instance?.state.executions.find((candidate) => candidate.id === task.executionId);
  const state = execution && approvalOf(execution);
  if (!instance || !state || state.elementId !== task.elementId) return null;
  return (await isFillIn(db, instance, state.elementId)) ? null : progressWithAssignees(db, state);
}

async function isFillIn(db: Db, instance: InstanceRow, elementId: string): Promise<boolean> {
  const node = (await definitionById(db, instance.definitionId))?.process.nodes[elementId];
  return node !== undefined && nodeKindOf(node) === 'fillIn';
}

/** Every approval node running in the instance, with its progress. */
export async function instanceApprovals(db: Db, instanceId: string): Promise<Array<ApprovalProgress & { executionId: string }>> {
  const instance = await findInstance(db, instanceId);
  if (!instance) throw new NotFoundError(`Process instance ${instanceId} does not exist`);
  const result: Array<ApprovalProgress & { executionId: string }> = [];
  for (const execution of instance.state.executions) {
    const state = approvalOf(execution);
    if (state && !(await isFillIn(db, instance, state.elementId))) result.push({ executionId: execution.id, ...(await progressWithAssignees(db, state)) });
  }
  return result;
}
