/**
 * Once per test run (docs/testing.md explains why each step is here):
 * - a PostgreSQL server: the DATABASE_URL one, or an embedded one started in a temporary
 *   folder (the same code path `npm start` uses), so `npm test` needs nothing installed;
 * - a template database migrated from the current migrations, which every file's database
 *   is copied from (test/helpers/templateDatabase.ts);
 * - when the run has browser files: the designer built and one Chromium they all connect to.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { connect } from '../../engine/db/connection.ts';
import { startEmbeddedPostgres } from '../../engine/db/embeddedPostgres.ts';
import { ensureDesignerBuilt, launchSharedChromium } from './chromium.ts';
import { createAppTemplateDatabase, createTemplateDatabase } from './templateDatabase.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    postgresAdminUrl: string;
    /** The database every test file's database is copied from; empty: migrate each one. */
    testDatabaseTemplate: string;
    /** Its copy with the template app installed by a first start (test/helpers/installTemplateApp.ts); empty: none. */
    testAppDatabaseTemplate: string;
    /** True when the server is this run's own and is deleted at the end: no need to drop databases one by one. */
    testDatabasesDisposable: boolean;
    /** playwright's endpoint of the run's Chromium; empty: each browser file launches one. */
    browserWsEndpoint: string;
  }
}

/** Browser files live in test/e2e; a run of only API or unit tests starts no browser. */
function runHasBrowserFiles(project: TestProject): boolean {
  // The run's files as given to it (getPaths); getFilepaths() lists only files already collected,
  // none yet when globalSetup runs, so no shared Chromium was ever started and each browser
  // file launched its own.
  const files = project.vitest.state.getPaths();
  return files.some((file) => file.split(path.sep).join('/').includes('/test/e2e/'));
}

/**
 * The run's embedded server lives in a temporary folder deleted at the end, so it may skip
 * what only protects data across a crash: no test kills PostgreSQL and reads its data back.
 * Transactions, locks, SKIP LOCKED and LISTEN/NOTIFY behave exactly the same; each commit
 * stops waiting for the disk (fsync ≈ 1 ms or more per commit on this machine).
 */
async function skipCrashSafety(adminUrl: string): Promise<void> {
  const admin = connect(adminUrl, { poolMax: 1 });
  try {
    await admin.raw('ALTER SYSTEM SET fsync = off');
    await admin.raw('ALTER SYSTEM SET synchronous_commit = off');
    await admin.raw('ALTER SYSTEM SET full_page_writes = off');
    await admin.raw('SELECT pg_reload_conf()');
  } finally {
    await admin.destroy();
  }
}

export default async function setup(project: TestProject) {
  const teardown: (() => Promise<void>)[] = [];
  const tearDown = async () => {
    for (const step of teardown.reverse()) await step().catch((error) => console.error('test teardown:', error));
  };
  try {
    let adminUrl = process.env.DATABASE_URL;
    if (!adminUrl) {
      const dataDir = mkdtempSync(path.join(os.tmpdir(), 'liuzhuan-test-pg-'));
      teardown.push(async () => rmSync(dataDir, { recursive: true, force: true }));
      const server = await startEmbeddedPostgres(dataDir);
      teardown.push(() => server.stop());
      adminUrl = server.adminUrl;
      await skipCrashSafety(adminUrl);
    }
    const disposable = !process.env.DATABASE_URL;
    const template = await createTemplateDatabase(adminUrl);
    if (!disposable) teardown.push(() => template.drop());
    project.provide('postgresAdminUrl', adminUrl);
    project.provide('testDatabaseTemplate', template.name);
    project.provide('testDatabasesDisposable', disposable);
    // In a child process while the designer builds and Chromium starts.
    const appTemplate = createAppTemplateDatabase(adminUrl, template.name);
    appTemplate.catch(() => undefined); // awaited below; not an unhandled rejection meanwhile
    if (!disposable) teardown.push(async () => (await appTemplate.catch(() => undefined))?.drop());

    let browserWsEndpoint = '';
    if (runHasBrowserFiles(project)) {
      await ensureDesignerBuilt();
      const browser = await launchSharedChromium();
      teardown.push(() => browser.close());
      browserWsEndpoint = browser.wsEndpoint();
    }
    project.provide('browserWsEndpoint', browserWsEndpoint);
    project.provide('testAppDatabaseTemplate', (await appTemplate).name);
  } catch (error) {
    await tearDown();
    throw error;
  }
  return tearDown;
}
