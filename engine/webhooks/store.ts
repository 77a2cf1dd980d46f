/** Queries of webhooks: subscriptions, their deliveries and attempts, incoming hooks. */
import { randomBytes } from 'node:crypto';
import type { Knex } from 'knex';

export interface SubscriptionView {
  id: string;
  name: string;
  url: string;
  events: string[];
  formKeys: string[];
  definitionKeys: string[];
  enabled: boolean;
  /** The secret is shown whole only in the answer that created (or rotated) it. */
  secretHint: string;
  createdBy: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface AttemptView {
  number: number;
  startedAt: string;
  durationMs: number;
  statusCode: number | null;
  error: string | null;
  responseExcerpt: string | null;
}

export interface DeliveryView {
  id: string;
  subscriptionId: string;
  event: string;
  status: 'pending' | 'retrying' | 'succeeded' | 'failed';
  attempts: number;
  lastStatusCode: number | null;
  lastError: string | null;
  lastDurationMs: number | null;
  nextAttemptAt: string | null;
  createdAt: string;
  deliveredAt: string | null;
  attemptLog: AttemptView[];
}

export interface HookView {
  id: string;
  name: string;
  definitionKey: string;
  runAs: { id: string; username: string };
  enabled: boolean;
  useCount: number;
  lastUsedAt: string | null;
  createdAt: string;
  /** Where to POST, relative to the server. */
  path: string;
  secretHint: string;
}

export function newSecret(): string {
  return `whsec_${randomBytes(24).toString('base64url')}`;
}

export function maskSecret(secret: string): string {
  return `${secret.slice(0, 6)}••••••${secret.slice(-4)}`;
}

const iso = (value: Date | null): string | null => (value ? value.toISOString() : null);

function toSubscription(row: any): SubscriptionView {
  return {
    id: row.id,
    name: row.name,
    url: row.url,
    events: row.events,
    formKeys: row.form_keys,
    definitionKeys: row.definition_keys,
    enabled: row.enabled,
    secretHint: maskSecret(row.secret),
    createdBy: row.created_by,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

export interface SubscriptionInput {
  name: string;
  url: string;
  events: string[];
  formKeys: string[];
  definitionKeys: string[];
  enabled: boolean;
}

export async function listSubscriptions(db: Knex): Promise<SubscriptionView[]> {
  return (await db('webhook_subscriptions').orderBy('created_at', 'desc').limit(1000)).map(toSubscription);
}

export async function getSubscription(db: Knex, id: string): Promise<SubscriptionView | null> {
  const row = await db('webhook_subscriptions').where({ id }).first();
  return row ? toSubscription(row) : null;
}

export async function insertSubscription(db: Knex, input: SubscriptionInput, secret: string, createdBy: string): Promise<SubscriptionView> {
  const [row] = await db('webhook_subscriptions')
    .insert({
      name: input.name,
      url: input.url,
      secret,
      events: input.events,
      form_keys: input.formKeys,
      definition_keys: input.definitionKeys,
      enabled: input.enabled,
      created_by: createdBy,
    })
    .returning('*');
  return toSubscription(row);
}

export async function updateSubscription(db: Knex, id: string, input: Partial<SubscriptionInput>, secret?: string): Promise<SubscriptionView | null> {
  const patch: Record<string, unknown> = { updated_at: db.fn.now() };
  if (input.name !== undefined) patch.name = input.name;
  if (input.url !== undefined) patch.url = input.url;
  if (input.events !== undefined) patch.events = input.events;
  if (input.formKeys !== undefined) patch.form_keys = input.formKeys;
  if (input.definitionKeys !== undefined) patch.definition_keys = input.definitionKeys;
  if (input.enabled !== undefined) patch.enabled = input.enabled;
  if (secret !== undefined) patch.secret = secret;
  const [row] = await db('webhook_subscriptions').where({ id }).update(patch).returning('*');
  return row ? toSubscription(row) : null;
}

export async function deleteSubscription(db: Knex, id: string): Promise<boolean> {
  // Its deliveries go with it (cascade); their waiting jobs find no delivery and end.
  return (await db('webhook_subscriptions').where({ id }).delete()) > 0;
}

function toDelivery(row: any, attempts: AttemptView[]): DeliveryView {
  return {
    id: row.id,
    subscriptionId: row.subscription_id,
    event: row.event,
    status: row.status,
    attempts: row.attempts,
    lastStatusCode: row.last_status_code,
    lastError: row.last_error,
    lastDurationMs: row.last_duration_ms,
    nextAttemptAt: iso(row.next_attempt_at),
    createdAt: row.created_at.toISOString(),
    deliveredAt: iso(row.delivered_at),
    attemptLog: attempts,
  };
}

/** The newest deliveries of a subscription, each with its attempts (oldest first). */
export async function listDeliveries(db: Knex, subscriptionId: string, limit: number): Promise<DeliveryView[]> {
  const rows = await db('webhook_deliveries').where({ subscription_id: subscriptionId }).orderBy('created_at', 'desc').orderBy('id').limit(limit);
  const attempts = rows.length
    ? await db('webhook_attempts').whereIn('delivery_id', rows.map((row: any) => row.id)).orderBy('number')
    : [];
  const byDelivery = new Map<string, AttemptView[]>();
  for (const a of attempts) {
    const list = byDelivery.get(a.delivery_id) ?? [];
    list.push({
      number: a.number,
      startedAt: a.started_at.toISOString(),
      durationMs: a.duration_ms,
      statusCode: a.status_code,
      error: a.error,
      responseExcerpt: a.response_excerpt,
    });
    byDelivery.set(a.delivery_id, list);
  }
  return rows.map((row: any) => toDelivery(row, byDelivery.get(row.id) ?? []));
}

export async function getDelivery(db: Knex, subscriptionId: string, id: string): Promise<DeliveryView | null> {
  const row = await db('webhook_deliveries').where({ id, subscription_id: subscriptionId }).first();
  if (!row) return null;
  const attempts = await db('webhook_attempts').where({ delivery_id: id }).orderBy('number');
  return toDelivery(
    row,
    attempts.map((a: any) => ({
      number: a.number,
      startedAt: a.started_at.toISOString(),
      durationMs: a.duration_ms,
      statusCode: a.status_code,
      error: a.error,
      responseExcerpt: a.response_excerpt,
    })),
  );
}

function toHook(row: any): HookView {
  return {
    id: row.id,
    name: row.name,
    definitionKey: row.definition_key,
    runAs: { id: row.run_as, username: row.run_as_username },
    enabled: row.enabled,
    useCount: row.use_count,
    lastUsedAt: iso(row.last_used_at),
    createdAt: row.created_at.toISOString(),
    path: `/api/hooks/${row.id}`,
    secretHint: maskSecret(row.secret),
  };
}

const hookQuery = (db: Knex) =>
  db('webhook_hooks as h').join('users as u', 'u.id', 'h.run_as').select('h.*', 'u.username as run_as_username');

export async function listHooks(db: Knex): Promise<HookView[]> {
  return (await hookQuery(db).orderBy('h.created_at', 'desc').limit(1000)).map(toHook);
}

export async function getHook(db: Knex, id: string): Promise<HookView | null> {
  const row = await hookQuery(db).where('h.id', id).first();
  return row ? toHook(row) : null;
}

export async function insertHook(
  db: Knex,
  input: { name: string; definitionKey: string; runAs: string; createdBy: string },
  secret: string,
): Promise<string> {
  const [row] = await db('webhook_hooks')
    .insert({ name: input.name, definition_key: input.definitionKey, run_as: input.runAs, created_by: input.createdBy, secret })
    .returning('id');
  return row.id;
}

export async function setHookEnabled(db: Knex, id: string, enabled: boolean): Promise<boolean> {
  return (await db('webhook_hooks').where({ id }).update({ enabled })) > 0;
}

export async function deleteHook(db: Knex, id: string): Promise<boolean> {
  return (await db('webhook_hooks').where({ id }).delete()) > 0;
}

/** What the incoming route checks a request against. */
export async function hookSecretOf(db: Knex, id: string): Promise<{ secret: string; definitionKey: string; runAs: string; enabled: boolean } | null> {
  const row = await db('webhook_hooks').where({ id }).first('secret', 'definition_key', 'run_as', 'enabled');
  return row ? { secret: row.secret, definitionKey: row.definition_key, runAs: row.run_as, enabled: row.enabled } : null;
}

export async function countHookUse(db: Knex, id: string, at: Date): Promise<void> {
  await db('webhook_hooks').where({ id }).update({ use_count: db.raw('use_count + 1'), last_used_at: at });
}
