/**
 * The `webhook:deliver` job handler: one HTTP try of one delivery (queued by the triggers of
 * migration 046 in the transaction of the change). The body is built at the first try and then
 * fixed, so a retry or a re-send posts the same signed bytes. Failures of the receiver (no
 * answer, a non-2xx) are retried here with the webhook back-off (settings.ts), not the
 * executor's policy: the job stays, due later, until a try succeeds or the tries run out
 * (`failed`; a re-send queues it again). A crash of the node mid-try leaves the job leased;
 * once the lease expires another node tries again: at-least-once, receivers dedupe on the
 * delivery id.
 */
import type { Knex } from 'knex';
import type { CommandDeps } from '../commands/runCommand.ts';
import type { LeasedJob, JobHandlerResult } from '../extensions/jobHandlers.ts';
import { maskPersonal } from '../privacy/personal.ts';
import { getFormVersion } from '../store/forms.ts';
import { notifyJobs } from '../store/jobs.ts';
import { getRecord } from '../store/records.ts';
import { sendWebhook, signBody, type SendResult } from './send.ts';
import { webhookBackoffMs, webhookSettings } from './settings.ts';

interface DeliveryRow {
  id: string;
  subscription_id: string;
  event: string;
  subject: Record<string, any>;
  body: string | null;
  attempts: number;
  created_at: Date;
  url: string;
  secret: string;
  enabled: boolean;
}

/** The JSON receivers get. Records: as stored now, personal fields masked (docs/webhooks.md). */
export async function buildBody(db: Knex, delivery: Pick<DeliveryRow, 'id' | 'subscription_id' | 'event' | 'subject' | 'created_at'>): Promise<string> {
  const subject = delivery.subject;
  let data: Record<string, unknown> = subject;
  if (delivery.event.startsWith('record.')) {
    data = { formKey: subject.formKey, recordId: subject.recordId };
    if (delivery.event !== 'record.deleted') {
      const record = await getRecord(db, subject.formKey, subject.recordId);
      const form = record ? await getFormVersion(db, record.formKey, record.formVersion) : undefined;
      data.record = record ? { ...record, data: maskPersonal(form?.schema, record.data) } : null;
    }
  }
  return JSON.stringify({
    id: delivery.id,
    event: delivery.event,
    occurredAt: delivery.created_at.toISOString(),
    subscriptionId: delivery.subscription_id,
    data,
  });
}

async function loadDelivery(db: Knex, id: string): Promise<DeliveryRow | undefined> {
  return db('webhook_deliveries as d')
    .join('webhook_subscriptions as s', 's.id', 'd.subscription_id')
    .where('d.id', id)
    .first('d.id', 'd.subscription_id', 'd.event', 'd.subject', 'd.body', 'd.attempts', 'd.created_at', 's.url', 's.secret', 's.enabled');
}

export async function runDeliveryJob({ deps, job, owner, settings, stopSignal }: LeasedJob): Promise<JobHandlerResult> {
  const { db } = deps;
  const deliveryId = String(job.payload.deliveryId ?? '');
  const delivery = await loadDelivery(db, deliveryId);
  if (!delivery) {
    // The subscription (and so the delivery) was deleted meanwhile.
    await db('jobs').where({ id: job.id, locked_by: owner }).delete();
    return { ran: true };
  }
  if (!delivery.enabled) {
    await finishJob(deps, job.id, owner, delivery.id, { status: 'failed', last_error: 'The subscription is disabled', next_attempt_at: null });
    return { ran: true };
  }
  const config = webhookSettings(settings.env, settings.leaseMs);
  // Built once: whoever stores it first wins, everyone sends that text.
  let body = delivery.body;
  if (body === null) {
    const built = await buildBody(db, delivery);
    await db('webhook_deliveries').where({ id: delivery.id }).whereNull('body').update({ body: built });
    body = (await db('webhook_deliveries').where({ id: delivery.id }).first('body'))?.body ?? built;
  }
  const startedAt = deps.clock();
  const sentAt = Math.floor(Date.now() / 1000);
  const result: SendResult = await sendWebhook({
    url: delivery.url,
    body: body as string,
    timeoutMs: config.timeoutMs,
    allowPrivate: config.allowPrivate,
    signal: stopSignal,
    headers: {
      'content-type': 'application/json; charset=utf-8',
      'user-agent': 'Liuzhuan-Webhooks/1',
      'x-liuzhuan-event': delivery.event,
      'x-liuzhuan-delivery': delivery.id,
      'x-liuzhuan-timestamp': String(sentAt),
      'x-liuzhuan-signature': signBody(delivery.secret, body as string),
    },
  });
  const ok = result.error === null;
  const attemptsOfJob = job.attempts + 1;
  const number = delivery.attempts + 1;
  const retry = !ok && attemptsOfJob < config.maxAttempts;
  const nextAt = retry ? new Date(deps.clock().getTime() + webhookBackoffMs(attemptsOfJob, config)) : null;
  return db.transaction(async (trx) => {
    // Only the lease holder records the try: a job taken over after an expired lease is the other node's now.
    const held = await trx('jobs').where({ id: job.id, locked_by: owner }).forUpdate().first('id');
    if (!held) return { ran: false, reason: 'lease_lost' } as const;
    await trx('webhook_attempts').insert({
      delivery_id: delivery.id,
      number,
      started_at: startedAt,
      duration_ms: result.durationMs,
      status_code: result.statusCode,
      error: result.error,
      response_excerpt: result.responseExcerpt,
    });
    await trx('webhook_deliveries')
      .where({ id: delivery.id })
      .update({
        attempts: number,
        status: ok ? 'succeeded' : retry ? 'retrying' : 'failed',
        last_status_code: result.statusCode,
        last_error: result.error,
        last_duration_ms: result.durationMs,
        next_attempt_at: nextAt,
        delivered_at: ok ? startedAt : null,
      });
    if (retry) {
      await trx('jobs').where({ id: job.id }).update({ attempts: attemptsOfJob, due_at: nextAt, last_error: result.error, locked_by: null, locked_until: null });
      // Executors sleeping past the new due time look again.
      await notifyJobs(trx);
    } else {
      await trx('jobs').where({ id: job.id }).delete();
    }
    return { ran: true } as const;
  });
}

async function finishJob(deps: CommandDeps, jobId: string, owner: string, deliveryId: string, patch: Record<string, unknown>): Promise<void> {
  await deps.db.transaction(async (trx) => {
    const deleted = await trx('jobs').where({ id: jobId, locked_by: owner }).delete();
    if (deleted) await trx('webhook_deliveries').where({ id: deliveryId }).update(patch);
  });
}
