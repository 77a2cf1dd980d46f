/**
 * Chart queries (issue 15): `POST /api/charts/query` answers a chart query (JSON body) with
 * `{columns, rows, truncated}`; `POST /api/charts/rows` lists the rows behind a number
 * (drill-down, detail table) as `{items, total}`. Any logged-in user; each sees only the
 * records and instances their data permissions allow (engine/analytics/access.ts).
 */
import { Router } from 'express';
import type { AppContext } from '../context.ts';
import { requireUser } from '../http/auth.ts';

export function chartRoutes(ctx: AppContext): Router {
  const router = Router();

  router.post('/charts/query', async (req, res) => {
    res.json(await ctx.engine.analytics.query(requireUser(req), req.body));
  });

  router.post('/charts/rows', async (req, res) => {
    res.json(await ctx.engine.analytics.rows(requireUser(req), req.body));
  });

  return router;
}
