/**
 * Process instances: start, inspect, history; messages and signals that move them. Reads
 * follow involvement (engine/identity/instanceAccess.ts); messages and signals follow the
 * model's access rules (engine/commands/shared/eventAccess.ts).
 */
import { Router } from 'express';
import type { RoutingRule } from '../../engine/api.ts';
import type { AppContext } from '../context.ts';
import { requireUser } from '../http/auth.ts';
import { bodyObject, optionalObject, optionalString, requiredString } from '../http/input.ts';
import { messageLocale } from '../http/locale.ts';
import { log } from '../log.ts';
import { taskView } from './tasks.ts';

export function instanceRoutes(ctx: AppContext): Router {
  const router = Router();

  // A form-bound process starts only as a submission of its form (record included).
  router.post('/instances', async (req, res) => {
    const user = requireUser(req);
    const body = bodyObject(req.body);
    const started = await ctx.engine.startInstanceForUser({
      definitionKey: requiredString(body, 'definitionKey'),
      variables: optionalObject(body, 'variables'),
      businessKey: optionalString(body, 'businessKey') ?? null,
      user,
      locale: messageLocale(req),
      onRuleError: (rule: RoutingRule, err: unknown) =>
        log.warn({ err, ruleId: rule.id, formKey: rule.formKey }, 'routing rule failed to evaluate; counted as false'),
    });
    res.status(201).json({ ...started, nextTasks: started.nextTasks.map(taskView) });
  });

  // Reads follow involvement (engine/identity/instanceAccess.ts): anyone else gets 404.
  router.get('/instances/:id', async (req, res) => {
    await ctx.engine.assertMayReadInstance(requireUser(req), req.params.id);
    const instance = await ctx.engine.getInstance(req.params.id);
    // Flow forms: the record the instance was started from (its id is also the business key).
    const record = await ctx.engine.recordOfInstance(instance.id);
    res.json({ ...instance, record: record ? { id: record.id, formKey: record.formKey } : null });
  });

  // The progress view: the diagram with what is active now and what has been done.
  router.get('/instances/:id/diagram', async (req, res) => {
    await ctx.engine.assertMayReadInstance(requireUser(req), req.params.id);
    const instance = await ctx.engine.getInstance(req.params.id);
    const xml = await ctx.engine.definitionXml(instance.definitionId);
    const completed = new Set<string>();
    for (const entry of await ctx.engine.history(instance.id)) {
      if (entry.endedAt && !entry.cancelled) completed.add(entry.elementId);
    }
    res.json({
      definitionId: instance.definitionId,
      xml,
      activeElementIds: instance.activeElementIds,
      completedElementIds: [...completed],
    });
  });

  router.get('/instances/:id/history', async (req, res) => {
    await ctx.engine.assertMayReadInstance(requireUser(req), req.params.id);
    res.json(await ctx.engine.history(req.params.id));
  });

  router.post('/messages', async (req, res) => {
    const user = requireUser(req);
    const body = bodyObject(req.body);
    const result = await ctx.engine.correlateMessage({
      messageName: requiredString(body, 'messageName'),
      correlationKey: optionalString(body, 'correlationKey'),
      variables: optionalObject(body, 'variables'),
      caller: user,
    });
    res.json(result);
  });

  router.post('/signals', async (req, res) => {
    const user = requireUser(req);
    const body = bodyObject(req.body);
    res.json(
      await ctx.engine.broadcastSignal({
        signalName: requiredString(body, 'signalName'),
        variables: optionalObject(body, 'variables'),
        caller: user,
      }),
    );
  });

  return router;
}
