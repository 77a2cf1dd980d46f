/**
 * Approval nodes: offering tasks by mode, counting decisions, adding signers.
 *
 * Why not the multi-instance machinery: 或签/会签 decide on the *first* rejection (or first
 * decision), 依次 stops at a rejection, and 加签 inserts signers and holds tasks while the node
 * runs. A multi-instance body would need inner tokens created and re-ordered on the fly and
 * a completion condition fed by counters that mean different things per mode. Here the
 * node keeps ONE token that owns every task of the node, and a small slot list on that token
 * (state.ts) says who signed what. Leaving or interrupting the token cancels every task still
 * open in the same transaction, exactly as for a plain user task.
 *
 * Modes: `single` one task (several approvers → one task offered to all as candidate users);
 * `all` (会签) a task each, every one must approve; `any` (或签) a task each, the first
 * decision decides; `sequential` (依次) one at a time in rule order. In every mode a
 * rejection rejects the node at once. The outcome is written like a single approval:
 * `approved` and `<nodeId>_decision`. A fill-in node (填写节点, nodeSettings.ts `nodeKindOf`)
 * runs on the same slots — who fills in, one at a time or each — but its 提交 decides
 * nothing, so it writes no outcome.
 *
 * Reads of the organisation go through the command's transaction; every write (task actions,
 * holds, cancellations) is buffered on the InstanceRun and written by the unit of work's flush.
 */
import type { FlowNode } from '../bpmn/model.ts';
import type { Db } from '../db/connection.ts';
import { ConflictError, ValidationError } from '../errors.ts';
import { taskAssigned } from '../events.ts';
import type { UserTaskHandler } from '../extensions/userTaskHandlers.ts';
import { schedule } from '../runtime/agenda.ts';
import { buildTask } from '../runtime/behaviors/taskFactory.ts';
import type { Step } from '../runtime/services.ts';
import type { Execution } from '../runtime/state.ts';
import { setVariables } from '../runtime/variables.ts';
import type { TaskRow } from '../store/tasks.ts';
import { activeUsernamesOfRole } from '../store/users.ts';
import { resolveAssignees } from './assignees.ts';
import { nodeKindOf } from './nodeSettings.ts';
import { approvalSettingsOf, type ApprovalSettings } from './settings.ts';
import { approvalOf, isPending, setApproval, slotOfTask, type ApprovalSlot, type ApprovalState } from './state.ts';

export type Decision = 'approve' | 'reject';

/** The command's transaction: approval reads the organisation in it (it writes nothing there). */
export function transactionOf(step: Step): Db {
  return step.services.trx;
}

/**
 * The user task handler approval registers (approval/register.ts): a node with
 * `liuzhuan:approval` assignee rules is an approval node. A token that comes back to a node
 * (return, loop) starts a fresh approval, never an old one.
 */
export const approvalTaskHandler: UserTaskHandler = async (step, execution, node) => {
  setApproval(execution, undefined);
  const settings = approvalSettingsOf(node);
  if (!settings) return false;
  await startApproval(step, execution, node, settings);
  return true;
};

/** The behaviour of an approval node: resolve approvers, apply the fallback, offer tasks. */
export async function startApproval(step: Step, execution: Execution, node: FlowNode, settings: ApprovalSettings): Promise<void> {
  const { run } = step;
  const trx = transactionOf(step);
  let approvers = await resolveAssignees(trx, run, execution, node, settings.rules);
  const reason = 'no approver resolved from the assignee rules';
  if (approvers.length === 0 && settings.fallback === 'skip') {
    // task_actions needs a task id; the instance id stands in, as for a withdrawal.
    run.taskActions.push({
      taskId: run.id,
      instanceId: run.id,
      action: 'skip',
      actor: null,
      comment: reason,
      details: { elementId: node.id, executionId: execution.id, reason, fallback: 'skip' },
    });
    writeOutcome(step, execution, node, 'approve');
    await step.ops.leaveNode(step, execution);
    return;
  }
  let fallback = false;
  if (approvers.length === 0) {
    approvers = await activeUsernamesOfRole(trx, 'admin');
    fallback = true;
    if (approvers.length === 0) {
      throw new ValidationError(`Nobody can approve at "${node.id}": no approver resolved and no active admin`, [
        { pointer: node.id, message: reason },
      ], 'no_approver');
    }
  }
  const slots: ApprovalSlot[] =
    settings.mode === 'single'
      ? [approvers.length === 1
          ? { username: approvers[0]!, origin: 'rule', status: 'waiting' }
          : { username: null, candidates: approvers, origin: 'rule', status: 'waiting' }]
      : approvers.map((username) => ({ username, origin: 'rule', status: 'waiting' }));
  const state: ApprovalState = { elementId: node.id, mode: settings.mode, slots };
  setApproval(execution, state);
  execution.status = 'waiting';
  const opened = settings.mode === 'sequential' ? slots.slice(0, 1) : slots;
  for (const slot of opened) openSlot(step, execution, node, slot);
  if (fallback) {
    run.taskActions.push({
      taskId: opened[0]!.taskId!,
      instanceId: run.id,
      action: 'fallback',
      actor: null,
      comment: reason,
      details: { elementId: node.id, reason, fallback: 'admin', assignees: approvers },
    });
  }
}

