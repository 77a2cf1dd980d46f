/**
 * In-app notifications of the caller: `GET /api/notifications?limit=&offset=&unread=true`
 * (newest first), `POST /api/notifications/:id/read`. Message templates (admins):
 * `GET /api/templates/messages`, `GET/PUT /api/templates/messages/:key`.
 */
import { Router } from 'express';
import { NotFoundError } from '../../engine/errors.ts';
import { UUID_PATTERN } from '../../engine/identity/org.ts';
import { readMessageTemplate, saveMessageTemplate } from '../../engine/notifications/templates.ts';
import { listNotifications, markNotificationRead } from '../../engine/store/notifications.ts';
import { listMessageTemplates } from '../../engine/store/templates.ts';
import type { AppContext } from '../context.ts';
import { requireAdmin, requireUser } from '../http/auth.ts';

function integer(value: unknown, fallback: number, max: number): number {
  const n = Number(value);
  return Number.isInteger(n) && n >= 0 ? Math.min(n, max) : fallback;
}

export function notificationRoutes(ctx: AppContext): Router {
  const router = Router();

  router.get('/notifications', async (req, res) => {
    const user = requireUser(req);
    res.json(
      await listNotifications(ctx.db, user.username, {
        limit: integer(req.query.limit, 20, 100) || 20,
        offset: integer(req.query.offset, 0, 1_000_000),
        unreadOnly: req.query.unread === 'true',
      }),
    );
  });

  router.post('/notifications/:id/read', async (req, res) => {
    const user = requireUser(req);
    const found = UUID_PATTERN.test(req.params.id) ? await markNotificationRead(ctx.db, req.params.id, user.username) : undefined;
    // Another user's notification is answered like a missing one: ids reveal nothing.
    if (!found) throw new NotFoundError(`No notification ${req.params.id}`);
    res.json(found);
  });

  router.get('/templates/messages', async (req, res) => {
    requireAdmin(req);
    res.json(await listMessageTemplates(ctx.db));
  });

  router.get('/templates/messages/:key', async (req, res) => {
    requireAdmin(req);
    res.json(await readMessageTemplate(ctx.db, req.params.key));
  });

  router.put('/templates/messages/:key', async (req, res) => {
    requireAdmin(req);
    res.json(await saveMessageTemplate(ctx.db, req.params.key, req.body));
  });

  return router;
}
