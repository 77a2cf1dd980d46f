/**
 * What the server's webhook routes call (engine.webhooks): admins' subscriptions, their
 * delivery log and re-send; incoming hooks that start a flow (incoming.ts).
 */
import type { Knex } from 'knex';
import type { CommandDeps } from '../commands/runCommand.ts';
import { LiuzhuanError, NotFoundError, ValidationError } from '../errors.ts';
import type { AuthUser } from '../identity/types.ts';
import { latestDefinition } from '../store/definitions.ts';
import { notifyJobs } from '../store/jobs.ts';
import { userByUsername } from '../store/users.ts';
import { receiveHook, type IncomingRequest } from './incoming.ts';
import { DELIVER_JOB_TYPE, WEBHOOK_EVENTS } from './settings.ts';
import * as store from './store.ts';
import { checkWebhookUrl } from './url.ts';

const KEY_PATTERN = /^[A-Za-z_][\w.-]{0,99}$/;

function text(body: Record<string, unknown>, field: string, en: boolean, max: number): string {
  const value = body[field];
  if (typeof value !== 'string' || value.trim() === '' || value.length > max) {
    const message = en ? `${field} must be a text of 1 to ${max} characters` : `${field} 须为 1 到 ${max} 个字符的文本`;
    throw new ValidationError(message, [{ pointer: `/${field}`, message }]);
  }
  return value.trim();
}

function keys(body: Record<string, unknown>, field: string, en: boolean): string[] {
  const value = body[field] ?? [];
  if (!Array.isArray(value) || value.length > 100 || value.some((key) => typeof key !== 'string' || !KEY_PATTERN.test(key))) {
    const message = en ? `${field} must be a list of keys (letters, digits, _ . -)` : `${field} 须为键的列表（字母、数字、_ . -）`;
    throw new ValidationError(message, [{ pointer: `/${field}`, message }]);
  }
  return [...new Set(value as string[])];
}

function events(body: Record<string, unknown>, en: boolean): string[] {
  const value = body.events;
  const known = WEBHOOK_EVENTS as readonly string[];
  if (!Array.isArray(value) || value.length === 0) {
    const message = en ? 'Pick at least one event' : '请至少选择一个事件';
    throw new ValidationError(message, [{ pointer: '/events', message }]);
  }
  value.forEach((event, index) => {
    if (typeof event !== 'string' || !known.includes(event)) {
      const message = en ? `Unknown event "${String(event)}"; known: ${known.join(', ')}` : `未知事件「${String(event)}」，可选：${known.join('、')}`;
      throw new ValidationError(message, [{ pointer: `/events/${index}`, message }]);
    }
  });
  return [...new Set(value as string[])];
}

function parseSubscription(body: Record<string, unknown>, en: boolean, partial: boolean): Partial<store.SubscriptionInput> {
  const has = (field: string) => !partial || body[field] !== undefined;
  const input: Partial<store.SubscriptionInput> = {};
  if (has('name')) input.name = text(body, 'name', en, 200);
  if (has('url')) input.url = checkWebhookUrl(body.url, '/url', en);
  if (has('events')) input.events = events(body, en);
  if (has('formKeys')) input.formKeys = keys(body, 'formKeys', en);
  if (has('definitionKeys')) input.definitionKeys = keys(body, 'definitionKeys', en);
  if (has('enabled')) {
    if (body.enabled !== undefined && typeof body.enabled !== 'boolean') {
      const message = en ? 'enabled must be true or false' : 'enabled 须为 true 或 false';
      throw new ValidationError(message, [{ pointer: '/enabled', message }]);
    }
    input.enabled = body.enabled !== false;
  }
  return input;
}

