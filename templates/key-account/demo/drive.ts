/**
 * Moving a demo instance the way its people would, through the engine's commands: start it
 * as a user, claim and complete the task at a node, fire a timer that would fire later (the
 * job runs now, through the executor's own code path). A step that finds the model elsewhere
 * than expected fails loudly, naming the instance and where it is.
 */
import type { TaskDecision } from '../../../engine/commands/completeTask.ts';
import type { TaskRow } from '../../../engine/store/tasks.ts';
import { userOf, type DemoContext } from './context.ts';

/** Starts the latest `processKey` as `username`; a form-bound process stores its record too. */
export async function startAs(ctx: DemoContext, processKey: string, username: string, variables: Record<string, unknown>): Promise<string> {
  const started = await ctx.engine.startInstanceForUser({
    definitionKey: processKey,
    variables,
    user: userOf(ctx, username),
    locale: 'en',
    onRuleError: () => {},
  });
  return started.id;
}

/** The open task at `elementId` of the instance; of several (会签, one per signer), the one offered to `username`. */
export async function taskAt(ctx: DemoContext, instanceId: string, elementId: string, username?: string): Promise<TaskRow> {
  const tasks = await ctx.engine.queryTasks({ instanceId });
  const atElement = tasks.filter((candidate) => candidate.elementId === elementId);
  const offered = (candidate: TaskRow) => candidate.assignee === username || (!candidate.assignee && candidate.candidateUsers.includes(username ?? ''));
  const task = atElement.find(offered) ?? atElement[0];
  if (!task) {
    const where = tasks.map((candidate) => candidate.elementId).join(', ') || (await ctx.engine.getInstance(instanceId)).status;
    throw new Error(`demo: instance ${instanceId} has no open task at "${elementId}" (it is at: ${where})`);
  }
  return task;
}

/** `username` claims the task at `elementId` when it is not theirs yet (a queue or candidate task). */
export async function claim(ctx: DemoContext, instanceId: string, elementId: string, username: string): Promise<TaskRow> {
  const task = await taskAt(ctx, instanceId, elementId, username);
  if (task.assignee !== username) await ctx.engine.claimTask({ taskId: task.id, actor: userOf(ctx, username) });
  return task;
}

/** `username` completes the task at `elementId` (claiming it first when needed). */
export async function complete(
  ctx: DemoContext,
  instanceId: string,
  elementId: string,
  username: string,
  variables: Record<string, unknown> = {},
  decision?: TaskDecision,
): Promise<void> {
  const task = await claim(ctx, instanceId, elementId, username);
  await ctx.engine.completeTask({ taskId: task.id, variables, actor: userOf(ctx, username), decision, comment: null });
}

/**
 * Runs the instance's pending timer at `elementId` now, as if its time had come: for timers
 * not due yet (a timer already due is the executor's, runDueInstanceJobs).
 */
export async function fireTimer(ctx: DemoContext, instanceId: string, elementId: string): Promise<void> {
  const jobs = await ctx.engine.listJobs({ instanceId });
  const job = jobs.find((candidate) => candidate.elementId === elementId);
  if (!job) {
    throw new Error(`demo: instance ${instanceId} has no pending job at "${elementId}" (jobs: ${jobs.map((j) => j.elementId).join(', ') || 'none'})`);
  }
  await runJob(ctx, job.id);
}

/**
 * Runs a job now; when a server's executor already took it (npm run demo beside a running
 * server), waits until that run is over instead — either way the job has run once.
 */
async function runJob(ctx: DemoContext, jobId: string): Promise<void> {
  try {
    await ctx.engine.executeJob(jobId);
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code !== 'job_busy' && code !== 'not_found') throw error;
    for (let waited = 0; waited < 60_000; waited += 100) {
      const job = await ctx.engine.deps.db('jobs').where({ id: jobId }).first('locked_by');
      if (!job?.locked_by) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`demo: job ${jobId} stayed busy for a minute`);
  }
}

/**
 * Runs the instance jobs already due (notifications a step queued, timers whose date has
 * passed), as the job executor would right after start — so the demo's reminders and
 * escalations exist when the first user logs in, also when no server runs (npm run demo).
 */
export async function runDueInstanceJobs(ctx: DemoContext): Promise<number> {
  let ran = 0;
  for (let round = 0; round < 5; round += 1) {
    const now = ctx.engine.deps.clock();
    const due = (await ctx.engine.listJobs({})).filter((job) => job.instanceId !== null && job.dueAt <= now && !job.lockedBy);
    if (!due.length) break;
    for (const job of due) {
      await runJob(ctx, job.id);
      ran += 1;
    }
  }
  return ran;
}
