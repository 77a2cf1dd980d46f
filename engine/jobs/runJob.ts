/**
 * Runs one leased job — the single code path for the executor and for an admin's
 * "execute now". A timer fires in one transaction (engine/commands/jobCommands.ts). An
 * effect runs OUTSIDE any transaction (no connection or row lock is held across a network
 * call); on success its row is deleted in a short transaction that checks the lease is still
 * ours. Any failure goes to the retry/incident policy (failures.ts).
 */
import { randomUUID } from 'node:crypto';
import { AUTOMATION_JOB_TYPE, runAutomationJob } from '../automations/index.ts';
import { TASK_JOB_PREFIX } from '../approval/timeouts.ts';
import { runTaskJob } from '../approval/timeoutRunner.ts';
import { fireJob } from '../commands/jobCommands.ts';
import type { CommandDeps } from '../commands/runCommand.ts';
import { defaultEffects, effectHandler, EFFECT_PREFIX, type EffectRegistry } from '../effects/index.ts';
import { ConflictError, NotFoundError } from '../errors.ts';
import { countOpenIncidents, openIncidentsOfJob, resolveIncidents } from '../store/incidents.ts';
import { lockInstance, setInstanceStatus } from '../store/instances.ts';
import { deleteLeasedJob, type JobRow } from '../store/jobs.ts';
import { leaseJobById } from './acquire.ts';
import { DEFAULT_RETRY_POLICY, recordFailure, type FailureOutcome, type RetryPolicy } from './failures.ts';

export interface JobRunSettings {
  effects: EffectRegistry;
  retry: RetryPolicy;
  leaseMs: number;
  /** An effect is aborted after this long; keep it well under the lease. */
  effectTimeoutMs: number;
  env: Record<string, string | undefined>;
}

export const DEFAULT_LEASE_MS = 60_000;

export function jobRunSettings(partial: Partial<JobRunSettings> = {}): JobRunSettings {
  const leaseMs = partial.leaseMs ?? DEFAULT_LEASE_MS;
  return {
    effects: partial.effects ?? defaultEffects,
    retry: partial.retry ?? DEFAULT_RETRY_POLICY,
    leaseMs,
    effectTimeoutMs: partial.effectTimeoutMs ?? Math.floor(leaseMs / 2),
    env: partial.env ?? process.env,
  };
}

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
  try {
    if (job.type === 'timer') {
      const fired = await fireJob(deps, job.id, owner);
      if (!fired.fired) return { ...ids, status: 'skipped', reason: fired.reason };
    } else if (job.type.startsWith(EFFECT_PREFIX)) {
      const handler = effectHandler(settings.effects, job.type);
      if (!handler) throw new UnknownJobTypeError(`No handler for job type "${job.type}"`);
      const timeout = AbortSignal.timeout(settings.effectTimeoutMs);
      await handler({
        job,
        config: (job.payload.config ?? {}) as Record<string, string>,
        variables: (job.payload.variables ?? {}) as Record<string, unknown>,
        now: deps.clock(),
        signal: stopSignal ? AbortSignal.any([timeout, stopSignal]) : timeout,
        env: settings.env,
      });
      // Delivered. If the lease was lost meanwhile, the next holder delivers again with the
      // same idempotency key — the documented at-least-once-with-key guarantee.
      if (!(await deleteLeasedJob(deps.db, job.id, owner))) return { ...ids, status: 'skipped', reason: 'lease_lost' };
    } else if (job.type.startsWith(TASK_JOB_PREFIX)) {
      // Node timeouts (engine/approval/timeouts.ts): one transaction, like a timer.
      const ran = await runTaskJob(deps, job.id, owner);
      if (!ran.ran) return { ...ids, status: 'skipped', reason: ran.reason };
    } else if (job.type === AUTOMATION_JOB_TYPE) {
      // Each automation commits with its (job, automation) run row: a retry skips those done.
      if (!(await runAutomationJob(deps, job, owner))) return { ...ids, status: 'skipped', reason: 'lease_lost' };
    } else {
      throw new UnknownJobTypeError(`No handler for job type "${job.type}"`);
    }
  } catch (error) {
    return { ...ids, ...(await recordFailure(deps, job, owner, error, settings.retry)) };
  }
  // A dead job run by hand that now succeeded settles its incident too.
  if (job.retriesLeft === 0 && job.instanceId) await resolveJobIncidents(deps, job);
  return { ...ids, status: 'executed' };
}

async function resolveJobIncidents(deps: CommandDeps, job: JobRow): Promise<void> {
  const now = deps.clock();
  const status = await deps.db.transaction(async (trx) => {
    const instance = await lockInstance(trx, job.instanceId!);
    const open = await openIncidentsOfJob(trx, job.id);
    if (!instance || open.length === 0) return null;
    await resolveIncidents(trx, open.map((incident) => incident.id), now);
    if (instance.status !== 'incident' || (await countOpenIncidents(trx, instance.id)) > 0) return instance.status;
    await setInstanceStatus(trx, instance.id, 'active');
    return 'active';
  });
  if (status) deps.events.publish([{ type: 'instance.updated', rooms: [], payload: { instanceId: job.instanceId, status } }]);
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
