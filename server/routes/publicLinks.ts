/**
 * Public links (外链, engine/publicLinks/).
 * - No login: `GET /api/public/links/:token` (what the page at `/p/:token` needs) and
 *   `POST /api/public/links/:token {data}` (the answer; the page's query parameters are
 *   recorded as its channel). Rate-limited per client address and, for answers, per token.
 *   The counters are in memory on each node: across N nodes a client gets at most N × the
 *   limit, which still bounds guessing (tokens have 256 bits) and flooding.
 * - Admins: a form's links — publish, list, revoke, answers.
 * - Readers of an instance: the links it created (to forward a survey link by hand).
 * CSRF: the public page's POST is a same-origin JSON write like any other
 * (server/http/csrf.ts); it needs no session, so a cookie-less visitor passes.
 */
import { Router, type Request, type Response } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import type { RoutingRule } from '../../engine/api.ts';
import { dataOf, LiuzhuanError } from '../../engine/api.ts';
import type { AppContext } from '../context.ts';
import { requireAdmin, requireUser } from '../http/auth.ts';
import { messageLocale } from '../http/locale.ts';
import { log } from '../log.ts';

/** Requests to public link URLs from one address per minute (page loads and answers together). */
export const PUBLIC_REQUESTS_PER_MINUTE = 120;
/** Answers to one link per minute, from anywhere (bad data retried, or a link shared too widely). */
export const ANSWERS_PER_TOKEN_PER_MINUTE = 10;
/** A customer's answer is a form, not an upload: far below the API's 2 MB. */
export const MAX_ANSWER_BYTES = 256 * 1024;

function tooMany(req: Request, res: Response) {
  const en = messageLocale(req) === 'en';
  res.status(429).json({
    error: { code: 'too_many_requests', message: en ? 'Too many requests; try again in a minute' : '请求过于频繁，请一分钟后再试' },
  });
}

export function publicLinkRoutes(ctx: AppContext): Router {
  const router = Router();
  const links = ctx.engine.publicLinks;

  const perAddress = rateLimit({
    windowMs: 60_000,
    limit: PUBLIC_REQUESTS_PER_MINUTE,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    // Without a trusted proxy an X-Forwarded-For header is ignored on purpose, not a mistake.
    validate: { xForwardedForHeader: false },
    keyGenerator: (req) => ipKeyGenerator(req.ip ?? ''),
    handler: tooMany,
  });
  const perToken = rateLimit({
    windowMs: 60_000,
    limit: ANSWERS_PER_TOKEN_PER_MINUTE,
    standardHeaders: false,
    legacyHeaders: false,
    validate: { xForwardedForHeader: false },
    keyGenerator: (req) => `token:${String(req.params.token).slice(0, 64)}`,
    handler: tooMany,
  });

  router.get('/public/links/:token', perAddress, async (req, res) => {
    res.set('Cache-Control', 'no-store').set('X-Robots-Tag', 'noindex, nofollow');
    res.json(await links.page(String(req.params.token), messageLocale(req)));
  });

  router.post('/public/links/:token', perAddress, perToken, async (req, res) => {
    const locale = messageLocale(req);
    if (Buffer.byteLength(JSON.stringify(req.body ?? null)) > MAX_ANSWER_BYTES) {
      throw new LiuzhuanError('payload_too_large', `An answer may be at most ${MAX_ANSWER_BYTES / 1024} kB`, 413);
    }
    const answered = await links.answer({
      token: String(req.params.token),
      data: dataOf(req.body, locale),
      channel: req.query,
      locale,
      onRuleError: (rule: RoutingRule, err: unknown) =>
        log.warn({ err, ruleId: rule.id, formKey: rule.formKey }, 'routing rule failed to evaluate; counted as false'),
    });
    res.status(201).json({ kind: answered.kind, recordId: answered.recordId });
  });

  router.get('/forms/:key/public-links', async (req, res) => {
    requireAdmin(req);
    res.json(await links.listForForm(String(req.params.key)));
  });

  router.post('/forms/:key/public-links', async (req, res) => {
    const actor = requireAdmin(req);
    res.status(201).json(await links.create(String(req.params.key), req.body, actor, messageLocale(req)));
  });

  router.post('/forms/:key/public-links/:id/revoke', async (req, res) => {
    requireAdmin(req);
    res.json(await links.revoke(String(req.params.key), String(req.params.id)));
  });

  router.get('/forms/:key/public-links/:id/answers', async (req, res) => {
    requireAdmin(req);
    res.json(await links.answersOf(String(req.params.key), String(req.params.id)));
  });

  router.get('/instances/:id/public-links', async (req, res) => {
    await ctx.engine.assertMayReadInstance(requireUser(req), String(req.params.id));
    res.json(await links.ofInstance(String(req.params.id)));
  });

  return router;
}
