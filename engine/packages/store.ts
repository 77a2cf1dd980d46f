/** Rows of `app_packages` (migration 047): every installed version of every app, newest last. */
import type { Knex } from 'knex';
import type { AppPackage } from './format.ts';

export interface InstalledPackage {
  id: string;
  appKey: string;
  version: string;
  package: AppPackage;
  installedAt: string;
  installedBy: string | null;
}

const toInstalled = (row: any): InstalledPackage => ({
  id: String(row.id),
  appKey: row.app_key,
  version: row.version,
  package: row.package,
  installedAt: new Date(row.installed_at).toISOString(),
  installedBy: row.installed_by,
});

/** The package the app was last installed or upgraded from: the base of its next upgrade. */
export async function latestInstalledPackage(db: Knex, appKey: string): Promise<InstalledPackage | undefined> {
  const row = await db('app_packages').where({ app_key: appKey }).orderBy('id', 'desc').first();
  return row ? toInstalled(row) : undefined;
}

/** Every app installed from a package, by key, with its latest version. */
export async function installedAppKeys(db: Knex): Promise<{ appKey: string; version: string; installedAt: string }[]> {
  const rows = await db('app_packages as p')
    .whereRaw('p.id = (SELECT max(id) FROM app_packages WHERE app_key = p.app_key)')
    .orderBy('p.app_key')
    .select('p.app_key', 'p.version', 'p.installed_at');
  return rows.map((row: any) => ({ appKey: row.app_key, version: row.version, installedAt: new Date(row.installed_at).toISOString() }));
}

/** Installed versions of an app, newest first (without the package bodies). */
export async function packageHistory(db: Knex, appKey: string): Promise<Omit<InstalledPackage, 'package'>[]> {
  const rows = await db('app_packages').where({ app_key: appKey }).orderBy('id', 'desc').select('id', 'app_key', 'version', 'installed_at', 'installed_by');
  return rows.map((row: any) => ({ id: String(row.id), appKey: row.app_key, version: row.version, installedAt: new Date(row.installed_at).toISOString(), installedBy: row.installed_by }));
}

/** Records are not part of the base: a merge compares definitions, and records can be large. */
export async function recordInstalledPackage(db: Knex, pkg: AppPackage, installedBy: string | null): Promise<void> {
  const { records: _records, ...base } = pkg;
  await db('app_packages').insert({ app_key: pkg.app.key, version: pkg.app.version, package: JSON.stringify(base), installed_by: installedBy });
}
