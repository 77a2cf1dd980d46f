/**
 * User task: creates an open task with its assignee, candidates, form and due date, and waits.
 * A feature may give a node its own behaviour first (an approval node offers its tasks by
 * mode, engine/approval/flow.ts); it registers as a user task handler (engine/extensions/).
 */
import { taskAssigned } from '../../events.ts';
import { userTaskHandlers } from '../../extensions/userTaskHandlers.ts';
import { evaluate, evaluateList } from '../expressions.ts';
import type { Behavior } from '../services.ts';
import { buildTask } from './taskFactory.ts';

export const userTask: Behavior = {
  async enter(step, execution, node) {
    const { run } = step;
    for (const handler of userTaskHandlers()) {
      if (await handler(step, execution, node)) return;
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
