/** `POST /api/forms` (admins), `GET /api/forms`, `GET /api/forms/:key[?version=N]` (any user). */
import { Router } from 'express';
import type { AppContext } from '../context.ts';
import { requireAdmin, requireUser } from '../http/auth.ts';
import { messageLocale } from '../http/locale.ts';

export function formRoutes(ctx: AppContext): Router {
  const router = Router();

  router.post('/forms', async (req, res) => {
    const user = requireAdmin(req);
    const saved = await ctx.engine.saveForm({ body: req.body, locale: messageLocale(req), createdBy: user.id });
    res.status(201).json(saved);
  });

  router.get('/forms', async (req, res) => {
    requireUser(req);
    res.json(await ctx.engine.listForms());
  });

  router.get('/forms/:key', async (req, res) => {
    requireUser(req);
    res.json(await ctx.engine.getForm(req.params.key, req.query.version));
  });

  return router;
}
