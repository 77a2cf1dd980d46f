/**
 * Automations (智能助手), admins only: `GET/POST /api/automations`, `GET/PUT/DELETE
 * /api/automations/:id`, `GET /api/automations/:id/runs`. FEEL is checked at save (422 with
 * the JSON pointer of the bad expression).
 */
import { Router } from 'express';
import type { AppContext } from '../context.ts';
import { requireAdmin } from '../http/auth.ts';

/** A malformed or unknown id answers 404 (engine/commands/updateAutomation.ts, deleteAutomation.ts). */
export function automationRoutes(ctx: AppContext): Router {
  const router = Router();

  router.get('/automations', async (req, res) => {
    requireAdmin(req);
    res.json(await ctx.engine.listAutomations());
  });

  router.post('/automations', async (req, res) => {
    requireAdmin(req);
    res.status(201).json(await ctx.engine.createAutomation({ body: req.body }));
  });

  router.get('/automations/:id', async (req, res) => {
    requireAdmin(req);
    res.json(await ctx.engine.getAutomation(req.params.id));
  });

  router.put('/automations/:id', async (req, res) => {
    requireAdmin(req);
    res.json(await ctx.engine.updateAutomation({ id: req.params.id, body: req.body }));
  });

  router.delete('/automations/:id', async (req, res) => {
    requireAdmin(req);
    await ctx.engine.deleteAutomation({ id: req.params.id });
    res.status(204).end();
  });

  router.get('/automations/:id/runs', async (req, res) => {
    requireAdmin(req);
    res.json(await ctx.engine.listAutomationRuns(req.params.id));
  });

  return router;
}
