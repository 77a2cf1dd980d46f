/**
 * The suite's migrated template database. globalSetup builds it once per run from the
 * current migrations (so a migration added since the last run is in it) and every test
 * file's database is a copy of it (`CREATE DATABASE … TEMPLATE …`): about 0.2 s instead of
 * creating an empty database and running every migration again (1.5–2 s per file on the
 * 2-core CI machine).
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { connect } from '../../engine/db/connection.ts';
import { withDatabase } from '../../engine/db/database.ts';
import { migrateToLatest } from '../../engine/db/migrate.ts';

/** PostgreSQL's object_in_use: the template has a session connected to it. */
const OBJECT_IN_USE = '55006';

export interface TemplateDatabase {
  name: string;
  drop(): Promise<void>;
}

async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  const cleanup = connect(adminUrl, { poolMax: 1 });
  try {
    await cleanup.raw('DROP DATABASE IF EXISTS ?? WITH (FORCE)', [name]);
  } finally {
    await cleanup.destroy();
  }
}

/**
 * Creates and migrates `lz_template_<hex>` (a name of this run's own: several runs may share
 * one server through DATABASE_URL), then disconnects from it, since PostgreSQL copies a
 * template only while no session is connected to it.
 */
export async function createTemplateDatabase(adminUrl: string): Promise<TemplateDatabase> {
  const name = `lz_template_${randomBytes(6).toString('hex')}`;
  const admin = connect(adminUrl, { poolMax: 1 });
  try {
    await admin.raw('CREATE DATABASE ??', [name]);
  } finally {
    await admin.destroy();
  }
  const drop = () => dropDatabase(adminUrl, name);
  const db = connect(withDatabase(adminUrl, name), { poolMax: 1 });
  try {
    await migrateToLatest(db);
  } catch (error) {
    await db.destroy();
    await drop();
    throw error;
  }
  await db.destroy();
  return { name, drop };
}

/**
 * `CREATE DATABASE name TEMPLATE template`. Copies from one template may run at the same
 * time; PostgreSQL refuses one only while a session is connected to the template (nothing of
 * ours is, but an operator's psql could be), so that case is retried for a while.
 */
export async function cloneDatabase(adminUrl: string, template: string, name: string): Promise<void> {
  const admin = connect(adminUrl, { poolMax: 1 });
  try {
    for (let attempt = 1; ; attempt++) {
      try {
        await admin.raw('CREATE DATABASE ?? TEMPLATE ??', [name, template]);
        return;
      } catch (error) {
        if ((error as { code?: string }).code !== OBJECT_IN_USE || attempt >= 50) throw error;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  } finally {
    await admin.destroy();
  }
}

/**
 * A copy of `base` on which the template app was installed by one first start
 * (test/helpers/installTemplateApp.ts, in a child process): what a test server with
 * `LIUZHUAN_LOAD_TEMPLATES=true` would otherwise install at its own start, 1.5–4 s of CPU
 * each, for about thirty files a run.
 */
export async function createAppTemplateDatabase(adminUrl: string, base: string): Promise<TemplateDatabase> {
  const name = `${base}_app`;
  await cloneDatabase(adminUrl, base, name);
  const drop = () => dropDatabase(adminUrl, name);
  const script = fileURLToPath(new URL('./installTemplateApp.ts', import.meta.url));
  try {
    await promisify(execFile)(process.execPath, ['--import', 'tsx', script, withDatabase(adminUrl, name)], {
      env: { ...process.env, LOG_LEVEL: 'silent' },
      timeout: 180_000,
      maxBuffer: 16 * 1024 * 1024,
    });
  } catch (error) {
    await drop();
    const { message, stderr } = error as { message: string; stderr?: string };
    throw new Error(`installing the template app into ${name} failed: ${message}\n${stderr ?? ''}`);
  }
  return { name, drop };
}

