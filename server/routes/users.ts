/**
 * `GET/POST /api/users`, `PATCH /api/users/:id`. Any logged-in user may list users (task
 * transfer and assignee pickers need them); creating and changing users is for admins.
 */
import { Router } from 'express';
import { changeUser, createUser } from '../../engine/identity/org.ts';
import { listUsers } from '../../engine/store/users.ts';
import type { AppContext } from '../context.ts';
import { requireAdmin, requireUser } from '../http/auth.ts';
import { messageLocale } from '../http/locale.ts';

export function userRoutes(ctx: AppContext): Router {
  const router = Router();

  router.get('/users', async (req, res) => {
    requireUser(req);
    res.json(await listUsers(ctx.db));
  });

  router.post('/users', async (req, res) => {
    requireAdmin(req);
    res.status(201).json(await createUser(ctx.db, req.body, messageLocale(req)));
  });

  router.patch('/users/:id', async (req, res) => {
    requireAdmin(req);
    res.json(await changeUser(ctx.db, req.params.id, req.body, messageLocale(req)));
  });

  return router;
}