/** Creates the slot's task (owned by the node's token) and announces it. */
function openSlot(step: Step, execution: Execution, node: FlowNode, slot: ApprovalSlot): void {
  const task = buildTask(step.run, execution, node, {
    assignee: slot.username,
    candidateUsers: slot.username ? [] : (slot.candidates ?? []),
    candidateGroups: [],
  });
  step.run.tasks.push(task);
  slot.taskId = task.id;
  slot.status = 'open';
  step.run.emit(taskAssigned(task));
}

/**
 * A plain user task (camunda assignment) gets an approval state the first time someone adds
 * a signer at it: a `single` approval whose one slot is the existing task.
 */
export function approvalOrAdopt(execution: Execution, task: TaskRow): ApprovalState {
  const existing = approvalOf(execution);
  if (existing) return existing;
  const state: ApprovalState = {
    elementId: task.elementId,
    mode: 'single',
    slots: [{
      username: task.assignee,
      ...(task.assignee ? {} : { candidates: task.candidateUsers }),
      origin: 'rule',
      status: 'open',
      taskId: task.id,
    }],
  };
  setApproval(execution, state);
  return state;
}

/**
 * Counts a decision on one of the node's tasks (the caller has completed the task itself).
 * A rejection rejects the node; an approval of a signer added before someone re-opens their
 * task; otherwise the mode says whether the node is done, or who is next.
 */
export async function decideApproval(
  step: Step,
  execution: Execution,
  node: FlowNode,
  taskId: string,
  decision: Decision,
  actor: string,
): Promise<void> {
  const state = approvalOf(execution);
  const slot = state && slotOfTask(state, taskId);
  if (!state || !slot || slot.status !== 'open') throw new ConflictError(`Task ${taskId} is no longer open`, 'task_closed');
  slot.status = decision === 'approve' ? 'approved' : 'rejected';
  slot.decidedBy = actor;
  slot.decidedAt = step.run.now().toISOString();
  if (decision === 'reject') {
    finish(step, execution, node, state, 'reject');
    return;
  }
  if (slot.origin === 'before') {
    reopenHeld(step, execution, node, state, slot);
    return;
  }
  if ((state.mode === 'any' || state.mode === 'single') && slot.origin === 'rule') {
    // The first approval decides the approvers' part; signers added *after* someone still sign.
    cancelSlots(step, state, (other) => other.origin !== 'after' && isPending(other));
  }
  advance(step, execution, node, state);
}

