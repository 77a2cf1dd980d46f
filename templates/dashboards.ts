/**
 * A template app's dashboards (`templates/<app>/dashboards/*.json`: bodies exactly as
 * `POST /api/dashboards` takes them, each with a `key`), installed at bootstrap inside its
 * transaction after the forms and processes they chart. The key is the identity: a dashboard
 * of that key already there — from an earlier start, or edited by an admin — is left alone,
 * so restarts install nothing twice and an admin's change is kept. Each is validated like the
 * API's (every widget query against its form), so a broken board fails the start loudly.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Knex } from 'knex';
import { createDashboard } from '../engine/analytics/dashboards.ts';
import { templatesDir } from './app.ts';

export function readTemplateDashboards(appKey: string): { key: string; body: Record<string, unknown> }[] {
  const dir = path.join(templatesDir, appKey, 'dashboards');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => {
      const body = JSON.parse(readFileSync(path.join(dir, name), 'utf8')) as Record<string, unknown>;
      if (typeof body.key !== 'string') throw new Error(`templates/${appKey}/dashboards/${name} has no "key"`);
      return { key: body.key, body };
    });
}

/** Keys of the dashboards installed now. */
export async function installTemplateDashboards(db: Knex, appKey: string, adminId: string | null): Promise<string[]> {
  const installed: string[] = [];
  for (const { key, body } of readTemplateDashboards(appKey)) {
    if (await db('dashboards').where({ key }).first('id')) continue;
    const admin = adminId ? { id: adminId, username: 'admin', displayName: '', role: 'admin' as const, locale: 'zh-CN', departmentIds: [], roles: ['admin'], groups: [] } : null;
    await createDashboard(db, admin, body, appKey);
    installed.push(key);
  }
  return installed;
}
