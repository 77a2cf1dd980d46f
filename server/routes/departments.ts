/**
 * `GET/POST /api/departments`, `PATCH /api/departments/:id`, `PUT /api/departments/:id/members`. Any logged-in user may
 * read the organisation chart; changing it is for admins.
 */
import { Router } from 'express';
import { changeDepartment, createDepartment, setDepartmentMembers } from '../../engine/identity/org.ts';
import { listDepartments } from '../../engine/store/departments.ts';
import type { AppContext } from '../context.ts';
import { requireAdmin, requireUser } from '../http/auth.ts';
import { messageLocale } from '../http/locale.ts';

export function departmentRoutes(ctx: AppContext): Router {
  const router = Router();

  router.get('/departments', async (req, res) => {
    requireUser(req);
    res.json(await listDepartments(ctx.db));
  });

  router.post('/departments', async (req, res) => {
    requireAdmin(req);
    res.status(201).json(await createDepartment(ctx.db, req.body, messageLocale(req)));
  });

  router.patch('/departments/:id', async (req, res) => {
    requireAdmin(req);
    res.json(await changeDepartment(ctx.db, req.params.id, req.body, messageLocale(req)));
  });

  router.put('/departments/:id/members', async (req, res) => {
    requireAdmin(req);
    res.json(await setDepartmentMembers(ctx.db, req.params.id, req.body, messageLocale(req)));
  });

  return router;
}
