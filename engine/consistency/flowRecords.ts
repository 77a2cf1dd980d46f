/**
 * Flow forms (engine/forms/flowStartRecords.ts, flowSubmit.ts): a record with `instance_id`
 * is its instance's data. Its instance exists, was started from a process bound to the
 * record's form, and names it back in the `recordId` variable; one record per instance, and
 * an instance's `recordId` points at a record linked to it.
 */
import type { Db } from '../db/connection.ts';
import type { Violation } from './violations.ts';

export async function flowRecordMismatches(db: Db): Promise<Violation[]> {
  const violations: Violation[] = [];
  const linked = await db.raw(
    `SELECT r.id, r.form_key, r.instance_id, i.id AS found, i.variables->>'recordId' AS record_variable,
            d.compiled->>'formKey' AS bound_form,
            count(*) OVER (PARTITION BY r.instance_id) AS records_of_instance
     FROM records r
     LEFT JOIN process_instances i ON i.id = r.instance_id
     LEFT JOIN process_definitions d ON d.id = i.definition_id
     WHERE r.instance_id IS NOT NULL
     ORDER BY r.instance_id, r.id`,
  );
  for (const row of linked.rows as { id: string; form_key: string; instance_id: string; found: string | null; record_variable: string | null; bound_form: string | null; records_of_instance: number }[]) {
    const add = (detail: string) => violations.push({ invariant: 'flow-record-mismatch', instanceId: row.instance_id, detail: `record ${row.id} (${row.form_key}): ${detail}` });
    if (!row.found) add('its instance does not exist');
    else if (row.bound_form !== row.form_key) add(`the instance's process is bound to ${row.bound_form ? `form "${row.bound_form}"` : 'no form'}`);
    else if (row.record_variable !== row.id) add(`the instance's recordId is ${row.record_variable ?? 'not set'}`);
    if (row.records_of_instance > 1) add(`${row.records_of_instance} records are linked to the same instance`);
  }
  const unlinked = await db.raw(
    `SELECT i.id, i.variables->>'recordId' AS record_id, d.compiled->>'formKey' AS bound_form
     FROM process_instances i JOIN process_definitions d ON d.id = i.definition_id
     WHERE d.compiled->>'formKey' IS NOT NULL AND jsonb_exists(i.variables, 'recordId')
       AND NOT EXISTS (SELECT 1 FROM records r WHERE r.instance_id = i.id AND r.id::text = i.variables->>'recordId')
     ORDER BY i.id`,
  );
  for (const row of unlinked.rows as { id: string; record_id: string; bound_form: string }[]) {
    violations.push({
      invariant: 'flow-record-mismatch',
      instanceId: row.id,
      detail: `its recordId ${row.record_id} names no record of form "${row.bound_form}" linked to it`,
    });
  }
  return violations;
}
