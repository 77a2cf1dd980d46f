/**
 * Records of a form: validated against the form's latest version on every write; nothing is
 * stored when validation fails.
 *
 * A create or replace also queues the form's automations (an `automation:run` job) in the
 * same transaction as the write, so a stored change always has its run waiting
 * (engine/automations/queue.ts). Plain writes of a form without automations pay one probe.
 *
 * Permissions: the form's permission groups (engine/access/): a list holds the rows the reader
 * may view, filtering or sorting on a field they may not query is a 403, a read of a row they
 * may not view is a 404, an add/edit/delete needs that action on the row, and fields the writer
 * may not edit keep their stored values. A form without groups keeps the old default (anyone
 * lists, reads and adds; the creator or an admin changes). A flow-form record (with
 * `instance_id`) is its instance's data: it is read by those who may read the instance
 * (engine/identity/instanceAccess.ts) and changes only through the process (flowRecordGuard.ts).
 */
import type { Knex } from 'knex';
import { queueRecordAutomations } from '../automations/queue.ts';
import type { AuthUser } from '../identity/types.ts';
import { LiuzhuanError, NotFoundError, ValidationError } from '../errors.ts';
import { mayReadInstance } from '../identity/instanceAccess.ts';
import { assertMay, formAccess, queryableFields, resolveRows, rightsOn, rowCondition, type FormAccess } from '../access/index.ts';
import { checkNewRecord, mergeUpdate } from '../access/writes.ts';
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
import { assertValidData } from './validator.ts';

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

/**
 * `trusted`: the caller answers for the write (a public link's visitor, whose right is the link
 * an admin published); otherwise the user needs `add` (engine/access/writes.ts).
 */
export async function createRecord(
  db: Knex,
  formKey: string,
  data: unknown,
  user: AuthUser,
  locale: MessageLocale,
  options: { trusted?: boolean } = {},
): Promise<RecordView> {
  const form = await compiledForm(db, formKey);
  if (!options.trusted) await checkNewRecord(db, await formAccess(db, user, formKey), data);
  const computed = await applyFormulas(form.schema, data, formKey);
  await assertValidData(form.errorsOf, computed, locale);
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
export async function readRecord(db: Knex, formKey: string, id: string, reader?: AuthUser, access?: FormAccess): Promise<RecordView> {
  // A malformed id cannot name a record: answer 404 instead of letting Postgres reject the uuid.
  const record = UUID.test(id) ? await getRecord(db, formKey, id) : undefined;
  if (!record) throw new NotFoundError(`No record ${id} in form "${formKey}"`);
  if (!reader || reader.role === 'admin') return record;
  const rights = access ?? (await formAccess(db, reader, formKey));
  if (rights.implicit) {
    if (record.instanceId && !(await mayReadInstance(db, reader, record.instanceId))) throw new NotFoundError(`No record ${id} in form "${formKey}"`);
    return record;
  }
  await resolveRows(db, rights, [record]);
  if (!rightsOn(rights, record).actions.has('view')) throw new NotFoundError(`No record ${id} in form "${formKey}"`);
  return record;
}

/** Plain rule, before the flow-record guard: its creator or an admin. */
export function creatorOrAdmin(record: RecordView, user: AuthUser): boolean {
  return user.role === 'admin' || record.createdBy === user.id;
}

async function assertMayChange(db: Knex, access: FormAccess, record: RecordView, action: 'edit' | 'delete'): Promise<void> {
  if (access.implicit && !creatorOrAdmin(record, access.user)) {
    throw new LiuzhuanError('forbidden', 'Only the creator of a record or an admin may change it', 403);
  }
  await assertMay(db, access, action, record);
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
  const access = await formAccess(db, user, formKey);
  const existing = await readRecord(db, formKey, id, user, access);
  await assertMayChange(db, access, existing, 'edit');
  assertMayTouchFlowRecord(existing, user);
  const form = await compiledForm(db, formKey);
  const allowed = await mergeUpdate(db, access, existing, data);
  const computed = keepSerials(form.schema, existing.data, await applyFormulas(form.schema, allowed, formKey));
  await assertValidData(form.errorsOf, computed, locale);
  return inTransaction(db, async (trx) => {
    await guardFlowRecordChange(trx, existing, user, computed as Record<string, unknown>);
    const updated = await updateRecord(trx, formKey, id, { formVersion: form.version, data: computed, updatedBy: user.id });
    if (!updated) throw new NotFoundError(`No record ${id} in form "${formKey}"`);
    await queueRecordAutomations(trx, 'record.updated', updated, user.id);
    return updated;
  });
}

export async function removeRecord(db: Knex, formKey: string, id: string, user: AuthUser): Promise<void> {
  const access = await formAccess(db, user, formKey);
  const existing = await readRecord(db, formKey, id, user, access);
  await assertMayChange(db, access, existing, 'delete');
  assertMayTouchFlowRecord(existing, user);
  await inTransaction(db, async (trx) => {
    await guardFlowRecordChange(trx, existing, user, null);
    if (!(await deleteRecord(trx, formKey, id))) throw new NotFoundError(`No record ${id} in form "${formKey}"`);
  });
}

/**
 * The record query of `params`, refusing (403, naming the parameter) a filter or sort on a
 * field the user may not query: its values would leak through what matches.
 */
export async function parseQueryFor(db: Knex, formKey: string, params: Iterable<[string, string]>, access?: FormAccess) {
  const form = await compiledForm(db, formKey);
  // Option labels live in the uiSchema: a filter may name a choice by what the user reads.
  const uiSchema = (await getFormVersion(db, formKey, form.version))?.uiSchema ?? {};
  const pairs = [...params];
  // Before parsing: a hidden field is refused as hidden (403), whatever else is wrong with the filter.
  const queryable = access ? queryableFields(access) : '*';
  if (queryable !== '*') {
    for (const [parameter, value] of pairs) {
      const filter = /^filter\[([^\]]*)\]/.exec(parameter);
      const names = filter ? [filter[1]!] : parameter === 'sort' ? value.split(',').map((item) => item.replace(/^-/, '').replace(/^data\./, '')) : [];
      for (const name of names) {
        if (name === 'createdAt' || name === 'updatedAt' || name === '') continue;
        const field = name.split('.')[0]!;
        if (!queryable.has(field)) {
          const message = `you may not filter or sort on the field "${field}"`;
          throw new LiuzhuanError('field_not_queryable', `Invalid query parameter ${parameter}: ${message}`, 403, [{ pointer: parameter, message }]);
        }
      }
    }
  }
  return parseRecordQuery(pairs, { schema: form.schema, uiSchema });
}

/** A page of records; for a non-admin `reader`, only the rows they may view (engine/access/). */
export async function listRecords(
  db: Knex,
  formKey: string,
  params: Iterable<[string, string]>,
  reader?: AuthUser,
  access?: FormAccess,
): Promise<{ items: RecordView[]; total: number }> {
  const rights = access ?? (reader ? await formAccess(db, reader, formKey) : undefined);
  const query = await parseQueryFor(db, formKey, params, rights);
  const visible = rights && !rights.admin ? rowCondition(rights, 'view') : undefined;
  return queryRecords(db, formKey, query, visible);
}
