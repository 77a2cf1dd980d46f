/** Admin API for a form's auto-routing rules (自动分派): `/api/routing/:formKey`. */
import { Router } from 'express';
import type { AppContext } from '../context.ts';
import { requireAdmin } from '../http/auth.ts';
import { messageLocale } from '../http/locale.ts';

export function routingRoutes(ctx: AppContext): Router {
  const router = Router();

  router.get('/routing/:formKey', async (req, res) => {
    requireAdmin(req);
    res.json(await ctx.engine.readRouting(req.params.formKey));
  });

  // Replaces the whole ordered list: `{defaultDepartmentId, rules: [{name, condition, departmentId, enabled?, id?}]}`.
  router.put('/routing/:formKey', async (req, res) => {
    const admin = requireAdmin(req);
    res.json(await ctx.engine.saveRouting({ formKey: req.params.formKey, body: req.body, updatedBy: admin.username, locale: messageLocale(req) }));
  });

  return router;
}
