/**
 * Writing one instance's part of a command at flush: the instance row, the task changes the
 * run buffered, the waits its tokens released, and the new tasks, subscriptions, jobs and
 * history. Everything a run does is buffered on the InstanceRun until here.
 */
import type { Db } from '../db/connection.ts';
import { insertInstance, updateInstance } from '../store/instances.ts';
import { insertJobs } from '../store/jobs.ts';
import { insertSubscriptions } from '../store/subscriptions.ts';
import { cancelOpenTasks, insertTasks, markTasksCompleted, recordTaskAction, setTaskHeld } from '../store/tasks.ts';
import { releaseOwnedWaits } from '../store/waits.ts';
import { writeHistory } from '../store/history.ts';
import type { InstanceRun } from './instanceRun.ts';

export async function writeRun(trx: Db, run: InstanceRun, at: Date): Promise<void> {
  const variables = run.root.variables ?? {};
  if (run.isNew) await insertInstance(trx, run.record, variables, run.state);
  else await updateInstance(trx, run.record, variables, run.state);
  for (const [taskId, held] of run.heldTaskChanges) await setTaskHeld(trx, taskId, held);
  await cancelOpenTasks(trx, [...run.cancelledTaskIds], at);
  for (const action of run.taskActions) await recordTaskAction(trx, action);
  await markTasksCompleted(trx, run.completedTaskIds, at);
  // A new instance has nothing stored yet that its tokens could have released.
  if (!run.isNew) {
    await releaseOwnedWaits(trx, {
      instanceId: run.id,
      ownerIds: [...run.releasedExecutionIds],
      firedJobIds: [...run.deletedJobIds],
      at,
    });
  }
  await insertTasks(trx, run.tasks);
  await insertSubscriptions(trx, run.subscriptions);
  await insertJobs(trx, run.jobs);
  await writeHistory(trx, run.id, run.history.values());
}
