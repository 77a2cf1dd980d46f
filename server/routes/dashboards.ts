/**
 * Dashboards (仪表盘): `GET /api/dashboards` lists those the caller may open, `GET
 * /api/dashboards/:id` (id or key) one of them (404 when not shared with the caller);
 * admins create (`POST`), replace (`PUT`, with `version` → 409 when someone saved first)
 * and delete them.
 */
import { Router } from 'express';
import type { AppContext } from '../context.ts';
import { requireAdmin, requireUser } from '../http/auth.ts';

export function dashboardRoutes(ctx: AppContext): Router {
  const router = Router();
  const analytics = ctx.engine.analytics;

  router.get('/dashboards', async (req, res) => {
    res.json({ items: await analytics.listDashboards(requireUser(req)) });
  });

  router.post('/dashboards', async (req, res) => {
    res.status(201).json(await analytics.createDashboard(requireAdmin(req), req.body));
  });

  router.get('/dashboards/:id', async (req, res) => {
    res.json(await analytics.getDashboard(requireUser(req), req.params.id));
  });

  router.put('/dashboards/:id', async (req, res) => {
    res.json(await analytics.updateDashboard(requireAdmin(req), req.params.id, req.body));
  });

  router.delete('/dashboards/:id', async (req, res) => {
    requireAdmin(req);
    await analytics.deleteDashboard(req.params.id);
    res.status(204).end();
  });

  return router;
}
