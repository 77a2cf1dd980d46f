/**
 * Flow forms: the record follows its instance. When a user task of an instance started from
 * a record completes, the record's data becomes the instance's variables restricted to the
 * form schema's top-level properties (other variables — `approved`, `<node>_decision`,
 * `recordId` — stay process-only). Called from the unit of work's flush, so the record and the
 * instance commit together and an approval never leaves the record behind.
 *
 * Only the fields present as variables are written; a field the process never saw keeps its
 * record value. No validation here: the completion was checked against the task's form
 * (engine/forms/taskData.ts) before anything moved.
 */
import { isDeepStrictEqual } from 'node:util';
import type { Knex } from 'knex';
import type { InstanceRun } from '../runtime/instanceRun.ts';
import { recordOfInstance, setRecordDataFromProcess } from '../store/records.ts';
import { compiledForm } from './compiled.ts';

export async function syncFlowRecords(trx: Knex, runs: Iterable<InstanceRun>): Promise<void> {
  for (const run of runs) {
    // Unbound processes cost nothing; a fresh instance holds exactly the submitted data.
    if (!run.process.formKey || run.isNew || run.completedTaskIds.size === 0) continue;
    const record = await recordOfInstance(trx, run.id);
    if (!record) continue;
    const form = await compiledForm(trx, record.formKey, record.formVersion);
    const properties = (form.schema.properties ?? {}) as Record<string, unknown>;
    const variables = run.root.variables ?? {};
    const data: Record<string, unknown> = { ...record.data };
    for (const name of Object.keys(properties)) if (name in variables) data[name] = variables[name];
    if (isDeepStrictEqual(data, record.data)) continue;
    const actor = [...run.completedTaskIds.values()].at(-1) ?? null;
    await setRecordDataFromProcess(trx, record.id, data, actor);
  }
}
