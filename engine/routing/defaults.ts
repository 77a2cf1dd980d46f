/**
 * Installs default routing shipped with a template app. Departments are named by code, so
 * the file works on any installation; a form that already has routing (an admin may have
 * changed it) is left alone, and a form whose departments do not exist yet is skipped and
 * retried on the next start (bootstrap runs at every start).
 */
import type { Knex } from 'knex';
import { hasRoutingConfig } from '../store/routing.ts';
import { saveRouting } from './rules.ts';

export interface RoutingDefaults {
  forms: Record<string, { defaultDepartment: string; rules: { name: string; condition: string; department: string; enabled?: boolean }[] }>;
}

/** Returns the form keys whose routing was installed now. */
export async function installRoutingDefaults(db: Knex, defaults: RoutingDefaults): Promise<string[]> {
  const installed: string[] = [];
  for (const [formKey, spec] of Object.entries(defaults.forms)) {
    if (!(await db('forms').where({ key: formKey }).first('key')) || (await hasRoutingConfig(db, formKey))) continue;
    const codes = [spec.defaultDepartment, ...spec.rules.map((rule) => rule.department)];
    const rows: { id: string; code: string }[] = await db('departments').whereIn('code', codes).select('id', 'code');
    const ids = new Map(rows.map((row) => [row.code, row.id]));
    if (codes.some((code) => !ids.has(code))) continue;
    // Through the same validation as the admin API: a broken template fails loudly.
    await saveRouting(
      db,
      formKey,
      {
        defaultDepartmentId: ids.get(spec.defaultDepartment),
        rules: spec.rules.map((rule) => ({ ...rule, departmentId: ids.get(rule.department) })),
      },
      null,
    );
    installed.push(formKey);
  }
  return installed;
}
