/**
 * Printing: `GET /api/forms/:key/records/:id/print[?template=<key>]` → a complete A4 HTML
 * page (whoever has the `print` right on the record, engine/access/; fields they may not see are
 * absent, personal ones masked). Print templates (admins):
 * `GET /api/templates/print[?formKey=]`, `GET/PUT /api/templates/print/:key`.
 */
import { Router } from 'express';
import type { AppContext } from '../context.ts';
import { requireAdmin, requireUser } from '../http/auth.ts';
import { PRINT_PAGE_CSP } from '../http/contentSecurity.ts';

export function printingRoutes(ctx: AppContext): Router {
  const router = Router();

  router.get('/forms/:key/records/:id/print', async (req, res) => {
    const template = typeof req.query.template === 'string' && req.query.template ? req.query.template : undefined;
    // The reader's view and print rights apply (engine/access/): 404 unseen, 403 unprintable, hidden fields absent.
    const html = await ctx.engine.printRecord(req.params.key, req.params.id, template, requireUser(req));
    // A static page: its own CSP forbids every script (the app's allows the designer's).
    res.setHeader('Content-Security-Policy', PRINT_PAGE_CSP);
    res.type('text/html; charset=utf-8').send(html);
  });

  router.get('/templates/print', async (req, res) => {
    requireAdmin(req);
    res.json(await ctx.engine.listPrintTemplates(typeof req.query.formKey === 'string' ? req.query.formKey : undefined));
  });

  router.get('/templates/print/:key', async (req, res) => {
    requireAdmin(req);
    res.json(await ctx.engine.readPrintTemplate(req.params.key));
  });

  router.put('/templates/print/:key', async (req, res) => {
    requireAdmin(req);
    res.json(await ctx.engine.savePrintTemplate({ key: req.params.key, body: req.body }));
  });

  return router;
}
