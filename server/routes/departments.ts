/**
 * `GET/POST /api/departments`, `PATCH /api/departments/:id`, `PUT /api/departments/:id/members`. Any logged-in user may
 * read the organisation chart; changing it is for admins.
 */
import { Router } from 'express';
import type { AppContext } from '../context.ts';
import { requireAdmin, requireUser } from '../http/auth.ts';
import { messageLocale } from '../http/locale.ts';

export function departmentRoutes(ctx: AppContext): Router {
  const router = Router();

  router.get('/departments', async (req, res) => {
    requireUser(req);
    res.json(await ctx.engine.listDepartments());
  });

  router.post('/departments', async (req, res) => {
    requireAdmin(req);
    res.status(201).json(await ctx.engine.createDepartment({ body: req.body, locale: messageLocale(req) }));
  });

  router.patch('/departments/:id', async (req, res) => {
    requireAdmin(req);
    res.json(await ctx.engine.changeDepartment({ id: req.params.id, body: req.body, locale: messageLocale(req) }));
  });

  router.put('/departments/:id/members', async (req, res) => {
    requireAdmin(req);
    res.json(await ctx.engine.setDepartmentMembers({ id: req.params.id, body: req.body, locale: messageLocale(req) }));
  });

  return router;
}
