/**
 * The data subject's rights (PIPL): find, export and erase everything that names a person —
 * records (personal fields decrypted and compared; other text searched), process instances
 * (variables, state, business key: a flow form's data travels there in the clear), task history
 * (`task_actions` comments and details) and notifications. Erase runs in one transaction, locks
 * what it changes, and answers with counts and ids per table; every call is audited.
 */
import type { Knex } from 'knex';
import { appendAudit } from '../audit/log.ts';
import { ValidationError } from '../errors.ts';
import type { AuthUser } from '../identity/types.ts';
import { decryptPersonal } from './crypto.ts';
import { formsWithPersonalFields } from './formFields.ts';
import { describeNeedles, jsonNames, likePatterns, parseIdentifiers, personalValueNames, scrubJson, scrubText, textNames, type Needle } from './identifiers.ts';
import type { PersonalKind } from './personal.ts';
import { storedRecordData } from '../store/records.ts';

const BATCH = 500;
/** More matches than this means the identifiers are too vague (a common name): narrow them. */
export const MAX_SUBJECT_MATCHES = 5_000;
/** Ids listed per table in the audit row (the counts are always exact). */
const AUDIT_IDS = 200;

export interface RecordHit {
  formKey: string;
  id: string;
  instanceId: string | null;
  createdAt: string;
  /** The fields whose value names the person. */
  fields: string[];
  data: Record<string, unknown>;
}

export interface SubjectFindings {
  records: RecordHit[];
  instances: Array<{ id: string; definitionKey: string; businessKey: string | null; variables: Record<string, unknown> }>;
  taskActions: Array<{ seq: number; instanceId: string; taskId: string; action: string; actor: string | null; comment: string | null; details: unknown; createdAt: string }>;
  notifications: Array<{ id: string; username: string; title: string; body: string; createdAt: string }>;
}

function tooMany(): ValidationError {
  return new ValidationError(`More than ${MAX_SUBJECT_MATCHES} entries match: give a more specific identifier (a phone number or ID number)`, [{ pointer: '/identifiers', message: 'too many matches' }], 'too_many_matches');
}

function matchedFields(data: Record<string, unknown>, personal: Map<string, PersonalKind> | undefined, needles: Needle[]): string[] {
  const fields: string[] = [];
  for (const [name, value] of Object.entries(data)) {
    const kind = personal?.get(name);
    if (kind ? personalValueNames(kind, value, needles) : jsonNames(value, needles)) fields.push(name);
  }
  return fields;
}

/** Records naming the person: every record of a form with personal fields is decrypted and read; others are found by text first. */
async function findRecords(db: Knex, needles: Needle[], lock: boolean): Promise<RecordHit[]> {
  const personalForms = await formsWithPersonalFields(db);
  const patterns = likePatterns(needles);
  const hits: RecordHit[] = [];
  let after: string | null = null;
  for (;;) {
    const query = db('records')
      .where((w) => w.whereIn('form_key', [...personalForms.keys()]).orWhereRaw('data::text ILIKE ANY (?::text[])', [patterns]))
      .orderBy('id')
      .limit(BATCH)
      .select('id', 'form_key', 'data', 'instance_id', 'created_at');
    if (after) query.where('id', '>', after);
    if (lock) query.forUpdate();
    const rows: Array<{ id: string; form_key: string; data: Record<string, unknown>; instance_id: string | null; created_at: Date }> = await query;
    for (const row of rows) {
      const data = decryptPersonal(row.data);
      const fields = matchedFields(data, personalForms.get(row.form_key), needles);
      if (fields.length === 0) continue;
      hits.push({ formKey: row.form_key, id: row.id, instanceId: row.instance_id, createdAt: row.created_at.toISOString(), fields, data });
      if (hits.length > MAX_SUBJECT_MATCHES) throw tooMany();
    }
    if (rows.length < BATCH) return hits;
    after = rows[rows.length - 1]!.id;
  }
}

