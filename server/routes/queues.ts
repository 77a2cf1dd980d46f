/** Department queues of routed tickets, and claiming / handing back / closing a ticket. */
import { Router } from 'express';
import { parsePaging } from '../../engine/api.ts';
import type { AppContext } from '../context.ts';
import { requireUser } from '../http/auth.ts';
import { queryString } from '../http/input.ts';

export function queueRoutes(ctx: AppContext): Router {
  const router = Router();

  router.get('/departments/:id/queue', async (req, res) => {
    const user = requireUser(req);
    const paging = parsePaging(queryString(req.query.page, 'page'), queryString(req.query.pageSize, 'pageSize'));
    res.json(await ctx.engine.departmentQueue(user, req.params.id, queryString(req.query.status, 'status'), paging));
  });

  const actions = { claim: ctx.engine.claimTicket, 'hand-back': ctx.engine.handBackTicket, close: ctx.engine.closeTicket };
  for (const [name, action] of Object.entries(actions)) {
    router.post(`/tickets/:id/${name}`, async (req, res) => {
      const user = requireUser(req);
      res.json(await action({ user, ticketId: req.params.id as string }));
    });
  }

  return router;
}
