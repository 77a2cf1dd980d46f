/**
 * The audit log (admins): `GET /api/audit?actor=&action=&formKey=&recordId=&from=&to=&q=&page=&pageSize=`
 * → `{items, total}` newest first; `GET /api/audit/export` (same filters) → CSV, streamed, itself audited.
 */
import { Router } from 'express';
import type { AppContext } from '../context.ts';
import { requireAdmin } from '../http/auth.ts';

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
