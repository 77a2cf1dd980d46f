/**
 * Printing: `GET /api/forms/:key/records/:id/print[?template=<key>]` → a complete A4 HTML
 * page (whoever may read the record: a flow-form record only those involved in its instance). Print templates (admins):
 * `GET /api/templates/print[?formKey=]`, `GET/PUT /api/templates/print/:key`.
 */
import { Router } from 'express';
import { readRecord } from '../../engine/forms/records.ts';
import { printRecord, readPrintTemplate, savePrintTemplate } from '../../engine/printing/print.ts';
import { listPrintTemplates } from '../../engine/store/templates.ts';
import type { AppContext } from '../context.ts';
import { requireAdmin, requireUser } from '../http/auth.ts';
import { PRINT_PAGE_CSP } from '../http/contentSecurity.ts';

export function printingRoutes(ctx: AppContext): Router {
  const router = Router();

  router.get('/forms/:key/records/:id/print', async (req, res) => {
    // Reading it first applies the record read rule (a flow record: only those involved).
    await readRecord(ctx.db, req.params.key, req.params.id, requireUser(req));
    const template = typeof req.query.template === 'string' && req.query.template ? req.query.template : undefined;
    const html = await printRecord(ctx.db, req.params.key, req.params.id, template);
    // A static page: its own CSP forbids every script (the app's allows the designer's).
    res.setHeader('Content-Security-Policy', PRINT_PAGE_CSP);
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
