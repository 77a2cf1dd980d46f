/**
 * `GET /api/instances?status=&definitionKey=&page=&pageSize=` → `{items, total}` (admins):
 * the monitoring list of process instances. Kept apart from routes/instances.ts, which is
 * about one instance and what any involved user may see of it.
 */
import { Router } from 'express';
import { INSTANCE_STATUSES, parsePaging, ValidationError, type InstanceStatus } from '../../engine/api.ts';
import type { AppContext } from '../context.ts';
import { requireAdmin } from '../http/auth.ts';
import { queryString } from '../http/input.ts';

function statusParam(value: string | undefined): InstanceStatus | undefined {
  if (value === undefined || value === '') return undefined;
  if (!INSTANCE_STATUSES.includes(value as InstanceStatus)) {
    throw new ValidationError(`"status" must be one of ${INSTANCE_STATUSES.join(', ')}`, [
      { pointer: 'status', message: `expected one of ${INSTANCE_STATUSES.join(', ')}` },
    ]);
  }
  return value as InstanceStatus;
}

export function instanceListRoutes(ctx: AppContext): Router {
  const router = Router();

  router.get('/instances', async (req, res) => {
    requireAdmin(req);
    const status = statusParam(queryString(req.query.status, 'status'));
    const definitionKey = queryString(req.query.definitionKey, 'definitionKey') || undefined;
    const paging = parsePaging(queryString(req.query.page, 'page'), queryString(req.query.pageSize, 'pageSize'));
    const page = await ctx.engine.listInstances({ status, definitionKey, limit: paging.limit, offset: paging.offset });
    res.json({ ...page, page: paging.page, pageSize: paging.pageSize });
  });

  return router;
}
