/**
 * Data permissions of a form (权限组, engine/access/): its permission groups and owner field
 * (admins), and the caller's own rights (`my-access`, for the UI). The CSV export lives with
 * the record routes (server/routes/records.ts) so it is matched before `records/:id`.
 */
import { Router } from 'express';
import type { AppContext } from '../context.ts';
import { requireAdmin, requireUser } from '../http/auth.ts';
import { messageLocale } from '../http/locale.ts';

export function accessRoutes(ctx: AppContext): Router {
  const router = Router();
  const access = ctx.engine.access;

  router.get('/forms/:key/permission-groups', async (req, res) => {
    requireAdmin(req);
    res.json(await access.listGroups(req.params.key));
  });

  router.post('/forms/:key/permission-groups', async (req, res) => {
    const admin = requireAdmin(req);
    res.status(201).json(await access.createGroup(req.params.key, req.body, admin, messageLocale(req)));
  });

  router.put('/forms/:key/permission-groups/:id', async (req, res) => {
    const admin = requireAdmin(req);
    res.json(await access.updateGroup(req.params.key, req.params.id, req.body, admin, messageLocale(req)));
  });

  router.delete('/forms/:key/permission-groups/:id', async (req, res) => {
    const admin = requireAdmin(req);
    await access.deleteGroup(req.params.key, req.params.id, admin);
    res.status(204).end();
  });

  router.get('/forms/:key/access-settings', async (req, res) => {
    requireAdmin(req);
    res.json(await access.readSettings(req.params.key));
  });

  router.put('/forms/:key/access-settings', async (req, res) => {
    const admin = requireAdmin(req);
    res.json(await access.saveSettings(req.params.key, req.body, admin, messageLocale(req)));
  });

  router.get('/forms/:key/my-access', async (req, res) => {
    res.json(await access.myAccess(requireUser(req), req.params.key));
  });

  return router;
}
