/**
 * Records of a form under `/api/forms/:key/records`. Any logged-in user may create, list and
 * read plain records; PUT and DELETE are for the record's creator or an admin. A flow-form
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
