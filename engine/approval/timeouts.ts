/**
 * Per-node timeouts on user tasks (`<liuzhuan:timeout>`, see timeoutSettings.ts), built on
 * the job table:
 *
 *  - scheduling: when the unit of work inserts new tasks, this flush participant inserts,
 *    in the same transaction, a `task:remind` job (due createdAt + remindAfter) and a `task:timeout`
 *    job (due createdAt + after) per task. The jobs carry the task's execution id, so the
 *    token moving on (completion, return, withdraw, an interrupting event, the other signers
 *    of an or-sign finishing) deletes them in the very transaction that closes the task —
 *    the ordinary "what a waiting token owns" rule. A task created again (after a return)
 *    is a new task with fresh jobs; each inner task of a multi-instance gets its own.
 *  - a transfer keeps the task and therefore its jobs: the node deadline stays, as in
 *    Jiandaoyun (a reminder goes to whoever holds the task when it fires).
 *  - running: timeoutRunner.ts (the `task:` job handler, approval/register.ts) re-reads the task in the
 *    job's transaction and reminds or acts only if it is still open.
 */
import { randomUUID } from 'node:crypto';
import type { CompiledProcess } from '../bpmn/model.ts';
import type { FlushParticipant } from '../extensions/flushParticipants.ts';
import type { InstanceRun, NewJob } from '../runtime/instanceRun.ts';
import { deleteTaskJobs, insertJobs } from '../store/jobs.ts';
import { addDuration } from '../timers/iso.ts';
import { timeoutDuration, timeoutSettingsOf } from './timeoutSettings.ts';

export const TASK_JOB_PREFIX = 'task:';
export const REMIND_JOB = 'task:remind';
export const TIMEOUT_JOB = 'task:timeout';

/** The timeout jobs for the new tasks of `run`. */
export function taskTimeoutJobs(run: InstanceRun): NewJob[] {
  const jobs: NewJob[] = [];
  for (const task of run.tasks) {
    const node = run.process.nodes[task.elementId];
    const settings = node && timeoutSettingsOf(node);
    if (!settings) continue;
    const job = (type: string, text: string | undefined) => {
      // Checked at deploy; a model that somehow holds a bad duration just gets no job.
      const duration = timeoutDuration(text);
      if (!duration) return;
      jobs.push({
        id: randomUUID(),
        type,
        instanceId: task.instanceId,
        executionId: task.executionId,
        elementId: task.elementId,
        dueAt: addDuration(task.createdAt, duration),
        payload: { taskId: task.id },
      });
    };
    job(REMIND_JOB, settings.remindAfter);
    if (settings.action) job(TIMEOUT_JOB, settings.after);
  }
  return jobs;
}

const withTimeouts = new WeakMap<CompiledProcess, boolean>();

/**
 * Whether any node of `process` has a timeout: only then can a completed task leave
 * `task:*` jobs behind, so other processes skip that DELETE on every completion.
 */
export function usesTimeouts(process: CompiledProcess): boolean {
  let known = withTimeouts.get(process);
  if (known === undefined) {
    known = Object.values(process.nodes).some((node) => timeoutSettingsOf(node) !== null);
    withTimeouts.set(process, known);
  }
  return known;
}

/**
 * The flush participant (registered in approval/register.ts): after an instance's rows are
 * written, a signer who decided while the token stays (会签) takes their reminder and timeout
 * along, and the new tasks get theirs.
 */
export const taskTimeoutsOnFlush: FlushParticipant = {
  name: 'approval.timeouts',
  async instanceWritten({ trx }, run) {
    if (!run.isNew && run.completedTaskIds.size > 0 && usesTimeouts(run.process)) {
      await deleteTaskJobs(trx, run.id, [...run.completedTaskIds.keys()]);
    }
    await insertJobs(trx, taskTimeoutJobs(run));
  },
};