/** Adds `username` before (the caller's task is held) or after (the caller's approval counts). */
export async function addSignerAt(
  step: Step,
  execution: Execution,
  node: FlowNode,
  task: TaskRow,
  input: { username: string; position: 'before' | 'after'; actor: string },
): Promise<string> {
  const state = approvalOrAdopt(execution, task);
  const slot = slotOfTask(state, task.id);
  if (!slot || slot.status !== 'open') throw new ConflictError(`Task ${task.id} is no longer open`, 'task_closed');
  if (state.slots.some((other) => isPending(other) && other.username === input.username)) {
    throw new ValidationError(`${input.username} already has to sign at "${node.id}"`, [
      { pointer: '/username', message: 'already a pending signer at this node' },
    ], 'already_signer');
  }
  const added: ApprovalSlot = { username: input.username, origin: input.position, status: 'waiting', addedBy: input.actor };
  state.slots.splice(state.slots.indexOf(slot) + 1, 0, added);
  if (input.position === 'before') {
    added.reopensTaskId = task.id;
    slot.status = 'held';
    step.run.heldTaskChanges.set(task.id, true);
    step.run.emit({ type: 'task.updated', rooms: [], payload: { taskId: task.id, instanceId: step.run.id, status: 'held' } });
    openSlot(step, execution, node, added);
  } else {
    openSlot(step, execution, node, added);
    await decideApproval(step, execution, node, task.id, 'approve', input.actor);
  }
  return added.taskId!;
}

function reopenHeld(step: Step, execution: Execution, node: FlowNode, state: ApprovalState, slot: ApprovalSlot): void {
  const held = state.slots.find((other) => other.taskId === slot.reopensTaskId && other.status === 'held');
  if (!held) {
    // The held task was cancelled meanwhile (或签 decided by someone else): nothing waits on it.
    advance(step, execution, node, state);
    return;
  }
  held.status = 'open';
  step.run.heldTaskChanges.set(held.taskId!, false);
  const people = { assignee: held.username, candidateUsers: held.username ? [] : (held.candidates ?? []), candidateGroups: [] };
  step.run.emit({ type: 'task.updated', rooms: [], payload: { taskId: held.taskId!, instanceId: step.run.id, status: 'open' } });
  step.run.emit(taskAssigned({ id: held.taskId!, instanceId: step.run.id, elementId: node.id, ...people }));
}

/** 依次: the next signer once nobody is on it; any mode: done once nobody is pending. */
function advance(step: Step, execution: Execution, node: FlowNode, state: ApprovalState): void {
  const busy = state.slots.some((slot) => slot.status === 'open' || slot.status === 'held');
  if (!busy) {
    const next = state.slots.find((slot) => slot.status === 'waiting');
    if (next) {
      openSlot(step, execution, node, next);
      return;
    }
    finish(step, execution, node, state, 'approve');
  }
}

/** Cancels slots no longer needed while the node goes on (their open tasks too). */
function cancelSlots(step: Step, state: ApprovalState, which: (slot: ApprovalSlot) => boolean): void {
  const taskIds: string[] = [];
  for (const slot of state.slots.filter(which)) {
    slot.status = 'cancelled';
    if (!slot.taskId) continue;
    const unsaved = step.run.tasks.findIndex((task) => task.id === slot.taskId);
    if (unsaved >= 0) step.run.tasks.splice(unsaved, 1);
    else taskIds.push(slot.taskId);
    step.run.emit({ type: 'task.updated', rooms: [], payload: { taskId: slot.taskId, instanceId: step.run.id, status: 'cancelled' } });
  }
  for (const taskId of taskIds) step.run.cancelledTaskIds.add(taskId);
}

/** The node is decided: outcome variables, the rest cancelled (by leaving), move on. */
function finish(step: Step, execution: Execution, node: FlowNode, state: ApprovalState, outcome: Decision): void {
  for (const slot of state.slots.filter(isPending)) {
    slot.status = 'cancelled';
    if (slot.taskId) {
      step.run.emit({ type: 'task.updated', rooms: [], payload: { taskId: slot.taskId, instanceId: step.run.id, status: 'cancelled' } });
    }
  }
  writeOutcome(step, execution, node, outcome);
  setApproval(execution, undefined);
  // Leaving releases the token: its tasks still open (held ones too) are cancelled.
  schedule(step, () => step.ops.leaveNode(step, execution));
}

/**
 * `approved` and `<nodeId>_decision`, as a single approval writes them, so gateways work
 * unchanged. A fill-in node (填写节点) decides nothing: it writes no outcome, so a gateway
 * after it still reads the decision of the approval before it.
 */
function writeOutcome(step: Step, execution: Execution, node: FlowNode, outcome: Decision): void {
  if (nodeKindOf(node) === 'fillIn') return;
  setVariables(step.run.state, execution, { approved: outcome === 'approve', [`${node.id}_decision`]: outcome });
}
