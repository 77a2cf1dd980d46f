/**
 * Flow forms: every instance of a bound process has its record, however it started. A form
 * submission makes the record first (flowSubmit.ts, variable `recordId`); a call activity, an
 * automation's `startProcess` or a timer start has none, so one is made here, at the flush
 * of the command that started the instance: the form's latest version, data = the start
 * variables restricted to the schema's top-level properties, `instance_id` = the instance,
 * creator = who the instance was started by (null for the system). The instance gets
 * `recordId`, as after a submission. From then on the record follows the instance
 * (flowRecords.ts), and the process's record page, inbox summary and record list show it.
 *
 * Like the sync, no validation: a call passes what the caller knows (e.g. the summary), and
 * the bound form's required fields are filled by the tasks that follow (their field
 * permissions say which).
 */
import type { Knex } from 'knex';
import type { InstanceRun } from '../runtime/instanceRun.ts';
import { setVariable } from '../runtime/variables.ts';
import { compiledForm } from './compiled.ts';
import { storedRecordData } from '../store/records.ts';

export async function createStartRecords(trx: Knex, runs: Iterable<InstanceRun>): Promise<void> {
  for (const run of runs) {
    const formKey = run.process.formKey;
    if (!formKey || !run.isNew) continue;
    const variables = run.root.variables ?? {};
    // A submission's instance already has its record.
    if (typeof variables.recordId === 'string') continue;
    const form = await compiledForm(trx, formKey);
    const properties = (form.schema.properties ?? {}) as Record<string, unknown>;
    const data: Record<string, unknown> = {};
    for (const name of Object.keys(properties)) {
      if (variables[name] !== undefined && variables[name] !== null) data[name] = variables[name];
    }
    const startedBy = run.record.startedBy;
    const creator = startedBy ? ((await trx('users').where({ username: startedBy }).first('id'))?.id ?? null) : null;
    const [row] = await trx('records')
      .insert({
        form_key: formKey,
        form_version: form.version,
        data: await storedRecordData(trx, formKey, form.version, data),
        created_by: creator,
        updated_by: creator,
        instance_id: run.id,
      })
      .returning('id');
    setVariable(run.state, run.root, 'recordId', row.id as string);
  }
}
