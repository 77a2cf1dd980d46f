/**
 * Automations (智能助手), admins only: `GET/POST /api/automations`, `GET/PUT/DELETE
 * /api/automations/:id`, `GET /api/automations/:id/runs`. FEEL is checked at save (422 with
 * the JSON pointer of the bad expression).
 */
import { Router } from 'express';
import { parseAutomation } from '../../engine/automations/definition.ts';
import { NotFoundError } from '../../engine/errors.ts';
import { UUID_PATTERN } from '../../engine/identity/org.ts';
import {
  deleteAutomation,
  getAutomation,
  insertAutomation,
  listAutomationRuns,
  listAutomations,
  updateAutomation,
} from '../../engine/store/automations.ts';
import type { AppContext } from '../context.ts';
import { requireAdmin } from '../http/auth.ts';

function id(raw: string): string {
  if (!UUID_PATTERN.test(raw)) throw new NotFoundError(`No automation ${raw}`);
  return raw;
}

export function automationRoutes(ctx: AppContext): Router {
  const router = Router();

  router.get('/automations', async (req, res) => {
    requireAdmin(req);
    res.json(await listAutomations(ctx.db));
  });

  router.post('/automations', async (req, res) => {
    requireAdmin(req);
    res.status(201).json(await insertAutomation(ctx.db, parseAutomation(req.body)));
  });

  router.get('/automations/:id', async (req, res) => {
    requireAdmin(req);
    const found = await getAutomation(ctx.db, id(req.params.id));
    if (!found) throw new NotFoundError(`No automation ${req.params.id}`);
    res.json(found);
  });

  router.put('/automations/:id', async (req, res) => {
    requireAdmin(req);
    const updated = await updateAutomation(ctx.db, id(req.params.id), parseAutomation(req.body));
    if (!updated) throw new NotFoundError(`No automation ${req.params.id}`);
    res.json(updated);
  });

  router.delete('/automations/:id', async (req, res) => {
    requireAdmin(req);
    if (!(await deleteAutomation(ctx.db, id(req.params.id)))) throw new NotFoundError(`No automation ${req.params.id}`);
    res.status(204).end();
  });

  router.get('/automations/:id/runs', async (req, res) => {
    requireAdmin(req);
    const automationId = id(req.params.id);
    if (!(await getAutomation(ctx.db, automationId))) throw new NotFoundError(`No automation ${automationId}`);
    res.json(await listAutomationRuns(ctx.db, automationId));
  });

  return router;
}
