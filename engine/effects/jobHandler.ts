/**
 * The job handler of `effect:*` jobs (webhook, e-mail, chat robot). The effect runs OUTSIDE
 * any transaction (no connection or row lock is held across a network call); on success its
 * row is deleted in a short statement that checks the lease is still ours.
 */
import type { JobHandler } from '../extensions/jobHandlers.ts';
import { deleteLeasedJob } from '../store/jobs.ts';
import { effectHandler } from './index.ts';

export const effectJobHandler: JobHandler = async ({ deps, settings, job, owner, stopSignal }) => {
  const handler = effectHandler(settings.effects, job.type);
  if (!handler) throw new UnknownEffectError(`No handler for job type "${job.type}"`);
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
  if (!(await deleteLeasedJob(deps.db, job.id, owner))) return { ran: false, reason: 'lease_lost' };
  return { ran: true };
};

/** A job of an effect type the settings hold no handler for: a failed attempt, like any other. */
class UnknownEffectError extends Error {}
