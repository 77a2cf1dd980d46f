/**
 * Retention (保留期限): per form, records are erased (deleted) or anonymised (personal fields
 * removed) once `after` (an ISO-8601 duration, e.g. P3Y) has passed since they were created or
 * last updated. One daily job (`privacy:retention`, 03:00 Asia/Shanghai) runs every form's rule
 * in bounded batches (rows locked with SKIP LOCKED, so two nodes never work on one row), writes
 * one audit row per form that had work, then enqueues the next day's run.
 */
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { appendAudit } from '../audit/log.ts';
import { runCommand } from '../commands/runCommand.ts';
import { NotFoundError, ValidationError } from '../errors.ts';
import type { JobHandler } from '../extensions/jobHandlers.ts';
import type { AuthUser } from '../identity/types.ts';
import { insertJobs, lockJob } from '../store/jobs.ts';
import { storedRecordData } from '../store/records.ts';
import { nextCron, parseQuartz } from '../timers/cron.ts';
import { decryptPersonal } from './crypto.ts';
import { personalFieldsOf } from './formFields.ts';
import { personalFields } from './personal.ts';

export interface RetentionRule {
  after: string;
  basis: 'createdAt' | 'updatedAt';
  action: 'erase' | 'anonymise';
}

export const RETENTION_JOB_TYPE = 'privacy:retention';
const RETENTION_CRON = '0 0 3 * * ?';
const RETENTION_TIME_ZONE = 'Asia/Shanghai';
const BATCH = 200;
/** Per form per run: the rest waits for the next day (or a manual run of the job). */
export const MAX_RETAINED_PER_RUN = 5_000;
/** Years, months, weeks, days and a time part; no fractions. At least one part. */
const DURATION = /^P(?=\d|T\d)(\d{1,4}Y)?(\d{1,4}M)?(\d{1,4}W)?(\d{1,5}D)?(T(?=\d)(\d{1,6}H)?(\d{1,6}M)?(\d{1,8}S)?)?$/;

export function parseRetentionRule(body: unknown): RetentionRule | null {
  if (body === null) return null;
  const input = body as Record<string, unknown> | undefined;
  if (!input || typeof input !== 'object' || Array.isArray(input)) {
    throw new ValidationError('Send {after, basis, action} or null', [{ pointer: '', message: 'an object or null' }]);
  }
  const details: Array<{ pointer: string; message: string }> = [];
  for (const key of Object.keys(input)) if (!['after', 'basis', 'action'].includes(key)) details.push({ pointer: `/${key}`, message: 'unknown property' });
  if (typeof input.after !== 'string' || !DURATION.test(input.after) || /^PT?0*[YMWDHS]?$/.test(input.after)) {
    details.push({ pointer: '/after', message: 'an ISO-8601 duration such as P3Y, P6M or P90D' });
  }
  const basis = input.basis ?? 'createdAt';
  if (basis !== 'createdAt' && basis !== 'updatedAt') details.push({ pointer: '/basis', message: 'createdAt or updatedAt' });
  if (input.action !== 'erase' && input.action !== 'anonymise') details.push({ pointer: '/action', message: 'erase or anonymise' });
  if (details.length) throw new ValidationError('Invalid retention rule', details, 'invalid_retention');
  return { after: input.after as string, basis: basis as RetentionRule['basis'], action: input.action as RetentionRule['action'] };
}

export async function getRetention(db: Knex, formKey: string): Promise<RetentionRule | null> {
  const row = await db('form_retention').where({ form_key: formKey }).first();
  return row ? { after: row.after, basis: row.basis, action: row.action } : null;
}

function retentionJob(dueAt: Date) {
  return { id: randomUUID(), type: RETENTION_JOB_TYPE, instanceId: null, executionId: null, elementId: null, dueAt, payload: {} };
}

function nextRun(after: Date): Date {
  return nextCron(parseQuartz(RETENTION_CRON), after, RETENTION_TIME_ZONE)!;
}

/** Sets (or with null, removes) a form's rule; audited; makes sure the daily job is pending. */
export async function setRetention(db: Knex, actor: AuthUser, formKey: string, body: unknown, now: Date): Promise<RetentionRule | null> {
  const rule = parseRetentionRule(body);
  return db.transaction(async (trx) => {
    if (!(await trx('forms').where({ key: formKey }).first('key'))) throw new NotFoundError(`No form "${formKey}"`);
    const before = await getRetention(trx, formKey);
    if (rule) {
      await trx('form_retention')
        .insert({ form_key: formKey, ...rule, updated_by: actor.id, updated_at: trx.fn.now() })
        .onConflict('form_key')
        .merge(['after', 'basis', 'action', 'updated_by', 'updated_at']);
      // One pending job for all forms: the lock keeps two admins saving at once from queueing two.
      await trx.raw('SELECT pg_advisory_xact_lock(hashtext(?))', [RETENTION_JOB_TYPE]);
      if (!(await trx('jobs').where({ type: RETENTION_JOB_TYPE }).first('id'))) await insertJobs(trx, [retentionJob(nextRun(now))]);
    } else {
      await trx('form_retention').where({ form_key: formKey }).delete();
    }
    await appendAudit(trx, { actor, action: 'retention.change', formKey, subject: formKey, details: { before, after: rule } });
    return rule;
  });
}

