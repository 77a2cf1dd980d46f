/**
 * Flow forms (流程表单): the forms a staff user may start a process with, the start form as
 * the start node shows it, and submitting it (record + process in one transaction).
 * Any logged-in user may list, read and submit (docs/architecture.md, "Flow forms"); and the
 * processes that start from a record, and starting one (whoever may read the record).
 */
import { Router } from 'express';
import { dataOf, ValidationError, type RoutingRule } from '../../engine/api.ts';
import type { AppContext } from '../context.ts';
import { requireUser } from '../http/auth.ts';
import { bodyObject, optionalString } from '../http/input.ts';
import { messageLocale } from '../http/locale.ts';
import { log } from '../log.ts';

const MAX_COMMENT = 2000;

export function flowFormRoutes(ctx: AppContext): Router {
  const router = Router();

  router.get('/flow-forms', async (req, res) => {
    requireUser(req);
    res.json(await ctx.engine.listFlowForms());
  });

  router.get('/flow-forms/:formKey', async (req, res) => {
    requireUser(req);
    res.json(await ctx.engine.flowStartForm(req.params.formKey));
  });

  router.post('/forms/:key/submit', async (req, res) => {
    const user = requireUser(req);
    const locale = messageLocale(req);
    const body = bodyObject(req.body);
    const data = dataOf(body, locale);
    const comment = optionalString(body, 'comment');
    if (comment !== undefined && comment.length > MAX_COMMENT) {
      throw new ValidationError(`"comment" is longer than ${MAX_COMMENT} characters`, [
        { pointer: '/comment', message: `at most ${MAX_COMMENT} characters` },
      ]);
    }
    const result = await ctx.engine.submitFlowForm({
      formKey: req.params.key,
      data,
      comment,
      user,
      locale,
      onRuleError: (rule: RoutingRule, err: unknown) =>
        log.warn({ err, ruleId: rule.id, formKey: rule.formKey }, 'routing rule failed to evaluate; counted as false'),
    });
    res.status(201).json(result);
  });

  // Processes that start from a record of this form (发起回访 on a profile card; engine/forms/recordStarts.ts).
  router.get('/forms/:key/records/:id/starts', async (req, res) => {
    const user = requireUser(req);
    res.json(await ctx.engine.recordStartOptions(user, req.params.key, req.params.id));
  });

  router.post('/forms/:key/records/:id/starts/:definitionKey', async (req, res) => {
    const user = requireUser(req);
    const instance = await ctx.engine.startFromRecord({ formKey: req.params.key, recordId: req.params.id, definitionKey: req.params.definitionKey, user });
    res.status(201).json(instance);
  });

  return router;
}
