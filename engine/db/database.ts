/**
 * Resolves where the data lives: the given DATABASE_URL, or an embedded PostgreSQL under
 * the data folder. Either way the schema is migrated before anything else touches it.
 */
import path from 'node:path';
import { connect, type Db } from './connection.ts';
import { startEmbeddedPostgres, type EmbeddedDatabase } from './embeddedPostgres.ts';
import { migrateToLatest } from './migrate.ts';

export interface OpenDatabase {
  db: Db;
  url: string;
  embedded: boolean;
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  databaseUrl?: string;
  dataDir: string;
  log?: (message: string) => void;
  /** Messages about the embedded server an operator should see (a leftover server stopped). */
  notice?: (message: string) => void;
  poolMax?: number;
}

/** The database the embedded server keeps the product's data in. */
const EMBEDDED_DATABASE = 'liuzhuan';

export async function openDatabase(options: OpenDatabaseOptions): Promise<OpenDatabase> {
  let embedded: EmbeddedDatabase | undefined;
  let url = options.databaseUrl;
  if (!url) {
    embedded = await startEmbeddedPostgres(path.resolve(options.dataDir), options.log, options.notice);
    await ensureDatabase(embedded.adminUrl, EMBEDDED_DATABASE);
    url = embedded.urlFor(EMBEDDED_DATABASE);
  }
  const db = connect(url, { poolMax: options.poolMax });
  try {
    await migrateToLatest(db);
  } catch (error) {
    await db.destroy();
    await embedded?.stop();
    throw error;
  }
  return {
    db,
    url,
    embedded: Boolean(embedded),
    async close() {
      await db.destroy();
      await embedded?.stop();
    },
  };
}

/** Creates `name` on the server behind `adminUrl` unless it exists. */
export async function ensureDatabase(adminUrl: string, name: string): Promise<void> {
  const admin = connect(adminUrl, { poolMax: 1 });
  try {
    const found = await admin.raw('SELECT 1 FROM pg_database WHERE datname = ?', [name]);
    if (found.rows.length === 0) await admin.raw('CREATE DATABASE ??', [name]);
  } finally {
    await admin.destroy();
  }
}

/** Replaces the database name in a connection string. */
export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}
