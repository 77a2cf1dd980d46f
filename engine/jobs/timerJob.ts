/** The job handler of `timer` jobs: fires the timer in one command (engine/commands/fireTimerJob.ts). */
import { fireTimerJob } from '../commands/fireTimerJob.ts';
import type { JobHandler } from '../extensions/jobHandlers.ts';

export const TIMER_JOB_TYPE = 'timer';

export const timerJobHandler: JobHandler = async ({ deps, job, owner }) => {
  const fired = await fireTimerJob(deps, job.id, owner);
  return fired.fired ? { ran: true } : { ran: false, reason: fired.reason };
};
