/**
 * User task: creates an open task with its assignee, candidates, form and due date, and waits.
 * A node with `liuzhuan:approval` assignee rules is an approval node instead: its approvers are
 * resolved and offered tasks by mode (engine/approval/flow.ts).
 */
import { approvalSettingsOf } from '../../approval/settings.ts';
import { startApproval } from '../../approval/flow.ts';
import { setApproval } from '../../approval/state.ts';
import { taskAssigned } from '../../events.ts';
import { evaluate, evaluateList } from '../expressions.ts';
import type { Behavior } from './index.ts';
import { buildTask } from './taskFactory.ts';

export const userTask: Behavior = {
  async enter(step, execution, node) {
    const { run } = step;
    // A token that comes back here (return, loop) starts a fresh approval, never an old one.
    setApproval(execution, undefined);
    const approval = approvalSettingsOf(node);
    if (approval) {
      await startApproval(step, execution, node, approval);
      return;
    }
    const settings = node.userTask ?? {};
    const assignee = settings.assignee ? evaluate(run, execution, settings.assignee) : null;
    const task = buildTask(run, execution, node, {
      assignee: assignee === null || assignee === undefined || assignee === '' ? null : String(assignee),
      candidateUsers: evaluateList(run, execution, settings.candidateUsers),
      candidateGroups: evaluateList(run, execution, settings.candidateGroups),
    });
    run.tasks.push(task);
    execution.status = 'waiting';
    run.emit(taskAssigned(task));
  },
};
