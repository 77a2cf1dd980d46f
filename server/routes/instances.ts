/** Process instances: start, inspect, history; messages and signals that move them. */
import { Router } from 'express';
import { recordOfInstance } from '../../engine/store/records.ts';
import type { AppContext } from '../context.ts';
import { requireUser } from '../http/auth.ts';
import { bodyObject, optionalObject, optionalString, requiredString } from '../http/input.ts';

export function instanceRoutes(ctx: AppContext): Router {
  const router = Router();

  router.post('/instances', async (req, res) => {
    const user = requireUser(req);
    const body = bodyObject(req.body);
    const started = await ctx.engine.startInstance({
      definitionKey: requiredString(body, 'definitionKey'),
      variables: optionalObject(body, 'variables'),
      businessKey: optionalString(body, 'businessKey') ?? null,
      startedBy: user.username,
    });
    res.status(201).json(started);
  });

  router.get('/instances/:id', async (req, res) => {
    requireUser(req);
    const instance = await ctx.engine.getInstance(req.params.id);
    // Flow forms: the record the instance was started from (its id is also the business key).
    const record = await recordOfInstance(ctx.db, instance.id);
    res.json({ ...instance, record: record ? { id: record.id, formKey: record.formKey } : null });
  });

  // The progress view: the diagram with what is active now and what has been done.
  router.get('/instances/:id/diagram', async (req, res) => {
    requireUser(req);
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
    requireUser(req);
    await ctx.engine.getInstance(req.params.id);
    res.json(await ctx.engine.history(req.params.id));
  });

  router.post('/messages', async (req, res) => {
    const user = requireUser(req);
    const body = bodyObject(req.body);
    const result = await ctx.engine.correlateMessage({
      messageName: requiredString(body, 'messageName'),
      correlationKey: optionalString(body, 'correlationKey'),
      variables: optionalObject(body, 'variables'),
      actor: user.username,
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
        actor: user.username,
      }),
    );
  });

  return router;
}
