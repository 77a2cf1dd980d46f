/**
 * `GET/POST /api/departments`, `PATCH /api/departments/:id`, `PUT /api/departments/:id/members`. Any logged-in user may
 * read the organisation chart; changing it is for admins.
 */
import { Router } from 'express';
import type { AppContext } from '../context.ts';
import { requireAdmin, requireUser } from '../http/auth.ts';
import { messageLocale } from '../http/locale.ts';
import { auditAdminChange } from './audit.ts';

export function departmentRoutes(ctx: AppContext): Router {
  const router = Router();

  router.get('/departments', async (req, res) => {
    requireUser(req);
    res.json(await ctx.engine.listDepartments());
  });

  router.post('/departments', async (req, res) => {
    const admin = requireAdmin(req);
    const department = await ctx.engine.createDepartment({ body: req.body, locale: messageLocale(req) });
    await auditAdminChange(ctx, req, admin, 'department.change', { op: 'create', id: department.id, subject: department.name });
    res.status(201).json(department);
  });

  router.patch('/departments/:id', async (req, res) => {
    const admin = requireAdmin(req);
    const department = await ctx.engine.changeDepartment({ id: req.params.id, body: req.body, locale: messageLocale(req) });
    await auditAdminChange(ctx, req, admin, 'department.change', { op: 'update', id: req.params.id, subject: department.name });
    res.json(department);
  });

  router.put('/departments/:id/members', async (req, res) => {
    const admin = requireAdmin(req);
    const department = await ctx.engine.setDepartmentMembers({ id: req.params.id, body: req.body, locale: messageLocale(req) });
    await auditAdminChange(ctx, req, admin, 'department.change', { op: 'members', id: req.params.id });
    res.json(department);
  });

  return router;
}
