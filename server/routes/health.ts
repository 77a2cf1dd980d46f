import { Router } from 'express';
import { executorHealth, jobsDegraded } from '../../engine/api.ts';
import type { AppContext } from '../context.ts';
import { log } from '../log.ts';

/** A readiness answer later than this is a failed `database` check: a load balancer must not wait on a hung database. */
export const READY_TIMEOUT_MS = 2_000;

type ReadyCheck = 'database' | 'migrations' | 'executor' | 'backlog';
type CheckResult = 'ok' | 'failed' | 'timeout' | 'skipped' | 'none';

/**
 * `GET /api/health`: is the database reachable, which version runs, and is the job executor
 * keeping up. Public (load balancers, monitors): counts and times only, no job ids, types,
 * errors or node names. A stalled executor answers 200 `degraded` — the node still serves
 * requests; monitors alert on any status but `ok`.
 *
 * `GET /api/ready`: may a load balancer send this node traffic? 503 naming the failed checks
 * when the database does not answer (within READY_TIMEOUT_MS), the schema is not the one this
 * build knows, this node's executor is not running, or due jobs are left stalled. Health stays
 * the liveness probe (restart me); ready only takes the node out of rotation.
 */
export function healthRoutes(ctx: AppContext): Router {
  const router = Router();
  router.get('/health', async (_req, res) => {
    const startedAt = Date.now();
    const now = new Date();
    try {
      // The backlog query doubles as the reachability probe: one round trip.
      const jobs = await ctx.engine.jobBacklog(now);
      const executor = executorHealth(ctx.executor?.status(), jobs, now);
      res.json({
        status: jobsDegraded(executor, jobs) ? 'degraded' : 'ok',
        version: ctx.version,
        database: { reachable: true, latencyMs: Date.now() - startedAt },
        executor,
        jobs,
      });
    } catch (error) {
      // The driver's message can name hosts and users: it goes to the log, not to anyone asking.
      log.warn({ err: error }, 'health: database unreachable');
      res.status(503).json({
        status: 'unavailable',
        version: ctx.version,
        database: { reachable: false, error: 'The database did not answer' },
        executor: executorHealth(ctx.executor?.status(), null, now),
      });
    }
  });

  router.get('/ready', async (_req, res) => {
    const checks = await readiness(ctx);
    const failed = (Object.keys(checks) as ReadyCheck[]).filter((name) => checks[name] === 'failed' || checks[name] === 'timeout');
    res
      .status(failed.length === 0 ? 200 : 503)
      .set('cache-control', 'no-store')
      .json({ status: failed.length === 0 ? 'ready' : 'not_ready', version: ctx.version, failed, checks });
  });
  return router;
}

/** Runs the database checks under one deadline; the executor is read from memory. */
async function readiness(ctx: AppContext): Promise<Record<ReadyCheck, CheckResult>> {
  const now = new Date();
  const status = ctx.executor?.status();
  const probe = Promise.all([ctx.engine.jobBacklog(now), ctx.engine.migrationDrift()]);
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), READY_TIMEOUT_MS);
  });
  let outcome: Awaited<typeof probe> | 'timeout' | 'failed';
  try {
    outcome = await Promise.race([probe, deadline]);
  } catch (error) {
    log.warn({ err: error }, 'ready: database unreachable');
    outcome = 'failed';
  } finally {
    clearTimeout(timer);
  }
  if (outcome === 'timeout') {
    // The probe may still settle later: its rejection must not go unhandled.
    probe.catch((error: unknown) => log.warn({ err: error }, 'ready: database answered after the deadline'));
    log.warn({ timeoutMs: READY_TIMEOUT_MS }, 'ready: database did not answer in time');
  }
  const executorCheck: CheckResult = !ctx.executor ? 'none' : status?.state === 'running' ? 'ok' : 'failed';
  if (outcome === 'timeout' || outcome === 'failed') {
    return { database: outcome, migrations: 'skipped', executor: executorCheck, backlog: 'skipped' };
  }
  const [jobs, drift] = outcome;
  if (drift.pending.length > 0 || drift.unknown.length > 0) {
    log.warn({ pending: drift.pending, unknown: drift.unknown }, 'ready: migrations differ from this build');
  }
  const executor = executorHealth(status, jobs, now);
  return {
    database: 'ok',
    migrations: drift.pending.length === 0 && drift.unknown.length === 0 ? 'ok' : 'failed',
    executor: executorCheck,
    // Due jobs left late while no executor here asks for work: this node would not run them.
    backlog: executor.state === 'stalled' || (ctx.executor !== undefined && jobsDegraded(executor, jobs)) ? 'failed' : 'ok',
  };
}
