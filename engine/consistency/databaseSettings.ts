/**
 * PostgreSQL settings an operator should hear about when a node starts, because the engine
 * runs badly without them and nothing else would say so.
 *
 * Autovacuum off: every command updates task and instance rows and deletes task offers, so
 * without vacuum the dead row versions stay in the tables and indexes, and without its ANALYZE
 * the planner's statistics never follow the tables. The engine slows down week by week (the
 * throughput benchmark, on a server with autovacuum off, lost half its speed in fifteen minutes
 * before migration 054). Some CI images and hand-tuned servers turn it off; the embedded
 * database keeps PostgreSQL's default (on).
 */
import type { Db } from '../db/connection.ts';

/** Whether autovacuum runs here: `autovacuum` on, and `track_counts`, without which the launcher never learns a table changed. */
export async function autovacuumRuns(db: Db): Promise<boolean> {
  const { rows } = await db.raw<{ rows: { autovacuum: string; track_counts: string }[] }>(
    "SELECT current_setting('autovacuum') AS autovacuum, current_setting('track_counts') AS track_counts",
  );
  return rows[0]?.autovacuum === 'on' && rows[0]?.track_counts === 'on';
}

export async function databaseSettingWarnings(db: Db): Promise<string[]> {
  const warnings: string[] = [];
  if (!(await autovacuumRuns(db))) {
    warnings.push(
      'autovacuum is off on this PostgreSQL server (autovacuum or track_counts): tables and indexes keep every dead row ' +
        'and the planner statistics go stale, so the engine slows down over time. Turn it on in postgresql.conf, or ' +
        'run VACUUM (ANALYZE) on this database regularly (docs/operations.md).',
    );
  }
  return warnings;
}
