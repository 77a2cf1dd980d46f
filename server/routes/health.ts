import { Router } from 'express';
import type { AppContext } from '../context.ts';

/** `GET /api/health`: is the database reachable, and which version runs. */
export function healthRoutes(ctx: AppContext): Router {
  const router = Router();
  router.get('/health', async (_req, res) => {
    const startedAt = Date.now();
    try {
      await ctx.db.raw('SELECT 1');
      res.json({ status: 'ok', version: ctx.version, database: { reachable: true, latencyMs: Date.now() - startedAt } });
    } catch (error) {
      res.status(503).json({
        status: 'unavailable',
        version: ctx.version,
        database: { reachable: false, error: (error as Error).message },
      });
    }
  });
  return router;
}
