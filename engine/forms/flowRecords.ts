/**
 * Flow forms: the record follows its instance. Whenever a command moves an instance started
 * from a record — a user task completes, but also a timer, a message or a service task that
 * sets variables (e.g. the time of the first response, the customer's answer) — the record's
 * data becomes the instance's variables restricted to the form schema's top-level properties
 * (other variables — `approved`, `<node>_decision`, `recordId` — stay process-only). Called
 * from the unit of work's flush, so the record and the instance commit together and neither
 * an approval nor a step the model takes on its own leaves the record behind. The record is
 * written only when a field actually changed; without a completed task it keeps its last
 * `updated_by`.
 *
 * Only the fields present as variables are written; a field the process never saw keeps its
 * record value. No validation here: the completion was checked against the task's form
 * (engine/forms/taskData.ts) before anything moved.
 */
import { isDeepStrictEqual } from 'node:util';
import type { Knex } from 'knex';
import type { InstanceRun } from '../runtime/instanceRun.ts';
import { getRecord, recordOfInstance, setRecordDataFromProcess, type RecordView } from '../store/records.ts';
import { compiledForm } from './compiled.ts';

export async function syncFlowRecords(trx: Knex, runs: Iterable<InstanceRun>): Promise<void> {
  for (const run of runs) {
    // Unbound processes cost nothing.
    if (!run.process.formKey) continue;
    const record = run.isNew ? await startingRecord(trx, run, run.process.formKey) : await recordOfInstance(trx, run.id);
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

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The record a submission is starting `run` with: its id is the business key, and it is
 * linked to the instance only after the flush (flowSubmit.ts). A model that sets form fields
 * before its first wait (e.g. the time a complaint was received) writes them here.
 */
async function startingRecord(trx: Knex, run: InstanceRun, formKey: string): Promise<RecordView | undefined> {
  const key = run.record.businessKey;
  if (!key || !UUID.test(key)) return undefined;
  const record = await getRecord(trx, formKey, key);
  return record && !record.instanceId ? record : undefined;
}
