/** The caller's inbox boxes and badge counts, their .xlsx/CSV export, and CC (抄送) of an instance. */
import { Router, type Request } from 'express';
import { parsePaging, ValidationError } from '../../engine/api.ts';
import type { AppContext } from '../context.ts';
import { requireUser } from '../http/auth.ts';
import { queryString } from '../http/input.ts';

export function inboxRoutes(ctx: AppContext): Router {
  const router = Router();

  // Registered before `/inbox/:box` so "counts" is not taken for a box name.
  router.get('/inbox/counts', async (req, res) => {
    res.json(await ctx.engine.inboxCounts(requireUser(req)));
  });

  /** The list's own filters, shared by the list and its export. */
  const boxFilter = (req: Request) => ({
    definitionKey: queryString(req.query.definitionKey, 'definitionKey') || undefined,
    q: queryString(req.query.q, 'q') || undefined,
    taskId: queryString(req.query.taskId, 'taskId') || undefined,
    sort: queryString(req.query.sort, 'sort') || undefined,
  });

  router.get('/inbox/:box', async (req, res) => {
    const user = requireUser(req);
    const paging = parsePaging(queryString(req.query.page, 'page'), queryString(req.query.pageSize, 'pageSize'));
    res.json(await ctx.engine.listInbox(user, req.params.box, boxFilter(req), paging));
  });

  // 已办 / 我发起的 as a file: the list's filters and order, streamed (engine/inbox/export.ts).
  router.get('/inbox/:box/export', async (req, res) => {
    const user = requireUser(req);
    const format = queryString(req.query.format, 'format') || 'xlsx';
    if (format !== 'xlsx' && format !== 'csv') throw new ValidationError('"format" must be xlsx or csv', [{ pointer: 'format', message: `unknown format "${format.slice(0, 20)}"` }]);
    const offset = Number(queryString(req.query.timezoneOffset, 'timezoneOffset') || 0);
    if (!Number.isInteger(offset) || Math.abs(offset) > 840) {
      throw new ValidationError('"timezoneOffset" must be whole minutes from -840 to 840', [{ pointer: 'timezoneOffset', message: 'expected -840..840' }]);
    }
    const name = `${req.params.box}-${new Date().toISOString().slice(0, 10)}.${format}`.replace(/[^A-Za-z0-9_.-]/g, '_');
    await ctx.engine.exportInbox(user, req.params.box, boxFilter(req), { format, timezoneOffset: offset, ip: req.ip ?? null }, res, ({ truncated }) => {
      res.setHeader('Content-Disposition', `attachment; filename="${name}"`);
      if (truncated) res.setHeader('X-Export-Truncated', 'true');
      res.type(format === 'xlsx' ? 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' : 'text/csv; charset=utf-8');
    });
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