async function findInstances(db: Knex, needles: Needle[], recordInstances: string[], lock: boolean) {
  const patterns = likePatterns(needles);
  const query = db('process_instances')
    .where((w) =>
      w
        .whereRaw('variables::text ILIKE ANY (?::text[])', [patterns])
        .orWhereRaw('state::text ILIKE ANY (?::text[])', [patterns])
        .orWhereRaw('business_key ILIKE ANY (?::text[])', [patterns])
        .orWhereIn('id', recordInstances),
    )
    .orderBy('id')
    .limit(MAX_SUBJECT_MATCHES + 1)
    .select('id', 'definition_key', 'business_key', 'variables', 'state');
  if (lock) query.forUpdate();
  const rows: Array<{ id: string; definition_key: string; business_key: string | null; variables: Record<string, unknown>; state: unknown }> = await query;
  if (rows.length > MAX_SUBJECT_MATCHES) throw tooMany();
  return rows.filter((row) => jsonNames(row.variables, needles) || jsonNames(row.state, needles) || (row.business_key !== null && textNames(row.business_key, needles)));
}

async function findTaskActions(db: Knex, needles: Needle[], lock: boolean) {
  const patterns = likePatterns(needles);
  const query = db('task_actions')
    .where((w) => w.whereRaw('comment ILIKE ANY (?::text[])', [patterns]).orWhereRaw('details::text ILIKE ANY (?::text[])', [patterns]))
    .orderBy('seq')
    .limit(MAX_SUBJECT_MATCHES + 1)
    .select('*');
  if (lock) query.forUpdate();
  const rows: any[] = await query;
  if (rows.length > MAX_SUBJECT_MATCHES) throw tooMany();
  return rows.filter((row) => (row.comment && textNames(row.comment, needles)) || jsonNames(row.details, needles));
}

async function findNotifications(db: Knex, needles: Needle[], lock: boolean) {
  const patterns = likePatterns(needles);
  const query = db('notifications')
    .where((w) => w.whereRaw('title ILIKE ANY (?::text[])', [patterns]).orWhereRaw('body ILIKE ANY (?::text[])', [patterns]))
    .orderBy('id')
    .limit(MAX_SUBJECT_MATCHES + 1)
    .select('*');
  if (lock) query.forUpdate();
  const rows: any[] = await query;
  if (rows.length > MAX_SUBJECT_MATCHES) throw tooMany();
  return rows.filter((row) => textNames(row.title, needles) || textNames(row.body, needles));
}

async function findAll(db: Knex, needles: Needle[], lock = false): Promise<SubjectFindings & { raw: { instances: any[]; taskActions: any[]; notifications: any[] } }> {
  const records = await findRecords(db, needles, lock);
  const instances = await findInstances(db, needles, [...new Set(records.map((r) => r.instanceId).filter((id): id is string => !!id))], lock);
  const taskActions = await findTaskActions(db, needles, lock);
  const notifications = await findNotifications(db, needles, lock);
  return {
    records,
    instances: instances.map((row) => ({ id: row.id, definitionKey: row.definition_key, businessKey: row.business_key, variables: row.variables })),
    taskActions: taskActions.map((row) => ({
      seq: Number(row.seq), instanceId: row.instance_id, taskId: row.task_id, action: row.action, actor: row.actor,
      comment: row.comment, details: row.details, createdAt: (row.created_at as Date).toISOString(),
    })),
    notifications: notifications.map((row) => ({ id: row.id, username: row.username, title: row.title, body: row.body, createdAt: (row.created_at as Date).toISOString() })),
    raw: { instances, taskActions, notifications },
  };
}

export interface SubjectSummary {
  subject: string;
  counts: { records: number; instances: number; taskActions: number; notifications: number };
  records: Array<Omit<RecordHit, 'data'>>;
  instances: Array<{ id: string; definitionKey: string }>;
  taskActions: Array<{ seq: number; instanceId: string; action: string }>;
  notifications: Array<{ id: string; username: string }>;
}

function summary(needles: Needle[], found: SubjectFindings): SubjectSummary {
  return {
    subject: describeNeedles(needles),
    counts: { records: found.records.length, instances: found.instances.length, taskActions: found.taskActions.length, notifications: found.notifications.length },
    records: found.records.map(({ data: _data, ...rest }) => rest),
    instances: found.instances.map((i) => ({ id: i.id, definitionKey: i.definitionKey })),
    taskActions: found.taskActions.map((t) => ({ seq: t.seq, instanceId: t.instanceId, action: t.action })),
    notifications: found.notifications.map((n) => ({ id: n.id, username: n.username })),
  };
}

