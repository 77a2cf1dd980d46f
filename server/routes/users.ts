/**
 * `GET/POST /api/users`, `PATCH /api/users/:id`. Any logged-in user may list users (task
 * transfer and assignee pickers need them); creating and changing users is for admins.
 */
import { Router } from 'express';
import type { AppContext } from '../context.ts';
import { requireAdmin, requireUser } from '../http/auth.ts';
import { messageLocale } from '../http/locale.ts';

export function userRoutes(ctx: AppContext): Router {
  const router = Router();

  router.get('/users', async (req, res) => {
    requireUser(req);
    res.json(await ctx.engine.listUsers());
  });

  router.post('/users', async (req, res) => {
    requireAdmin(req);
    res.status(201).json(await ctx.engine.createUser({ body: req.body, locale: messageLocale(req) }));
  });

  router.patch('/users/:id', async (req, res) => {
    requireAdmin(req);
    res.json(await ctx.engine.changeUser({ id: req.params.id, body: req.body, locale: messageLocale(req) }));
  });

  return router;
}
