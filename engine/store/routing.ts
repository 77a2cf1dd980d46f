/** Queries on `routing_forms` and `routing_rules`: one form's ordered routing configuration. */
import type { Knex } from 'knex';

export interface RoutingRule {
  id: string;
  formKey: string;
  position: number;
  name: string;
  condition: string;
  departmentId: string;
  enabled: boolean;
}

export interface RoutingConfig {
  formKey: string;
  defaultDepartmentId: string;
  rules: RoutingRule[];
}

function toRule(row: any): RoutingRule {
  return {
    id: row.id,
    formKey: row.form_key,
    position: row.position,
    name: row.name,
    condition: row.condition,
    departmentId: row.department_id,
    enabled: row.enabled,
  };
}

/** The form's routing, or undefined when the form does not route its records. */
export async function getRoutingConfig(db: Knex, formKey: string): Promise<RoutingConfig | undefined> {
  const form = await db('routing_forms').where({ form_key: formKey }).first('default_department_id');
  if (!form) return undefined;
  const rules = await db('routing_rules').where({ form_key: formKey }).orderBy('position');
  return { formKey, defaultDepartmentId: form.default_department_id, rules: rules.map(toRule) };
}

/**
 * Replaces the form's configuration. Call inside a transaction: the upsert row-locks the
 * form's `routing_forms` row first, so two concurrent saves apply one after the other and
 * the rules never mix.
 */
export async function replaceRoutingConfig(trx: Knex, config: RoutingConfig, updatedBy: string | null): Promise<void> {
  await trx('routing_forms')
    .insert({ form_key: config.formKey, default_department_id: config.defaultDepartmentId, updated_by: updatedBy })
    .onConflict('form_key')
    .merge({ default_department_id: config.defaultDepartmentId, updated_by: updatedBy, updated_at: trx.fn.now() });
  await trx('routing_rules').where({ form_key: config.formKey }).delete();
  if (config.rules.length === 0) return;
  await trx('routing_rules').insert(
    config.rules.map((rule) => ({
      id: rule.id,
      form_key: config.formKey,
      position: rule.position,
      name: rule.name,
      condition: rule.condition,
      department_id: rule.departmentId,
      enabled: rule.enabled,
    })),
  );
}

/** True when the form has a routing configuration (template install leaves such forms alone). */
export async function hasRoutingConfig(db: Knex, formKey: string): Promise<boolean> {
  return (await db('routing_forms').where({ form_key: formKey }).first('form_key')) !== undefined;
}
