/**
 * Personal data (PIPL, engine/privacy/):
 * - `POST /api/forms/:key/records/:id/unmask {fields?}` → `{data: {field: clear value}}`: the
 *   `unmask` right and view on the record; one audit row per call.
 * - Data subject (admins): `POST /api/privacy/search`, `/export`, `/erase` with
 *   `{identifiers: {phone?, email?, idNumber?, name?}}` (erase also `confirm: true`, `records?:
 *   "anonymise" | "delete"`); all audited.
 * - Retention (admins): `GET/PUT /api/forms/:key/retention` `{after, basis, action} | null`.
 */
import { Router } from 'express';
import type { AppContext } from '../context.ts';
import { requireAdmin, requireUser } from '../http/auth.ts';

export function privacyRoutes(ctx: AppContext): Router {
  const router = Router();
  const privacy = ctx.engine.privacy;

  router.post('/forms/:key/records/:id/unmask', async (req, res) => {
    const user = requireUser(req);
    // Clear values must not linger in a browser or proxy cache.
    res.setHeader('Cache-Control', 'no-store');
    res.json(await privacy.unmask({ user, formKey: req.params.key, id: req.params.id, body: req.body, ip: req.ip ?? null }));
  });

  router.post('/privacy/search', async (req, res) => {
    res.json(await privacy.searchSubject(requireAdmin(req), req.body, req.ip ?? null));
  });

  router.post('/privacy/export', async (req, res) => {
    const report = await privacy.exportSubject(requireAdmin(req), req.body, req.ip ?? null);
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Content-Disposition', `attachment; filename="personal-data-${report.generatedAt.slice(0, 10)}.json"`);
    res.json(report);
  });

  router.post('/privacy/erase', async (req, res) => {
    res.json(await privacy.eraseSubject(requireAdmin(req), req.body, req.ip ?? null));
  });

  router.get('/forms/:key/retention', async (req, res) => {
    requireAdmin(req);
    res.json({ retention: await privacy.getRetention(req.params.key) });
  });

  router.put('/forms/:key/retention', async (req, res) => {
    const admin = requireAdmin(req);
    const body = req.body as { retention?: unknown } | undefined;
    res.json({ retention: await privacy.setRetention(admin, req.params.key, body?.retention ?? null) });
  });

  return router;
}
