/** Jobs (timers, outside effects) and their incidents: list, run one now, retry an incident — all admin only. */
import { Router } from 'express';
import { NotFoundError, ValidationError } from '../../engine/api.ts';
import type { AppContext } from '../context.ts';
import { requireAdmin } from '../http/auth.ts';
import { queryString } from '../http/input.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A malformed id names nothing: 404, not a database error. */
function idParam(value: string, what: string): string {
  if (!UUID.test(value)) throw new NotFoundError(`${what} ${value} does not exist`);
  return value;
}

export function jobRoutes(ctx: AppContext): Router {
  const router = Router();

  // Admin only: jobs and incidents name every instance (and their errors) across the system.
  router.get('/jobs', async (req, res) => {
    requireAdmin(req);
    const jobs = await ctx.engine.listJobs({ instanceId: queryString(req.query.instanceId, 'instanceId') });
    res.json(
      jobs.map((job) => ({
        id: job.id,
        type: job.type,
        instanceId: job.instanceId,
        elementId: job.elementId,
        dueAt: job.dueAt,
        retriesLeft: job.retriesLeft,
        attempts: job.attempts,
        lastError: job.lastError,
      })),
    );
  });

  router.post('/jobs/:id/execute', async (req, res) => {
    requireAdmin(req);
    res.json(await ctx.engine.executeJob(idParam(req.params.id, 'Job')));
  });

  router.get('/incidents', async (req, res) => {
    requireAdmin(req);
    const instanceId = queryString(req.query.instanceId, 'instanceId');
    const includeResolved = queryString(req.query.includeResolved, 'includeResolved') === 'true';
    res.json(await ctx.engine.listIncidents({ instanceId: instanceId && idParam(instanceId, 'Process instance'), includeResolved }));
  });

  router.post('/incidents/:id/retry', async (req, res) => {
    requireAdmin(req);
    const retries = (req.body as { retries?: unknown } | undefined)?.retries;
    if (retries !== undefined && (!Number.isInteger(retries) || (retries as number) < 1 || (retries as number) > 100)) {
      throw new ValidationError('"retries" must be an integer from 1 to 100', [{ pointer: '/retries', message: 'expected 1..100' }]);
    }
    res.json(await ctx.engine.retryIncident(idParam(req.params.id, 'Incident'), retries as number | undefined));
  });

  return router;
}
