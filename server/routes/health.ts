import { Router } from 'express';
import { executorHealth, jobsDegraded } from '../../engine/api.ts';
import type { AppContext } from '../context.ts';
import { log } from '../log.ts';

/**
 * `GET /api/health`: is the database reachable, which version runs, and is the job executor
 * keeping up. Public (load balancers, monitors): counts and times only, no job ids, types,
 * errors or node names. A stalled executor answers 200 `degraded` — the node still serves
 * requests; monitors alert on any status but `ok`.
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
  return router;
}
