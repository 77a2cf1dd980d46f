/**
 * Whether the schema is the one this build expects: knex's record of applied migrations
 * (`knex_migrations`) against the list compiled into engine/db/migrate.ts. A node started
 * on a database migrated by a newer build (unknown rows) or one whose migration did not
 * finish (pending names) must not take traffic: `/api/ready` answers 503 `migrations`.
 */
import type { Db } from '../db/connection.ts';
import { knownMigrations } from '../db/migrate.ts';

export interface MigrationDrift {
  /** Known to this build, not applied. */
  pending: string[];
  /** Applied, unknown to this build (a newer build migrated, or a row was added by hand). */
  unknown: string[];
}

export async function migrationDrift(db: Db): Promise<MigrationDrift> {
  const rows = (await db.raw('SELECT name FROM knex_migrations')).rows as { name: string }[];
  const applied = new Set(rows.map((row) => row.name));
  const known = knownMigrations();
  const knownSet = new Set(known);
  return {
    pending: known.filter((name) => !applied.has(name)),
    unknown: [...applied].filter((name) => !knownSet.has(name)).sort(),
  };
}
