/**
 * Unmask (显示): a reader with the `unmask` right and view on the record gets the clear values
 * of personal fields they may see. The audit row commits in the same transaction before the
 * answer is given, so no clear value leaves without its trace.
 */
import type { Knex } from 'knex';
import { assertMay, formAccess, rightsOn } from '../access/index.ts';
import { appendAudit } from '../audit/log.ts';
import { NotFoundError, ValidationError } from '../errors.ts';
import type { AuthUser } from '../identity/types.ts';
import { getRecord } from '../store/records.ts';
import { personalFieldsOf } from './formFields.ts';
import { personalFields } from './personal.ts';

const MAX_FIELDS = 50;

function requestedFields(body: unknown): string[] | undefined {
  const fields = (body as { fields?: unknown } | null | undefined)?.fields;
  if (fields === undefined || fields === null) return undefined;
  if (!Array.isArray(fields) || fields.length > MAX_FIELDS || !fields.every((f) => typeof f === 'string' && f.length <= 100)) {
    throw new ValidationError(`fields must be a list of at most ${MAX_FIELDS} field names`, [{ pointer: '/fields', message: 'a list of field names' }]);
  }
  return [...new Set(fields as string[])];
}

export async function unmaskRecord(
  db: Knex,
  input: { user: AuthUser; formKey: string; id: string; body: unknown; ip?: string | null },
): Promise<{ data: Record<string, unknown> }> {
  const wanted = requestedFields(input.body);
  if (!/^[0-9a-f-]{36}$/i.test(input.id)) throw new NotFoundError(`No record ${input.id} in form "${input.formKey}"`);
  const record = await getRecord(db, input.formKey, input.id);
  if (!record) throw new NotFoundError(`No record ${input.id} in form "${input.formKey}"`);
  const access = await formAccess(db, input.user, input.formKey);
  await assertMay(db, access, 'view', record);
  await assertMay(db, access, 'unmask', record);
  // Personal in the record's own version or the latest one.
  const personal = new Map([...(await personalFieldsOf(db, record.formKey, record.formVersion)), ...personalFields(access.schema)]);
  const { visible } = rightsOn(access, record);
  const mayShow = (name: string) => personal.has(name) && (visible === '*' || visible.has(name));
  const fields = wanted ?? [...personal.keys()].filter(mayShow);
  const refused = fields.filter((name) => !mayShow(name));
  if (refused.length) {
    throw new ValidationError(
      `Not a personal field you may see: ${refused.join(', ')}`,
      refused.map((name) => ({ pointer: `/fields/${fields.indexOf(name)}`, message: `"${name}" is not a visible personal field of this form` })),
      'not_personal_field',
    );
  }
  const data = Object.fromEntries(fields.map((name) => [name, record.data[name] ?? null]));
  await appendAudit(db, {
    actor: input.user,
    action: 'record.unmask',
    formKey: input.formKey,
    recordId: input.id,
    subject: fields.join(', '),
    details: { fields },
    ip: input.ip ?? null,
  });
  return { data };
}
