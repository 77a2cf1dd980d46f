/** The caller's inbox boxes and badge counts, and CC (抄送) of an instance. */
import { Router } from 'express';
import { parsePaging } from '../../engine/api.ts';
import type { AppContext } from '../context.ts';
import { requireUser } from '../http/auth.ts';
import { queryString } from '../http/input.ts';

export function inboxRoutes(ctx: AppContext): Router {
  const router = Router();

  // Registered before `/inbox/:box` so "counts" is not taken for a box name.
  router.get('/inbox/counts', async (req, res) => {
    res.json(await ctx.engine.inboxCounts(requireUser(req)));
  });

  router.get('/inbox/:box', async (req, res) => {
    const user = requireUser(req);
    const paging = parsePaging(queryString(req.query.page, 'page'), queryString(req.query.pageSize, 'pageSize'));
    const filter = {
      definitionKey: queryString(req.query.definitionKey, 'definitionKey') || undefined,
      q: queryString(req.query.q, 'q') || undefined,
      taskId: queryString(req.query.taskId, 'taskId') || undefined,
      sort: queryString(req.query.sort, 'sort') || undefined,
    };
    res.json(await ctx.engine.listInbox(user, req.params.box, filter, paging));
  });

  router.post('/inbox/cc/:id/read', async (req, res) => {
    res.json(await ctx.engine.markCcRead({ user: requireUser(req), id: req.params.id }));
  });

  router.post('/instances/:id/cc', async (req, res) => {
    const user = requireUser(req);
    const entries = await ctx.engine.ccInstance({ user, instanceId: req.params.id, body: req.body });
    res.status(201).json({ items: entries });
  });

  return router;
}
