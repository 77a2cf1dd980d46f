/**
 * Every change to who someone is — a session ended, a user changed or deactivated, roles,
 * departments and their members — NOTIFYs `liuzhuan_identity` when it commits, whoever made
 * it (the API on any node, a script, a restore). Each node's session cache
 * (engine/identity/sessionCache.ts) listens and forgets what it held. Statement-level
 * triggers (one notification per statement; PostgreSQL folds equal ones per transaction),
 * except on sessions: a login deletes the user's expired sessions, usually none, so only a
 * deleted or changed row (an expiry moved) notifies there; a new session changes nothing
 * remembered.
 */
import type { Knex } from 'knex';

const TABLES = ['users', 'roles', 'user_roles', 'departments', 'department_members'];

export async function up(db: Knex): Promise<void> {
  await db.raw(`
    CREATE FUNCTION liuzhuan_identity_changed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      PERFORM pg_notify('liuzhuan_identity', '');
      RETURN NULL;
    END $$`);
  for (const table of TABLES) {
    await db.raw(`CREATE TRIGGER liuzhuan_identity_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON ${table}
                  FOR EACH STATEMENT EXECUTE FUNCTION liuzhuan_identity_changed()`);
  }
  await db.raw(`CREATE TRIGGER liuzhuan_identity_changed AFTER DELETE OR UPDATE ON sessions
                FOR EACH ROW EXECUTE FUNCTION liuzhuan_identity_changed()`);
  await db.raw(`CREATE TRIGGER liuzhuan_identity_truncated AFTER TRUNCATE ON sessions
                FOR EACH STATEMENT EXECUTE FUNCTION liuzhuan_identity_changed()`);
}

export async function down(db: Knex): Promise<void> {
  for (const table of TABLES) await db.raw(`DROP TRIGGER IF EXISTS liuzhuan_identity_changed ON ${table}`);
  await db.raw('DROP TRIGGER IF EXISTS liuzhuan_identity_changed ON sessions');
  await db.raw('DROP TRIGGER IF EXISTS liuzhuan_identity_truncated ON sessions');
  await db.raw('DROP FUNCTION IF EXISTS liuzhuan_identity_changed()');
}