export function webhookApi(deps: CommandDeps) {
  const db = deps.db as Knex;
  const subscription = async (id: string, en: boolean) => {
    const found = await store.getSubscription(db, id);
    if (!found) throw new NotFoundError(en ? `No webhook subscription ${id}` : `没有 Webhook 订阅 ${id}`, 'webhook_not_found');
    return found;
  };
  return {
    events: (): readonly string[] => WEBHOOK_EVENTS,
    listSubscriptions: () => store.listSubscriptions(db),
    getSubscription: (id: string, en = false) => subscription(id, en),

    /** The secret is in this answer only. */
    async createSubscription(body: Record<string, unknown>, user: AuthUser, en = false) {
      const input = parseSubscription(body, en, false) as store.SubscriptionInput;
      const secret = store.newSecret();
      return { ...(await store.insertSubscription(db, input, secret, user.id)), secret };
    },

    async updateSubscription(id: string, body: Record<string, unknown>, en = false) {
      const updated = await store.updateSubscription(db, id, parseSubscription(body, en, true));
      if (!updated) await subscription(id, en);
      return updated!;
    },

    async rotateSecret(id: string, en = false) {
      const secret = store.newSecret();
      const updated = await store.updateSubscription(db, id, {}, secret);
      if (!updated) await subscription(id, en);
      return { ...updated!, secret };
    },

    async deleteSubscription(id: string, en = false) {
      if (!(await store.deleteSubscription(db, id))) await subscription(id, en);
    },

    async listDeliveries(id: string, limit: number, en = false) {
      await subscription(id, en);
      return store.listDeliveries(db, id, Math.min(Math.max(limit, 1), 200));
    },

    /**
     * Queues a delivery again, whatever its state: the same body and delivery id (a receiver
     * that already has it may dedupe), a fresh set of tries. A delivery still waiting for a
     * retry is made due now instead of queued twice.
     */
    async resend(id: string, deliveryId: string, en = false) {
      await db.transaction(async (trx) => {
        const row = await trx('webhook_deliveries').where({ id: deliveryId, subscription_id: id }).forUpdate().first('id');
        if (!row) throw new NotFoundError(en ? `No delivery ${deliveryId} of subscription ${id}` : `订阅 ${id} 没有投递 ${deliveryId}`, 'delivery_not_found');
        const now = deps.clock();
        const waiting = await trx('jobs')
          .where({ type: DELIVER_JOB_TYPE })
          .whereRaw("payload->>'deliveryId' = ?", [deliveryId])
          .update({ due_at: now, attempts: 0 });
        if (!waiting) {
          await trx('jobs').insert({ id: trx.raw('gen_random_uuid()'), type: DELIVER_JOB_TYPE, due_at: now, payload: JSON.stringify({ deliveryId }), retries_left: 5 });
        }
        await trx('webhook_deliveries').where({ id: deliveryId }).update({ status: 'pending', next_attempt_at: now });
        await notifyJobs(trx);
      });
      return store.getDelivery(db, id, deliveryId);
    },

    listHooks: () => store.listHooks(db),

    /** An incoming hook of a deployed process, acting as `runAs` (a username; default the admin creating it). The secret is in this answer only. */
    async createHook(body: Record<string, unknown>, user: AuthUser, en = false) {
      const name = text(body, 'name', en, 200);
      const definitionKey = text(body, 'definitionKey', en, 100);
      if (!(await latestDefinition(db, definitionKey))) {
        const message = en ? `No deployed process with key "${definitionKey}"` : `没有已发布的流程「${definitionKey}」`;
        throw new ValidationError(message, [{ pointer: '/definitionKey', message }], 'unknown_process');
      }
      let runAs = user.id;
      if (body.runAs !== undefined && body.runAs !== null) {
        const found = typeof body.runAs === 'string' ? await userByUsername(db, body.runAs) : undefined;
        if (!found || !found.active) {
          const message = en ? `No active user "${String(body.runAs)}"` : `没有启用的用户「${String(body.runAs)}」`;
          throw new ValidationError(message, [{ pointer: '/runAs', message }], 'unknown_user');
        }
        runAs = found.id;
      }
      const secret = store.newSecret();
      const id = await store.insertHook(db, { name, definitionKey, runAs, createdBy: user.id }, secret);
      return { ...(await store.getHook(db, id))!, secret };
    },

    async setHookEnabled(id: string, enabled: unknown, en = false) {
      if (typeof enabled !== 'boolean') throw new LiuzhuanError('invalid_input', en ? 'enabled must be true or false' : 'enabled 须为 true 或 false', 400);
      if (!(await store.setHookEnabled(db, id, enabled))) throw new NotFoundError(en ? `No incoming hook ${id}` : `没有接收钩子 ${id}`, 'hook_not_found');
      return (await store.getHook(db, id))!;
    },

    async deleteHook(id: string, en = false) {
      if (!(await store.deleteHook(db, id))) throw new NotFoundError(en ? `No incoming hook ${id}` : `没有接收钩子 ${id}`, 'hook_not_found');
    },

    receive: (request: IncomingRequest) => receiveHook(deps, request),
  };
}
