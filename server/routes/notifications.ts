/**
 * In-app notifications of the caller: `GET /api/notifications?limit=&offset=&unread=true`
 * (newest first, with the unread count), `POST /api/notifications/:id/read`,
 * `POST /api/notifications/read-all`. Message templates (admins):
 * `GET /api/templates/messages`, `GET/PUT /api/templates/messages/:key`.
 */
import { Router } from 'express';
import type { AppContext } from '../context.ts';
import { ValidationError } from '../../engine/api.ts';
import { requireAdmin, requireUser } from '../http/auth.ts';
import { queryString } from '../http/input.ts';

/** A whole number from `min` to `max`, or `fallback` when absent; anything else is a 422 naming the parameter. */
function integer(value: string | undefined, name: string, fallback: number, min: number, max: number): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new ValidationError(`"${name}" must be a whole number from ${min} to ${max}`, [{ pointer: name, message: `expected ${min}..${max}` }]);
  }
  return n;
}

export function notificationRoutes(ctx: AppContext): Router {
  const router = Router();

  router.get('/notifications', async (req, res) => {
    const user = requireUser(req);
    res.json(
      await ctx.engine.listNotifications(user.username, {
        limit: integer(queryString(req.query.limit, 'limit'), 'limit', 20, 1, 100),
        // Offset paging past ~1M rows is the wrong tool; the cap keeps OFFSET bounded.
        offset: integer(queryString(req.query.offset, 'offset'), 'offset', 0, 0, 1_000_000),
        unreadOnly: req.query.unread === 'true',
      }),
    );
  });

  router.post('/notifications/read-all', async (req, res) => {
    const user = requireUser(req);
    res.json(await ctx.engine.markAllNotificationsRead({ username: user.username }));
  });

  router.post('/notifications/:id/read', async (req, res) => {
    const user = requireUser(req);
    // Another user's notification is answered like a missing one: ids reveal nothing.
    res.json(await ctx.engine.markNotificationRead({ id: req.params.id, username: user.username }));
  });

  router.get('/templates/messages', async (req, res) => {
    requireAdmin(req);
    res.json(await ctx.engine.listMessageTemplates());
  });

  router.get('/templates/messages/:key', async (req, res) => {
    requireAdmin(req);
    res.json(await ctx.engine.readMessageTemplate(req.params.key));
  });

  router.put('/templates/messages/:key', async (req, res) => {
    requireAdmin(req);
    res.json(await ctx.engine.saveMessageTemplate({ key: req.params.key, body: req.body }));
  });

  return router;
}
