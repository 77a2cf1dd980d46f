/**
 * Completes a user task (approve, reject, submit at a fill-in node, or a plain completion):
 * field permissions and the form's schema are checked before anything moves; at an approval
 * node one task is one signature and the node decides when its mode says so.
 */
import { assertFieldPermissions } from '../approval/fieldAccess.ts';
import { decideApproval } from '../approval/flow.ts';
import { assertActionAllowed, fieldPermissionsOf, nodeKindOf, type ApprovalAction } from '../approval/nodeSettings.ts';
import { approvalOf } from '../approval/state.ts';
import type { Db } from '../db/connection.ts';
import type { AuthUser } from '../identity/types.ts';
import { leaveNode, schedule } from '../runtime/interpreter.ts';
import { setVariables } from '../runtime/variables.ts';
import { runCommand, type CommandDeps } from './runCommand.ts';
import { assertMayWorkOn, lockOpenTask, nextTasksFor, type NextTasks } from './shared/taskAccess.ts';
import type { TaskRow } from '../store/tasks.ts';

/**
 * Checks a task's form data before completion (the forms module plugs in here): the form
 * key, the instance's data merged with what is submitted, the actor's locale, and the form's
 * latest version when the caller already knows it (read with the task's lock). It reads
 * the form through the command's transaction `trx`: a second pooled connection, waited for
 * while this one is held, deadlocks a busy pool.
 */
export type TaskDataValidator = (trx: Db, formKey: string | null, merged: Record<string, unknown>, locale: string, version?: number) => Promise<void>;

/** approve → `approved: true`, reject → `approved: false`, and `<nodeId>_decision` either way. */
export type TaskDecision = 'approve' | 'reject';

export interface CompleteTaskInput {
  taskId: string;
  variables: Record<string, unknown>;
  actor: AuthUser;
  comment?: string | null;
  decision?: TaskDecision;
  /** `POST /tasks/:id/submit`: the caller means 提交, so the node must be a fill-in node. */
  submit?: boolean;
}

/**
 * The node action a completion is: its decision; `submit` when asked for, or for a plain
 * completion at a fill-in node; else a plain completion moves the record on like an approval.
 */
function actionOf(input: CompleteTaskInput, fillIn: boolean): ApprovalAction {
  if (input.decision) return input.decision;
  return input.submit || fillIn ? 'submit' : 'approve';
}

export async function completeTask(
  deps: CommandDeps & { validateTaskData?: TaskDataValidator },
  input: CompleteTaskInput,
): Promise<{ instanceId: string } & NextTasks> {
  return runCommand(deps, async (uow, scope) => {
    const task = await lockOpenTask(uow, input.taskId, { assigneeUnchanged: true });
    await assertMayWorkOn(uow, task, input.actor);
    const run = await uow.load(task.instanceId);
    const execution = run.execution(task.executionId);
    const node = run.node(task.elementId);
    const action = actionOf(input, nodeKindOf(node) === 'fillIn');
    assertActionAllowed(node, action);
    const current = run.variablesOf(execution);
    // Field permissions before the form: nothing moves when either fails. A rejection
    // need not fill in what this node requires (the record goes back, not forward).
    assertFieldPermissions(fieldPermissionsOf(node), current, input.variables, input.actor.locale, {
      checkRequired: input.decision !== 'reject',
    });
    await deps.validateTaskData?.(uow.trx, task.formKey, { ...current, ...input.variables }, input.actor.locale, task.formLatestVersion ?? undefined);
    setVariables(run.state, execution, input.variables);
    const approval = approvalOf(execution);
    if (input.decision && !approval) {
      setVariables(run.state, execution, { approved: input.decision === 'approve', [`${task.elementId}_decision`]: input.decision });
    }
    run.completedTaskIds.set(task.id, input.actor.username);
    const audience = { assignee: task.assignee, candidateUsers: task.candidateUsers, candidateGroups: task.candidateGroups };
    run.emit({ type: 'task.updated', rooms: [], payload: { taskId: task.id, instanceId: run.id, status: 'completed', audience } });
    const step = uow.step(run);
    if (approval) await decideApproval(step, execution, node, task.id, input.decision ?? 'approve', input.actor.username);
    else schedule(step, () => leaveNode(step, execution));
    // Written with the run's other rows at flush (one round trip), first: it is what happened first.
    run.taskActions.unshift({
      taskId: task.id,
      instanceId: run.id,
      action: action === 'submit' ? 'submit' : (input.decision ?? 'complete'),
      actor: input.actor.username,
      comment: input.comment,
    });
    const result = { instanceId: run.id, nextTasks: [] as TaskRow[], nextTasksTotal: 0 };
    // Known once the run has settled (the flush comes after it).
    scope.afterFlush(async () => {
      Object.assign(result, nextTasksFor(uow, input.actor));
    });
    return result;
  });
}
