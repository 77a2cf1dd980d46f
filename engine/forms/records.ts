/**
 * Records of a form: validated against the form's latest version on every write; nothing is
 * stored when validation fails.
 *
 * A create or replace also queues the form's automations (an `automation:run` job) in the
 * same transaction as the write, so a stored change always has its run waiting
 * (engine/automations/queue.ts). Plain writes of a form without automations pay one probe.
 *
 * Permissions for now: any logged-in user may create, list and read plain records of any
 * form; changing or deleting one is for its creator or an admin. A flow-form record (with
 * `instance_id`) is its instance's data: it is read by those who may read the instance
 * (engine/identity/instanceAccess.ts) and changes only through the process
 * (flowRecordGuard.ts). Department-level permissions come later.
 */
import type { Knex } from 'knex';
import { queueRecordAutomations } from '../automations/queue.ts';
import type { AuthUser } from '../identity/types.ts';
import { ForbiddenError, NotFoundError, ValidationError } from '../errors.ts';
import { involvementCondition, mayReadInstance } from '../identity/instanceAccess.ts';
import {
  deleteRecord,
  getRecord,
  insertRecord,
  queryRecords,
  updateRecord,
  type RecordView,
} from '../store/records.ts';
import { getFormVersion } from '../store/forms.ts';
import { compiledForm } from './compiled.ts';
import { assertMayTouchFlowRecord, guardFlowRecordChange } from './flowRecordGuard.ts';
import { applyFormulas, assignSerials, keepSerials } from './computedFields.ts';
import type { MessageLocale } from './messages.ts';
import { parseRecordQuery } from './query.ts';
import { assertValid } from './validator.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The `data` member of a request body; 422 when the body has none. */
export function dataOf(body: unknown, locale: MessageLocale): unknown {
  if (!body || typeof body !== 'object' || !('data' in body)) {
    const message = locale === 'en' ? '"data" is required' : '必填项「data」未填写';
    throw new ValidationError(message, [{ pointer: '/data', message }]);
  }
  return (body as { data: unknown }).data;
}

/** The caller's transaction when there is one (the record commands in engine/commands/ run these in theirs), else a new one. */
function inTransaction<T>(db: Knex, work: (trx: Knex) => Promise<T>): Promise<T> {
  return db.isTransaction ? work(db) : db.transaction(work);
}

export async function createRecord(db: Knex, formKey: string, data: unknown, user: AuthUser, locale: MessageLocale): Promise<RecordView> {
  const form = await compiledForm(db, formKey);
  const computed = applyFormulas(form.schema, data);
  assertValid(form.validate, computed, locale);
  return inTransaction(db, async (trx) => {
    const numbered = await assignSerials(trx, formKey, form.schema, computed, new Date());
    const record = await insertRecord(trx, { formKey, formVersion: form.version, data: numbered, createdBy: user.id });
    await queueRecordAutomations(trx, 'record.created', record, user.id);
    return record;
  });
}

/**
 * One record. With a `reader`, a flow record whose instance the reader may not read answers
 * 404 like a missing one (without, the caller is trusted: printing, engine code).
 */
export async function readRecord(db: Knex, formKey: string, id: string, reader?: AuthUser): Promise<RecordView> {
  // A malformed id cannot name a record: answer 404 instead of letting Postgres reject the uuid.
  const record = UUID.test(id) ? await getRecord(db, formKey, id) : undefined;
  if (!record || (reader && record.instanceId && !(await mayReadInstance(db, reader, record.instanceId)))) {
    throw new NotFoundError(`No record ${id} in form "${formKey}"`);
  }
  return record;
}

/** Plain rule, before the flow-record guard: its creator or an admin. */
export function creatorOrAdmin(record: RecordView, user: AuthUser): boolean {
  return user.role === 'admin' || record.createdBy === user.id;
}

function assertMayChange(record: RecordView, user: AuthUser): void {
  if (!creatorOrAdmin(record, user)) {
    throw new ForbiddenError('Only the creator of a record or an admin may change it');
  }
}

/** Replaces the data (validated against the latest version, which the record moves to). */
export async function replaceRecord(
  db: Knex,
  formKey: string,
  id: string,
  data: unknown,
  user: AuthUser,
  locale: MessageLocale,
): Promise<RecordView> {
  const existing = await readRecord(db, formKey, id, user);
  assertMayChange(existing, user);
  assertMayTouchFlowRecord(existing, user);
  const form = await compiledForm(db, formKey);
  const computed = keepSerials(form.schema, existing.data, applyFormulas(form.schema, data));
  assertValid(form.validate, computed, locale);
  return inTransaction(db, async (trx) => {
    await guardFlowRecordChange(trx, existing, user, computed as Record<string, unknown>);
    const updated = await updateRecord(trx, formKey, id, { formVersion: form.version, data: computed, updatedBy: user.id });
    if (!updated) throw new NotFoundError(`No record ${id} in form "${formKey}"`);
    await queueRecordAutomations(trx, 'record.updated', updated, user.id);
    return updated;
  });
}

export async function removeRecord(db: Knex, formKey: string, id: string, user: AuthUser): Promise<void> {
  const existing = await readRecord(db, formKey, id, user);
  assertMayChange(existing, user);
  assertMayTouchFlowRecord(existing, user);
  await inTransaction(db, async (trx) => {
    await guardFlowRecordChange(trx, existing, user, null);
    if (!(await deleteRecord(trx, formKey, id))) throw new NotFoundError(`No record ${id} in form "${formKey}"`);
  });
}

/** A page of records; for a non-admin `reader`, flow records only of instances they may read. */
export async function listRecords(
  db: Knex,
  formKey: string,
  params: Iterable<[string, string]>,
  reader?: AuthUser,
): Promise<{ items: RecordView[]; total: number }> {
  const form = await compiledForm(db, formKey);
  // Option labels live in the uiSchema: a filter may name a choice by what the user reads.
  const uiSchema = (await getFormVersion(db, formKey, form.version))?.uiSchema ?? {};
  let visible;
  if (reader && reader.role !== 'admin') {
    const involved = involvementCondition('records.instance_id', reader);
    visible = { sql: `(records.instance_id IS NULL OR ${involved.sql})`, bindings: involved.bindings };
  }
  return queryRecords(db, formKey, parseRecordQuery(params, { schema: form.schema, uiSchema }), visible);
}
