/**
 * `GET/POST /api/users`, `PATCH /api/users/:id`. Any logged-in user may list users (task
 * transfer and assignee pickers need them); creating and changing users is for admins.
 */
import { Router } from 'express';
import type { AppContext } from '../context.ts';
import { requireAdmin, requireUser } from '../http/auth.ts';
import { messageLocale } from '../http/locale.ts';
import { auditAdminChange } from './audit.ts';

export function userRoutes(ctx: AppContext): Router {
  const router = Router();

  router.get('/users', async (req, res) => {
    requireUser(req);
    res.json(await ctx.engine.listUsers());
  });

  router.post('/users', async (req, res) => {
    const admin = requireAdmin(req);
    const user = await ctx.engine.createUser({ body: req.body, locale: messageLocale(req) });
    await auditAdminChange(ctx, req, admin, 'user.change', { op: 'create', id: user.id, subject: user.username });
    res.status(201).json(user);
  });

  router.patch('/users/:id', async (req, res) => {
    const admin = requireAdmin(req);
    const user = await ctx.engine.changeUser({ id: req.params.id, body: req.body, locale: messageLocale(req) });
    await auditAdminChange(ctx, req, admin, 'user.change', { op: 'update', id: req.params.id, subject: user.username });
    res.json(user);
  });

  return router;
}
