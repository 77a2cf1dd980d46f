/**
 * Runs one leased job — the single code path for the executor and for an admin's
 * "execute now". The job's type picks its handler from the registry
 * (engine/extensions/jobHandlers.ts): a timer fires in one transaction (jobs/timerJob.ts),
 * an effect runs OUTSIDE any transaction (effects/jobHandler.ts), node timeouts and
 * automations run their commands. Any failure goes to the retry/incident policy (failures.ts).
 */
import { randomUUID } from 'node:crypto';
import { recordJobFailure, type FailureOutcome } from '../commands/recordJobFailure.ts';
import { resolveJobIncidents } from '../commands/resolveJobIncidents.ts';
import type { CommandDeps } from '../commands/runCommand.ts';
import { ConflictError, NotFoundError } from '../errors.ts';
import { jobHandlerFor } from '../extensions/jobHandlers.ts';
import type { JobRow } from '../store/jobs.ts';
import { leaseJobById } from './acquire.ts';
import { jobRunSettings, type JobRunSettings } from './settings.ts';

export { DEFAULT_LEASE_MS, jobRunSettings, type JobRunSettings } from './settings.ts';

export type JobOutcome =
  | { status: 'executed'; jobId: string; instanceId: string | null }
  | ({ jobId: string; instanceId: string | null } & FailureOutcome);

class UnknownJobTypeError extends Error {}

export async function runLeasedJob(
  deps: CommandDeps,
  settings: JobRunSettings,
  job: JobRow,
  owner: string,
  stopSignal?: AbortSignal,
): Promise<JobOutcome> {
  const ids = { jobId: job.id, instanceId: job.instanceId };
  // Each job type's handler is registered by its feature (engine/features.ts). Looked up
  // outside the try: features not installed is the entry point's bug, not the job's failure.
  const handler = jobHandlerFor(job.type);
  try {
    if (!handler) throw new UnknownJobTypeError(`No handler for job type "${job.type}"`);
    const result = await handler({ deps, settings, job, owner, stopSignal });
    if (!result.ran) return { ...ids, status: 'skipped', reason: result.reason };
  } catch (error) {
    return { ...ids, ...(await recordJobFailure(deps, job, owner, error, settings.retry)) };
  }
  // A dead job run by hand that now succeeded settles its incident too.
  if (job.retriesLeft === 0 && job.instanceId) await resolveJobIncidents(deps, job.id, job.instanceId);
  return { ...ids, status: 'executed' };
}

/**
 * `POST /api/jobs/:id/execute`: lease the job whatever its due time and run it now, through
 * the same path as the executor (so a failure is a counted attempt, not an instant incident).
 */
export async function executeJobNow(deps: CommandDeps, jobId: string, partial: Partial<JobRunSettings> = {}): Promise<JobOutcome> {
  const settings = jobRunSettings(partial);
  const owner = `manual:${randomUUID()}`;
  const leased = await leaseJobById(deps.db, jobId, { now: deps.clock(), owner, leaseMs: settings.leaseMs });
  if (leased === 'missing') throw new NotFoundError(`Job ${jobId} does not exist (it may have run already)`);
  if (leased === 'busy') throw new ConflictError(`Job ${jobId} is being run by an executor right now`, 'job_busy');
  return runLeasedJob(deps, settings, leased, owner);
}
