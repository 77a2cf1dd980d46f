/**
 * Who a public answer is recorded as: the built-in user `public-link` (外链访客), created on
 * the first answer. Records and instances need a real user (`created_by`, `startedBy`), and
 * naming the visitor keeps the audit honest: nobody logged in, the link's visitor did. The
 * row is inactive with no usable password, so no one can log in as it.
 */
import type { Db } from '../db/connection.ts';
import type { AuthUser } from '../identity/types.ts';

export const GUEST_USERNAME = 'public-link';
const GUEST_NAME = '外链访客';
/** Not a scrypt/bcrypt hash: no password ever verifies against it. */
const NO_PASSWORD = '!public-link';

export async function guestUser(trx: Db): Promise<AuthUser> {
  await trx('users')
    .insert({ username: GUEST_USERNAME, display_name: GUEST_NAME, password_hash: NO_PASSWORD, role: 'staff', active: false })
    .onConflict('username')
    .ignore();
  const row = await trx('users').where({ username: GUEST_USERNAME }).first('id', 'display_name', 'locale');
  return {
    id: row.id,
    username: GUEST_USERNAME,
    displayName: row.display_name,
    role: 'staff',
    locale: row.locale,
    departmentIds: [],
    roles: [],
    groups: [],
  };
}
