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

/** The open task at `elementId` of the instance. */
export async function taskAt(ctx: DemoContext, instanceId: string, elementId: string): Promise<TaskRow> {
  const tasks = await ctx.engine.queryTasks({ instanceId });
  const task = tasks.find((candidate) => candidate.elementId === elementId);
  if (!task) {
    const where = tasks.map((candidate) => candidate.elementId).join(', ') || (await ctx.engine.getInstance(instanceId)).status;
    throw new Error(`demo: instance ${instanceId} has no open task at "${elementId}" (it is at: ${where})`);
  }
  return task;
}

/** `username` claims the task at `elementId` when it is not theirs yet (a queue or candidate task). */
export async function claim(ctx: DemoContext, instanceId: string, elementId: string, username: string): Promise<TaskRow> {
  const task = await taskAt(ctx, instanceId, elementId);
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

/** Runs the instance's pending timer at `elementId` now, as if its time had come. */
export async function fireTimer(ctx: DemoContext, instanceId: string, elementId: string): Promise<void> {
  const jobs = await ctx.engine.listJobs({ instanceId });
  const job = jobs.find((candidate) => candidate.elementId === elementId);
  if (!job) {
    throw new Error(`demo: instance ${instanceId} has no pending job at "${elementId}" (jobs: ${jobs.map((j) => j.elementId).join(', ') || 'none'})`);
  }
  await ctx.engine.executeJob(job.id);
}
