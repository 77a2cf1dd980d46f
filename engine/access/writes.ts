/**
 * What a write may touch. A new record: the user needs `add` on it (its data decides the
 * per-record groups: owner, filter), and may fill only the fields the adding groups make
 * editable. An update: `edit` on the row; fields the user may not edit keep their stored value
 * (a form that never showed them cannot send them), and writing one with a new value is a 403
 * naming it. A personal field sent back as its masked text is unchanged too.
 */
import type { Knex } from 'knex';
import { LiuzhuanError, pointerToken, type ErrorDetail } from '../errors.ts';
import type { RecordView } from '../store/records.ts';
import { assertMay, resolveRows, rightsOn, rightsOnNew, type FormAccess } from './evaluate.ts';
import { isMaskedCopy } from './masking.ts';

type Data = Record<string, unknown>;

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function isBlank(value: unknown): boolean {
  return value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0);
}

function refused(access: FormAccess, fields: string[]): LiuzhuanError {
  const en = access.user.locale === 'en';
  const details: ErrorDetail[] = fields.map((field) => ({
    pointer: `/data/${pointerToken(field)}`,
    message: en ? `you may not write the field "${field}"` : `无权填写字段「${field}」`,
  }));
  const message = en ? `You may not write the field(s) ${fields.join(', ')}` : `无权填写字段：${fields.join('、')}`;
  return new LiuzhuanError('field_not_editable', message, 403, details);
}

/** 403 unless the user may add a record with this data and fill each field they filled. */
export async function checkNewRecord(db: Knex, access: FormAccess, data: unknown): Promise<void> {
  if (access.admin || access.implicit) return;
  const given = data && typeof data === 'object' && !Array.isArray(data) ? (data as Data) : {};
  const rights = await rightsOnNew(db, access, given);
  if (!rights.actions.has('add')) {
    const en = access.user.locale === 'en';
    throw new LiuzhuanError('access_denied', en ? `You may not add this record to form "${access.formKey}"` : `无权在表单「${access.formKey}」中添加这条数据`, 403);
  }
  if (rights.editable === '*') return;
  const editable = rights.editable;
  // A field left at its default (what the form fills in by itself) is not a write.
  const bad = Object.entries(given)
    .filter(([name, value]) => !editable.has(name) && !isBlank(value) && !same(value, access.fields.get(name)?.default))
    .map(([name]) => name);
  if (bad.length) throw refused(access, bad);
}

/**
 * The data to store for an update by this user: 404/403 unless they may edit the row, their
 * editable fields from `incoming`, every other field as stored.
 */
export async function mergeUpdate(db: Knex, access: FormAccess, existing: RecordView, incoming: unknown): Promise<unknown> {
  const sent = incoming && typeof incoming === 'object' && !Array.isArray(incoming) ? (incoming as Data) : undefined;
  if (!sent) return incoming; // validation answers 422 for it
  if (!access.admin) await assertMay(db, access, 'edit', existing);
  await resolveRows(db, access, [existing]);
  const { editable } = rightsOn(access, existing);
  const stored = existing.data ?? {};
  const merged: Data = {};
  const bad: string[] = [];
  for (const name of new Set([...Object.keys(stored), ...Object.keys(sent)])) {
    const mayWrite = editable === '*' || editable.has(name);
    const unchangedMask = name in sent && name in stored && isMaskedCopy(access.schema, name, sent[name], stored[name]);
    if (mayWrite && !unchangedMask) {
      if (name in sent) merged[name] = sent[name];
      continue;
    }
    if (name in stored) merged[name] = stored[name];
    if (!mayWrite && name in sent && !unchangedMask && !same(sent[name], stored[name])) bad.push(name);
  }
  if (bad.length) throw refused(access, bad);
  return merged;
}
