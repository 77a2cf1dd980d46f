/**
 * An isolated, migrated database per test file, copied from the run's template database
 * (test/helpers/templateDatabase.ts) on the run's server and dropped afterwards, so files can
 * run in parallel without seeing each other's rows.
 */
import { randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import { afterAll, beforeAll, inject } from 'vitest';
import { rescheduleAutomation } from '../../engine/automations/tick.ts';
import { connect, type Db } from '../../engine/db/connection.ts';
import { withDatabase } from '../../engine/db/database.ts';
import { migrateToLatest } from '../../engine/db/migrate.ts';
import { listAutomations } from '../../engine/store/automations.ts';
import { TIERING_JOB_TYPE } from '../../engine/tiering/job.ts';
import { cloneDatabase } from './templateDatabase.ts';

export interface TestDatabase {
  db: Db;
  url: string;
}

/**
 * `withTemplateApp`: a copy of the run's app template instead (the template app installed by
 * a first start, made once by globalSetup), its schedules set from now as a first start now
 * would have; false when the run has none, and the server then installs the app itself.
 */
export async function createTestDatabase(options: { withTemplateApp?: boolean } = {}): Promise<TestDatabase & { drop(): Promise<void> }> {
  const adminUrl = inject('postgresAdminUrl');
  const appTemplate = options.withTemplateApp ? inject('testAppDatabaseTemplate') : '';
  const template = appTemplate || inject('testDatabaseTemplate');
  const name = `lz_test_${randomBytes(6).toString('hex')}`;
  if (template) {
    await cloneDatabase(adminUrl, template, name);
  } else {
    // No template (a run whose globalSetup did not make one): an empty database, migrated below.
    const admin = connect(adminUrl, { poolMax: 1 });
    await admin.raw('CREATE DATABASE ??', [name]);
    await admin.destroy();
  }
  const url = withDatabase(adminUrl, name);
  const db = connect(url);
  if (!template) await migrateToLatest(db);
  if (appTemplate) await rescheduleLikeAFirstStart(db);
  return {
    db,
    url,
    async drop() {
      await db.destroy();
      // The run's own embedded server is deleted with its folder at the end: dropping each
      // database first (a checkpoint each, about 1 s) would only hold the file up.
      if (inject('testDatabasesDisposable')) return;
      const cleanup = connect(adminUrl, { poolMax: 1 });
      await cleanup.raw('DROP DATABASE IF EXISTS ?? WITH (FORCE)', [name]);
      await cleanup.destroy();
    },
  };
}

/** Registers beforeAll/afterAll hooks; the returned object is filled before tests run. */
export function useTestDatabase(): TestDatabase {
  const holder = {} as TestDatabase;
  let drop: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    const created = await createTestDatabase();
    holder.db = created.db;
    holder.url = created.url;
    drop = created.drop;
  });
  afterAll(async () => {
    await drop?.();
  });
  return holder;
}

/**
 * What a first start now would have scheduled, on a copy of the app template made earlier in
 * the run: the tiering job goes (the server's start schedules the next run after now) and each
 * scheduled automation gets its next tick after now. Without this a copy made after a due time
 * passed (the daily tiering at 02:00 Beijing, a midnight tick) would run it at once.
 */
async function rescheduleLikeAFirstStart(db: Knex, now: Date = new Date()): Promise<void> {
  await db('jobs').where('type', TIERING_JOB_TYPE).delete();
  for (const automation of await listAutomations(db)) await rescheduleAutomation(db, automation, now);
}
