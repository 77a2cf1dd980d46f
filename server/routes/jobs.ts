/** Jobs (timers, outside effects): list, and fire one now (admin). */
import { Router } from 'express';
import type { AppContext } from '../context.ts';
import { requireAdmin, requireUser } from '../http/auth.ts';
import { queryString } from '../http/input.ts';

export function jobRoutes(ctx: AppContext): Router {
  const router = Router();

  router.get('/jobs', async (req, res) => {
    requireUser(req);
    const jobs = await ctx.engine.listJobs({ instanceId: queryString(req.query.instanceId, 'instanceId') });
    res.json(
      jobs.map((job) => ({
        id: job.id,
        type: job.type,
        instanceId: job.instanceId,
        elementId: job.elementId,
        dueAt: job.dueAt,
        retriesLeft: job.retriesLeft,
        lastError: job.lastError,
      })),
    );
  });

  router.post('/jobs/:id/execute', async (req, res) => {
    requireAdmin(req);
    res.json(await ctx.engine.executeJob(req.params.id));
  });

  return router;
}
