/**
 * The audit log (admins): `GET /api/audit?actor=&action=&formKey=&recordId=&from=&to=&q=&page=&pageSize=`
 * → `{items, total}` newest first; `GET /api/audit/export` (same filters) → CSV, streamed, itself audited.
 */
import { Router, type Request } from 'express';
import type { AuthUser } from '../../engine/api.ts';
import type { AppContext } from '../context.ts';
import { requireAdmin } from '../http/auth.ts';

/**
 * One audit row for an admin's change to the organisation or the deployed processes, written
 * after the change committed (its own command); the request body is not copied (it may hold a password).
 */
export async function auditAdminChange(
  ctx: AppContext,
  req: Request,
  admin: AuthUser,
  action: 'user.change' | 'department.change' | 'definition.deploy',
  change: { op: string; id?: string; subject?: string; ids?: string[] },
): Promise<void> {
  const fields = req.body && typeof req.body === 'object' && !Array.isArray(req.body) ? Object.keys(req.body).filter((k) => k !== 'password' && k !== 'xml') : [];
  await ctx.engine.privacy.appendAudit({
    actor: admin,
    action,
    subject: change.subject ?? change.id ?? null,
    details: { op: change.op, ...(change.id ? { id: change.id } : {}), ...(change.ids ? { ids: change.ids } : {}), fields },
    ip: req.ip ?? null,
  });
}

export function auditRoutes(ctx: AppContext): Router {
  const router = Router();
  const privacy = ctx.engine.privacy;

  router.get('/audit', async (req, res) => {
    requireAdmin(req);
    res.json(await privacy.searchAudit(req.query as Record<string, unknown>));
  });

  router.get('/audit/export', async (req, res) => {
    const admin = requireAdmin(req);
    const { page: _page, pageSize: _pageSize, ...filters } = req.query as Record<string, unknown>;
    const lines = await privacy.exportAudit(admin, filters, req.ip ?? null);
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="audit-log-${new Date().toISOString().slice(0, 10)}.csv"`);
    for await (const chunk of lines) {
      // Respect backpressure: a slow client holds the next batch, not the whole log in memory.
      if (!res.write(chunk)) await new Promise((resolve) => res.once('drain', resolve));
    }
    res.end();
  });

  return router;
}
