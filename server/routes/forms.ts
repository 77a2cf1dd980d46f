/** `POST /api/forms` (admins), `GET /api/forms`, `GET /api/forms/:key[?version=N]` (any user). */
import { Router } from 'express';
import { getForm, listForms, parseFormInput, saveForm } from '../../engine/forms/forms.ts';
import type { AppContext } from '../context.ts';
import { requireAdmin, requireUser } from '../http/auth.ts';
import { messageLocale } from '../http/locale.ts';

export function formRoutes(ctx: AppContext): Router {
  const router = Router();

  router.post('/forms', async (req, res) => {
    const user = requireAdmin(req);
    const saved = await saveForm(ctx.db, parseFormInput(req.body, messageLocale(req)), user.id);
    res.status(201).json(saved);
  });

  router.get('/forms', async (req, res) => {
    requireUser(req);
    res.json(await listForms(ctx.db));
  });

  router.get('/forms/:key', async (req, res) => {
    requireUser(req);
    res.json(await getForm(ctx.db, req.params.key, req.query.version));
  });

  return router;
}
