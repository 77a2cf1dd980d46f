/**
 * The process heat map: `GET /api/definitions/:key/heatmap?version=&from=&to=` → `{nodes}`
 * (per node: entered, completed, open, avgMs, p90Ms, slaBreached) and
 * `GET /api/definitions/:key/heatmap/:elementId/instances?page=&pageSize=` → `{items, total}`.
 * Any logged-in user; non-admins count only the instances they may read.
 */
import { Router } from 'express';
import { parsePaging } from '../../engine/api.ts';
import type { AppContext } from '../context.ts';
import { requireUser } from '../http/auth.ts';
import { queryString } from '../http/input.ts';

export function heatmapRoutes(ctx: AppContext): Router {
  const router = Router();

  const range = (query: Record<string, unknown>) => ({
    version: queryString(query.version, 'version'),
    from: queryString(query.from, 'from'),
    to: queryString(query.to, 'to'),
  });

  router.get('/definitions/:key/heatmap', async (req, res) => {
    res.json(await ctx.engine.analytics.heatmap(requireUser(req), req.params.key, range(req.query)));
  });

  router.get('/definitions/:key/heatmap/:elementId/instances', async (req, res) => {
    const user = requireUser(req);
    const paging = parsePaging(queryString(req.query.page, 'page'), queryString(req.query.pageSize, 'pageSize'));
    res.json(await ctx.engine.analytics.heatmapInstances(user, req.params.key, req.params.elementId, {
      ...range(req.query), page: paging.page, pageSize: paging.pageSize,
    }));
  });

  return router;
}
