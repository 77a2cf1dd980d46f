/**
 * The scale benchmarks of issue 16 (`--only inbox|records|fanout|timers`, all of them in a
 * plain `npm run bench`), each on a fresh migrated database of its own, dropped afterwards:
 * they make the same user names, and a million rows should not outlive their benchmark.
 * `--quick` makes small sizes that check the benchmarks work.
 */
import { randomBytes } from 'node:crypto';
import { connect } from '../engine/db/connection.ts';
import { withDatabase } from '../engine/db/database.ts';
import { migrateToLatest } from '../engine/db/migrate.ts';
import { runFanoutBench } from './fanout.ts';
import { runInboxBench } from './inbox.ts';
import { runRecordsBench } from './records.ts';
import type { Log } from './scale.ts';
import { runTimersBench } from './timers.ts';

export interface ScaleRunOptions {
  adminUrl: string;
  only: string | undefined;
  quick: boolean;
  log: Log;
  /** Where the fan-out benchmark writes a CPU profile of the server's process (`--profile`). */
  profileDir?: string;
}

async function onFreshDatabase(adminUrl: string, work: (url: string) => Promise<void>): Promise<void> {
  const name = `lz_scale_${randomBytes(4).toString('hex')}`;
  const admin = connect(adminUrl, { poolMax: 1 });
  await admin.raw('CREATE DATABASE ??', [name]);
  const url = withDatabase(adminUrl, name);
  try {
    const db = connect(url, { poolMax: 1 });
    await migrateToLatest(db);
    await db.destroy();
    await work(url);
  } finally {
    await admin.raw('DROP DATABASE IF EXISTS ?? WITH (FORCE)', [name]);
    await admin.destroy();
  }
}

export async function runScaleBenches({ adminUrl, only, quick, log, profileDir }: ScaleRunOptions): Promise<void> {
  const wanted = (name: string) => !only || only === name;
  if (wanted('inbox')) {
    await onFreshDatabase(adminUrl, (url) =>
      runInboxBench({ url, tasks: quick ? 100_000 : 1_000_000, users: quick ? 1_000 : 10_000, runs: quick ? 30 : 200, log }),
    );
  }
  if (wanted('records')) {
    await onFreshDatabase(adminUrl, (url) => runRecordsBench({ url, rows: quick ? 100_000 : 1_000_000, runs: quick ? 20 : 100, log }));
  }
  if (wanted('fanout')) {
    await onFreshDatabase(adminUrl, (url) => runFanoutBench({ url, clients: quick ? 100 : 1_000, completions: quick ? 50 : 500, log, profileDir }));
  }
  if (wanted('timers')) {
    await onFreshDatabase(adminUrl, (url) => runTimersBench({ url, timers: quick ? 1_000 : 10_000, log }));
  }
}
