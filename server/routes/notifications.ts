/**
 * In-app notifications of the caller: `GET /api/notifications?limit=&offset=&unread=true`
 * (newest first), `POST /api/notifications/:id/read`. Message templates (admins):
 * `GET /api/templates/messages`, `GET/PUT /api/templates/messages/:key`.
 */
import { Router } from 'express';
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
      await ctx.engine.listNotifications(user.username, {
        limit: integer(req.query.limit, 20, 100) || 20,
        offset: integer(req.query.offset, 0, 1_000_000),
        unreadOnly: req.query.unread === 'true',
      }),
    );
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
