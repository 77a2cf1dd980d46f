/**
 * Records of a form under `/api/forms/:key/records`, each act under the form's permission
 * groups (engine/access/; a form without groups: anyone creates, lists and reads plain records,
 * PUT and DELETE are for the record's creator or an admin), plus the CSV export. A flow-form
 * record follows its instance: read by those involved, changed only by its process
 * (see engine/forms/records.ts and flowRecordGuard.ts).
 */
import { Router, type Request } from 'express';
import { dataOf, type RoutingRule } from '../../engine/api.ts';
import type { AppContext } from '../context.ts';
import { requireUser } from '../http/auth.ts';
import { messageLocale } from '../http/locale.ts';
import { log } from '../log.ts';

/** The raw query pairs, independent of how express's query parser nests `filter[a][b]`. */
function queryPairs(req: Request): [string, string][] {
  return [...new URL(req.originalUrl, 'http://localhost').searchParams];
}

export function recordRoutes(ctx: AppContext): Router {
  const router = Router();

  router.post('/forms/:key/records', async (req, res) => {
    const user = requireUser(req);
    const locale = messageLocale(req);
    const data = dataOf(req.body, locale);
    // Record and ticket commit together (a routed record is never queue-less); events after commit.
    const record = await ctx.engine.createRecord({
      formKey: req.params.key,
      data,
      user,
      locale,
      onRuleError: (rule: RoutingRule, err: unknown) =>
        log.warn({ err, ruleId: rule.id, formKey: rule.formKey }, 'routing rule failed to evaluate; counted as false'),
    });
    res.status(201).json(record);
  });

  router.get('/forms/:key/records', async (req, res) => {
    res.json(await ctx.engine.listRecords(req.params.key, queryPairs(req), requireUser(req)));
  });

  // Before `records/:id`, which would take "export" for an id.
  router.get('/forms/:key/records/export', async (req, res) => {
    const result = await ctx.engine.access.exportRecords(requireUser(req), req.params.key, queryPairs(req), req.ip ?? null);
    const name = `${req.params.key}-${new Date().toISOString().slice(0, 10)}.csv`;
    res.setHeader('Content-Disposition', `attachment; filename="${name.replace(/[^A-Za-z0-9_.-]/g, '_')}"`);
    if (result.truncated) res.setHeader('X-Export-Truncated', 'true');
    res.type('text/csv; charset=utf-8').send(result.csv);
  });

  router.get('/forms/:key/records/:id', async (req, res) => {
    res.json(await ctx.engine.recordDetail(req.params.key, req.params.id, requireUser(req)));
  });

  router.put('/forms/:key/records/:id', async (req, res) => {
    const user = requireUser(req);
    const locale = messageLocale(req);
    const data = dataOf(req.body, locale);
    const record = await ctx.engine.updateRecord({ formKey: req.params.key, id: req.params.id, data, user, locale });
    res.json(record);
  });

  router.delete('/forms/:key/records/:id', async (req, res) => {
    const user = requireUser(req);
    await ctx.engine.deleteRecord({ formKey: req.params.key, id: req.params.id, user });
    res.status(204).end();
  });

  return router;
}
