/**
 * A task's deadline (截止时间) when its node has a timeout. `tasks.due_at` used to come only
 * from `camunda:dueDate`, so a node set up in the flow designer with "remind after 4 hours"
 * or "approve automatically after 1 day" (`<liuzhuan:timeout>`, approval/timeoutSettings.ts)
 * made tasks with no deadline: the inbox showed "—" and could not sort or flag them overdue.
 *
 * Before the unit of work writes new tasks, this flush participant gives each task without a
 * due date the moment its node's timeout falls due, counted from the task's creation exactly
 * as the timeout jobs are (approval/timeouts.ts): `after` (when the timeout action runs), or
 * else `remindAfter` (when the assignee is told they are late). A modelled `camunda:dueDate`
 * stays as it is. A transfer keeps the task, so it keeps its deadline, like the jobs.
 */
import { timeoutDuration, timeoutSettingsOf } from '../approval/timeoutSettings.ts';
import type { FlushParticipant } from '../extensions/flushParticipants.ts';
import { addDuration } from '../timers/iso.ts';

export const taskDeadlinesOnFlush: FlushParticipant = {
  name: 'inbox.deadlines',
  async beforeInstances({ runs }) {
    for (const run of runs) {
      for (const task of run.tasks) {
        if (task.dueAt) continue;
        const node = run.process.nodes[task.elementId];
        const settings = node && timeoutSettingsOf(node);
        if (!settings) continue;
        const duration = timeoutDuration(settings.after) ?? timeoutDuration(settings.remindAfter);
        if (duration) task.dueAt = addDuration(task.createdAt, duration);
      }
    }
  },
};