function auditDetails(s: SubjectSummary, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    ...extra,
    counts: s.counts,
    records: s.records.slice(0, AUDIT_IDS).map((r) => `${r.formKey}/${r.id}`),
    instances: s.instances.slice(0, AUDIT_IDS).map((i) => i.id),
    taskActions: s.taskActions.slice(0, AUDIT_IDS).map((t) => t.seq),
    notifications: s.notifications.slice(0, AUDIT_IDS).map((n) => n.id),
  };
}

/** What names the person, as ids and counts (no content). */
export async function searchSubject(db: Knex, actor: AuthUser, body: unknown, ip?: string | null): Promise<SubjectSummary> {
  const needles = parseIdentifiers(body);
  const result = summary(needles, await findAll(db, needles));
  await appendAudit(db, { actor, action: 'privacy.search', subject: result.subject, details: { counts: result.counts }, ip });
  return result;
}

/** The PIPL access report: everything that names the person, in full (clear values: the admin hands it to the person). */
export async function exportSubject(db: Knex, actor: AuthUser, body: unknown, ip?: string | null) {
  const needles = parseIdentifiers(body);
  const found = await findAll(db, needles);
  const result = summary(needles, found);
  await appendAudit(db, { actor, action: 'privacy.export', subject: result.subject, details: auditDetails(result), ip });
  return {
    generatedAt: new Date().toISOString(),
    subject: result.subject,
    counts: result.counts,
    records: found.records,
    instances: found.instances,
    taskActions: found.taskActions,
    notifications: found.notifications,
  };
}

export type EraseMode = 'anonymise' | 'delete';

/**
 * Erases the person: in records their personal field values are removed and other text naming
 * them becomes *** (or, mode `delete`, the records are deleted); instance variables, state and
 * business keys, task comments and details, notification titles and bodies are scrubbed.
 */
export async function eraseSubject(db: Knex, actor: AuthUser, body: unknown, ip?: string | null) {
  const input = body as { confirm?: unknown; records?: unknown } | null;
  const needles = parseIdentifiers(body);
  if (input?.confirm !== true) throw new ValidationError('Erasing cannot be undone: send confirm: true', [{ pointer: '/confirm', message: 'must be true' }], 'confirm_required');
  const mode = (input.records ?? 'anonymise') as EraseMode;
  if (mode !== 'anonymise' && mode !== 'delete') throw new ValidationError('records must be "anonymise" or "delete"', [{ pointer: '/records', message: 'anonymise or delete' }]);
  return db.transaction(async (trx) => {
    const found = await findAll(trx, needles, true);
    const personalForms = await formsWithPersonalFields(trx);
    for (const record of found.records) {
      if (mode === 'delete') {
        await trx('records').where({ id: record.id }).delete();
        continue;
      }
      const personal = personalForms.get(record.formKey);
      const data: Record<string, unknown> = {};
      for (const [name, value] of Object.entries(record.data)) {
        const kind = personal?.get(name);
        if (kind && personalValueNames(kind, value, needles)) continue; // their personal value: gone
        data[name] = scrubJson(value, needles).value;
      }
      const row = await trx('records').where({ id: record.id }).first('form_version');
      await trx('records')
        .where({ id: record.id })
        .update({ data: await storedRecordData(trx, record.formKey, row.form_version, data), updated_at: trx.fn.now() });
    }
    for (const instance of found.raw.instances) {
      await trx('process_instances')
        .where({ id: instance.id })
        .update({
          variables: JSON.stringify(scrubJson(instance.variables, needles).value),
          state: JSON.stringify(scrubJson(instance.state, needles).value),
          business_key: instance.business_key === null ? null : scrubText(instance.business_key, needles),
          rev: trx.raw('rev + 1'),
        });
    }
    for (const action of found.raw.taskActions) {
      await trx('task_actions')
        .where({ seq: action.seq })
        .update({ comment: action.comment === null ? null : scrubText(action.comment, needles), details: JSON.stringify(scrubJson(action.details, needles).value) });
    }
    for (const note of found.raw.notifications) {
      await trx('notifications').where({ id: note.id }).update({ title: scrubText(note.title, needles), body: scrubText(note.body, needles) });
    }
    const result = summary(needles, found);
    await appendAudit(trx, { actor, action: 'privacy.erase', subject: result.subject, details: auditDetails(result, { mode }), ip });
    return { erasedAt: new Date().toISOString(), mode, ...result };
  });
}