/** One form's due records, a batch at a time; returns the ids handled. */
async function applyRule(db: Knex, formKey: string, rule: RetentionRule, now: Date): Promise<string[]> {
  const column = rule.basis === 'updatedAt' ? 'updated_at' : 'created_at';
  const latest = await db('forms as f').join('form_versions as v', function () {
    this.on('v.form_key', 'f.key').andOn('v.version', 'f.latest_version');
  }).where('f.key', formKey).first('v.schema');
  const latestPersonal = personalFields(latest?.schema);
  const handled: string[] = [];
  let after: string | null = null;
  while (handled.length < MAX_RETAINED_PER_RUN) {
    const batch = await db.transaction(async (trx) => {
      const query = trx('records')
        .where({ form_key: formKey })
        .whereRaw(`${column} < ?::timestamptz - ?::interval`, [now, rule.after])
        .orderBy('id')
        .limit(BATCH)
        .forUpdate()
        .skipLocked()
        .select('id', 'form_version', 'data');
      if (after) query.where('id', '>', after);
      // Anonymised rows stay and would be found again: only rows still holding a personal value count.
      const rows: Array<{ id: string; form_version: number; data: Record<string, unknown> }> = await query;
      const done: string[] = [];
      for (const row of rows) {
        if (rule.action === 'erase') {
          await trx('records').where({ id: row.id }).delete();
          done.push(row.id);
          continue;
        }
        const personal = new Map([...(await personalFieldsOf(trx, formKey, row.form_version)), ...latestPersonal]);
        const data = decryptPersonal(row.data);
        const kept = Object.fromEntries(Object.entries(data).filter(([name]) => !personal.has(name)));
        if (Object.keys(kept).length === Object.keys(data).length) continue;
        await trx('records').where({ id: row.id }).update({ data: await storedRecordData(trx, formKey, row.form_version, kept), updated_at: trx.fn.now() });
        done.push(row.id);
      }
      return { rows: rows.length, done, last: rows.at(-1)?.id ?? null };
    });
    handled.push(...batch.done);
    if (batch.rows < BATCH || !batch.last) break;
    after = batch.last;
  }
  return handled;
}

/** Every form's rule, now. Returns what was done per form (also in the audit log). */
export async function runRetention(db: Knex, now: Date): Promise<Array<{ formKey: string; action: string; count: number }>> {
  const rules: Array<{ form_key: string; after: string; basis: RetentionRule['basis']; action: RetentionRule['action'] }> = await db('form_retention').orderBy('form_key');
  const results: Array<{ formKey: string; action: string; count: number }> = [];
  for (const rule of rules) {
    const ids = await applyRule(db, rule.form_key, rule, now);
    await db('form_retention').where({ form_key: rule.form_key }).update({ last_run_at: now });
    if (ids.length === 0) continue;
    await appendAudit(db, {
      actor: null,
      action: 'retention.run',
      formKey: rule.form_key,
      subject: `${rule.action} ${ids.length}`,
      details: { rule: { after: rule.after, basis: rule.basis, action: rule.action }, count: ids.length, ids: ids.slice(0, 200) },
    });
    results.push({ formKey: rule.form_key, action: rule.action, count: ids.length });
  }
  return results;
}

export const retentionJobHandler: JobHandler = async ({ deps, job, owner }) => {
  await runRetention(deps.db, deps.clock());
  const outcome = await runCommand(deps, async (_uow, scope) => {
    const row = await lockJob(scope.trx, job.id);
    if (!row) return 'gone' as const;
    if (row.lockedBy !== owner) return 'lease_lost' as const;
    await scope.trx('jobs').where({ id: job.id }).delete();
    // No rule left: no next run (saving a rule queues one again).
    if (await scope.trx('form_retention').first('form_key')) {
      const from = new Date(Math.max(deps.clock().getTime(), row.dueAt.getTime()));
      await insertJobs(scope.trx, [retentionJob(nextRun(from))]);
    }
    return 'ran' as const;
  });
  return outcome === 'ran' ? { ran: true } : { ran: false, reason: outcome };
};
