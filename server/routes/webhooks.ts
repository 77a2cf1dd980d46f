/**
 * Webhooks (engine/webhooks/, docs/webhooks.md). Admins: outgoing subscriptions, their
 * delivery log and re-send, incoming hooks. Outside systems: `POST /api/hooks/:id` starts an
 * instance of the hook's flow, authenticated by the hook's secret (no session), rate-limited
 * per hook on each node.
 */
import { Router, type Request } from 'express';
import { rateLimit } from 'express-rate-limit';
import { hookRequestsPerMinute, type RoutingRule } from '../../engine/api.ts';
import type { AppContext } from '../context.ts';
import { requireAdmin } from '../http/auth.ts';
import { bodyObject } from '../http/input.ts';
import { messageLocale } from '../http/locale.ts';
import { log } from '../log.ts';

/** Express's JSON parser keeps the raw bytes of hook requests here (server/app.ts), for the signature. */
export const RAW_BODY = Symbol('rawBody');
export const HOOK_PATH = /^\/api\/hooks\//;

const en = (req: Request) => messageLocale(req) === 'en';

export function webhookRoutes(ctx: AppContext): Router {
  const router = Router();
  const webhooks = ctx.engine.webhooks;

  router.get('/webhooks/events', (req, res) => {
    requireAdmin(req);
    res.json(webhooks.events());
  });

  router.get('/webhooks/subscriptions', async (req, res) => {
    requireAdmin(req);
    res.json(await webhooks.listSubscriptions());
  });

  router.post('/webhooks/subscriptions', async (req, res) => {
    const user = requireAdmin(req);
    res.status(201).json(await webhooks.createSubscription(bodyObject(req.body), user, en(req)));
  });

  router.get('/webhooks/subscriptions/:id', async (req, res) => {
    requireAdmin(req);
    res.json(await webhooks.getSubscription(req.params.id, en(req)));
  });

  router.patch('/webhooks/subscriptions/:id', async (req, res) => {
    requireAdmin(req);
    res.json(await webhooks.updateSubscription(req.params.id, bodyObject(req.body), en(req)));
  });

  router.delete('/webhooks/subscriptions/:id', async (req, res) => {
    requireAdmin(req);
    await webhooks.deleteSubscription(req.params.id, en(req));
    res.status(204).end();
  });

  router.post('/webhooks/subscriptions/:id/rotate-secret', async (req, res) => {
    requireAdmin(req);
    res.json(await webhooks.rotateSecret(req.params.id, en(req)));
  });

  router.get('/webhooks/subscriptions/:id/deliveries', async (req, res) => {
    requireAdmin(req);
    const limit = Number(req.query.limit ?? 50);
    res.json(await webhooks.listDeliveries(req.params.id, Number.isFinite(limit) ? limit : 50, en(req)));
  });

  router.post('/webhooks/subscriptions/:id/deliveries/:deliveryId/resend', async (req, res) => {
    requireAdmin(req);
    res.status(202).json(await webhooks.resend(req.params.id, req.params.deliveryId, en(req)));
  });

  router.get('/webhooks/hooks', async (req, res) => {
    requireAdmin(req);
    res.json(await webhooks.listHooks());
  });

  router.post('/webhooks/hooks', async (req, res) => {
    const user = requireAdmin(req);
    res.status(201).json(await webhooks.createHook(bodyObject(req.body), user, en(req)));
  });

  router.patch('/webhooks/hooks/:id', async (req, res) => {
    requireAdmin(req);
    res.json(await webhooks.setHookEnabled(req.params.id, bodyObject(req.body).enabled, en(req)));
  });

  router.delete('/webhooks/hooks/:id', async (req, res) => {
    requireAdmin(req);
    await webhooks.deleteHook(req.params.id, en(req));
    res.status(204).end();
  });

  const perHook = rateLimit({
    windowMs: 60_000,
    limit: hookRequestsPerMinute(process.env),
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    validate: { xForwardedForHeader: false },
    keyGenerator: (req) => `hook:${String(req.params.id).slice(0, 64)}`,
    handler: (req, res) => {
      res.status(429).json({
        error: { code: 'too_many_requests', message: en(req) ? 'Too many requests to this hook; try again in a minute' : '此钩子请求过于频繁，请一分钟后再试' },
      });
    },
  });

  router.post('/hooks/:id', perHook, async (req, res) => {
    const started = await webhooks.receive({
      id: String(req.params.id),
      rawBody: (req as unknown as Record<symbol, Buffer | undefined>)[RAW_BODY],
      body: req.body,
      secretHeader: req.get('x-liuzhuan-secret'),
      signatureHeader: req.get('x-liuzhuan-signature'),
      locale: messageLocale(req),
      onRuleError: (rule, err) => log.warn({ err, ruleId: (rule as RoutingRule).id }, 'routing rule failed to evaluate; counted as false'),
    });
    res.status(201).json(started);
  });

  return router;
}
