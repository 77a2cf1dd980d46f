/** Roles as data (engine/access/roles.ts): admins list, add, rename and delete roles; builtin ones are refused. */
import { Router } from 'express';
import type { AppContext } from '../context.ts';
import { requireAdmin, requireUser } from '../http/auth.ts';
import { messageLocale } from '../http/locale.ts';

export function roleRoutes(ctx: AppContext): Router {
  const router = Router();
  const access = ctx.engine.access;

  // Any user may read the list (pickers name roles); changes are for admins.
  router.get('/roles', async (req, res) => {
    requireUser(req);
    res.json(await access.listRoles());
  });

  router.post('/roles', async (req, res) => {
    const admin = requireAdmin(req);
    res.status(201).json(await access.createRole(req.body, admin, messageLocale(req)));
  });

  router.put('/roles/:code', async (req, res) => {
    const admin = requireAdmin(req);
    res.json(await access.changeRole(req.params.code, req.body, admin, messageLocale(req)));
  });

  router.delete('/roles/:code', async (req, res) => {
    const admin = requireAdmin(req);
    await access.deleteRole(req.params.code, admin);
    res.status(204).end();
  });

  return router;
}
