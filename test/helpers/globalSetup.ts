/**
 * Once per test run: find a PostgreSQL server for the suites. With DATABASE_URL the given
 * server is used; without it an embedded one is started in a temporary folder (the same
 * code path `npm start` uses), so `npm test` needs nothing installed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres } from '../../engine/db/embeddedPostgres.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    postgresAdminUrl: string;
  }
}

export default async function setup(project: TestProject) {
  if (process.env.DATABASE_URL) {
    project.provide('postgresAdminUrl', process.env.DATABASE_URL);
    return;
  }
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'liuzhuan-test-pg-'));
  const server = await startEmbeddedPostgres(dataDir);
  project.provide('postgresAdminUrl', server.adminUrl);
  return async () => {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  };
}
