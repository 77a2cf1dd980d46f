/** The caller's inbox boxes and badge counts, and CC (抄送) of an instance. */
import { Router } from 'express';
import { ccInstance, inboxCounts, listInbox, readCc } from '../../engine/inbox/inbox.ts';
import { parsePaging } from '../../engine/inbox/paging.ts';
import type { AppContext } from '../context.ts';
import { requireUser } from '../http/auth.ts';
import { queryString } from '../http/input.ts';

export function inboxRoutes(ctx: AppContext): Router {
  const router = Router();

  // Registered before `/inbox/:box` so "counts" is not taken for a box name.
  router.get('/inbox/counts', async (req, res) => {
    res.json(await inboxCounts(ctx.db, requireUser(req)));
  });

  router.get('/inbox/:box', async (req, res) => {
    const user = requireUser(req);
    const paging = parsePaging(queryString(req.query.page, 'page'), queryString(req.query.pageSize, 'pageSize'));
    const filter = {
      definitionKey: queryString(req.query.definitionKey, 'definitionKey') || undefined,
      q: queryString(req.query.q, 'q') || undefined,
    };
    res.json(await listInbox(ctx.db, user, req.params.box, filter, paging));
  });

  router.post('/inbox/cc/:id/read', async (req, res) => {
    res.json(await readCc(ctx.db, requireUser(req), req.params.id));
  });

  router.post('/instances/:id/cc', async (req, res) => {
    const user = requireUser(req);
    const { entries, events } = await ccInstance(ctx.db, user, req.params.id, req.body);
    ctx.events.publish(events);
    res.status(201).json({ items: entries });
  });

  return router;
}
