/**
 * Process instances: start, inspect, history; messages and signals that move them. Reads
 * follow involvement (engine/identity/instanceAccess.ts); messages and signals follow the
 * model's access rules (engine/commands/shared/eventAccess.ts).
 */
import { Router, type Request } from 'express';
import { ValidationError, type AuthUser, type RoutingRule } from '../../engine/api.ts';
import type { AppContext } from '../context.ts';
import { requireUser } from '../http/auth.ts';
import { bodyObject, optionalObject, optionalString, requiredString } from '../http/input.ts';
import { messageLocale } from '../http/locale.ts';
import { log } from '../log.ts';

/**
 * `POST /api/instances` of a form-bound process = `POST /api/forms/:key/submit` with the
 * variables as the form's data. The form's 422 pointers are data pointers; here the data is
 * the body's `variables`, so they are reported under `/variables`.
 */
async function startFlowFormInstance(
  ctx: AppContext,
  req: Request,
  input: { definitionKey: string; variables: Record<string, unknown> | undefined; businessKey: string | null; user: AuthUser },
) {
  try {
    return await ctx.engine.startBoundProcess({
      definitionKey: input.definitionKey,
      businessKey: input.businessKey,
      data: input.variables ?? {},
      user: input.user,
      locale: messageLocale(req),
      onRuleError: (rule: RoutingRule, err: unknown) =>
        log.warn({ err, ruleId: rule.id, formKey: rule.formKey }, 'routing rule failed to evaluate; counted as false'),
    });
  } catch (error) {
    if (!(error instanceof ValidationError) || error.code === 'form_bound_business_key') throw error;
    // Data pointers start with "/"; model pointers (an element id, e.g. `no_path`) stay as they are.
    const details = error.details?.map((detail) =>
      detail.pointer === '' || detail.pointer.startsWith('/') ? { ...detail, pointer: `/variables${detail.pointer}` } : detail,
    );
    throw new ValidationError(error.message, details, error.code);
  }
}

export function instanceRoutes(ctx: AppContext): Router {
  const router = Router();

  router.post('/instances', async (req, res) => {
    const user = requireUser(req);
    const body = bodyObject(req.body);
    const definitionKey = requiredString(body, 'definitionKey');
    const variables = optionalObject(body, 'variables');
    const businessKey = optionalString(body, 'businessKey') ?? null;
    // A process bound to a form starts only as a submission of that form (record included).
    const submitted = await startFlowFormInstance(ctx, req, { definitionKey, variables, businessKey, user });
    if (submitted) {
      res.status(201).json({ id: submitted.instance.id, status: submitted.instance.status, recordId: submitted.record.id });
      return;
    }
    const started = await ctx.engine.startInstance({ definitionKey, variables, businessKey, startedBy: user.username });
    res.status(201).json(started);
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
