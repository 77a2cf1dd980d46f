/**
 * Autovacuum's work, done between the throughput benchmark's runs when the PostgreSQL server
 * has it turned off.
 *
 * A deployment runs with autovacuum on (PostgreSQL's default, and the embedded database's), but
 * some CI images turn it off — this machine's does (`conf.d/90-ci.conf`). Without it every dead
 * row version of the runs before stays in the engine's tables and indexes (each command updates
 * its task and instance rows and deletes offers), and ANALYZE never runs, so each Liuzhuan run
 * was slower than the one before: PostgreSQL CPU per instance 3.8 → 7.1 → 14.2 ms over three
 * rounds, while the floor's rows, written once and never read back, did not notice.
 *
 * So, with autovacuum off, the database is vacuumed and analyzed before every measured run, as
 * autovacuum would have kept it. That work is outside the runs' figures (with autovacuum on, its
 * workers connect to the bench database and their CPU is counted in the run they overlap); the
 * time it took is logged.
 */
import { autovacuumRuns } from '../engine/consistency/databaseSettings.ts';
import type { Db } from '../engine/db/connection.ts';

export interface VacuumStandIn {
  /** VACUUM (ANALYZE) of the whole database; returns the milliseconds it took. */
  beforeRun(): Promise<number>;
}

/** A stand-in when the server's autovacuum is off; undefined when autovacuum does the work. */
export async function vacuumStandIn(db: Db): Promise<VacuumStandIn | undefined> {
  // The check a node's start warns by (engine/consistency/databaseSettings.ts).
  if (await autovacuumRuns(db)) return undefined;
  return {
    async beforeRun() {
      const started = performance.now();
      await db.raw('VACUUM (ANALYZE)');
      return performance.now() - started;
    },
  };
}
