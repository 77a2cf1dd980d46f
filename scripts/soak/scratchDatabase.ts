/**
 * The soak's own database, created and dropped by the run: on DATABASE_URL's server when one
 * is given (a new `lz_soak_<hex>` there; the named database is only used to connect), else on
 * an embedded PostgreSQL in a temporary folder. The user's data is never touched.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { connect } from '../../engine/db/connection.ts';
import { withDatabase } from '../../engine/db/database.ts';
import { startEmbeddedPostgres } from '../../engine/db/embeddedPostgres.ts';
import { migrateToLatest } from '../../engine/db/migrate.ts';

export interface ScratchDatabase {
  name: string;
  url: string;
  /** Where it lives, for the report: "embedded" or "DATABASE_URL server". */
  server: 'embedded' | 'DATABASE_URL server';
  drop(): Promise<void>;
}

export async function createScratchDatabase(adminUrl: string | undefined, log: (line: string) => void): Promise<ScratchDatabase> {
  const server = adminUrl ? 'DATABASE_URL server' : 'embedded';
  let stopEmbedded = async () => {};
  if (!adminUrl) {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'liuzhuan-soak-pg-'));
    log('starting an embedded PostgreSQL (set DATABASE_URL to use your own server)…');
    const embedded = await startEmbeddedPostgres(dataDir);
    adminUrl = embedded.adminUrl;
    stopEmbedded = async () => {
      await embedded.stop();
      rmSync(dataDir, { recursive: true, force: true });
    };
  }
  const name = `lz_soak_${randomBytes(4).toString('hex')}`;
  const admin = connect(adminUrl, { poolMax: 1 });
  const url = withDatabase(adminUrl, name);
  const drop = async () => {
    try {
      await admin.raw('DROP DATABASE IF EXISTS ?? WITH (FORCE)', [name]);
    } finally {
      await admin.destroy();
      await stopEmbedded();
    }
  };
  try {
    await admin.raw('CREATE DATABASE ??', [name]);
    const db = connect(url, { poolMax: 1 });
    try {
      await migrateToLatest(db);
    } finally {
      await db.destroy();
    }
  } catch (error) {
    await drop();
    throw error;
  }
  return { name, url, server, drop };
}
