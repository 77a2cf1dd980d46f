/**
 * Printing: `GET /api/forms/:key/records/:id/print[?template=<key>]` → a complete A4 HTML
 * page (any logged-in user, like reading the record). Print templates (admins):
 * `GET /api/templates/print[?formKey=]`, `GET/PUT /api/templates/print/:key`.
 */
import { Router } from 'express';
import { printRecord, readPrintTemplate, savePrintTemplate } from '../../engine/printing/print.ts';
import { listPrintTemplates } from '../../engine/store/templates.ts';
import type { AppContext } from '../context.ts';
import { requireAdmin, requireUser } from '../http/auth.ts';

export function printingRoutes(ctx: AppContext): Router {
  const router = Router();

  router.get('/forms/:key/records/:id/print', async (req, res) => {
    requireUser(req);
    const template = typeof req.query.template === 'string' && req.query.template ? req.query.template : undefined;
    const html = await printRecord(ctx.db, req.params.key, req.params.id, template);
    res.type('text/html; charset=utf-8').send(html);
  });

  router.get('/templates/print', async (req, res) => {
    requireAdmin(req);
    res.json(await listPrintTemplates(ctx.db, typeof req.query.formKey === 'string' ? req.query.formKey : undefined));
  });

  router.get('/templates/print/:key', async (req, res) => {
    requireAdmin(req);
    res.json(await readPrintTemplate(ctx.db, req.params.key));
  });

  router.put('/templates/print/:key', async (req, res) => {
    requireAdmin(req);
    res.json(await savePrintTemplate(ctx.db, req.params.key, req.body));
  });

  return router;
}
