/**
 * A process writes a record (保存记录): a service or send task with
 *
 *   <liuzhuan:saveRecord form="visit_record" variable="visitRecordId">
 *     <liuzhuan:entry key="customer" value="customer"/> …
 *   </liuzhuan:saveRecord>
 *
 * creates a record of `form` from the entries (field = FEEL value) and puts its id in
 * `variable`; with `recordId="=sourceRecordId"` it updates that record (any form; a null id
 * does nothing), with `match="={name: customer}"` every record of `form` containing that data
 * (at most 100). FEEL sees the process variables plus `instanceId` and `businessKey`; an entry
 * whose value is null is left out, as in automations.
 *
 * The write happens in the command, as the token passes: the record (validated with the form's
 * latest schema; an updated record moves to it) commits with the instance or not at all, and
 * its record automations are queued as for any other write. Invalid data is a 422 naming the
 * task (an incident when a job moved the token), never a half-written record. An update leaves
 * out the fields the record's form does not have, so a caller's back-link to a form without
 * that field (e.g. a complaint form of an older template) links nothing rather than failing.
 */
import { classifyExpression, evaluateExpression } from '../expressions/index.ts';
import { withSequenceBudget, type Sequence } from '../expressions/sequenceBudget.ts';
import { queueRecordAutomations } from '../automations/queue.ts';
import type { FlowNode } from '../bpmn/model.ts';
import type { CompileListener } from '../extensions/compileListeners.ts';
import { ValidationError } from '../errors.ts';
import type { Step } from '../runtime/services.ts';
import type { Execution } from '../runtime/state.ts';
import { setVariable } from '../runtime/variables.ts';
import { insertRecord, updateRecord, type RecordView } from '../store/records.ts';
import { compiledForm } from './compiled.ts';
import { decryptPersonal } from '../privacy/crypto.ts';
import { assertValidData } from './validator.ts';

const MAX_UPDATED = 100;

export interface SaveRecordSettings {
  form?: string;
  recordId?: string;
  match?: string;
  variable?: string;
  entries: Array<{ key: string; value: string }>;
}

function settingsOf(node: FlowNode): SaveRecordSettings | SaveRecordSettings[] | undefined {
  const raw = node.extensions?.saveRecord;
  if (raw === undefined) return undefined;
  const read = (value: any): SaveRecordSettings => {
    const text = (name: string) => (typeof value?.[name] === 'string' && value[name] !== '' ? (value[name] as string) : undefined);
    const entries = (Array.isArray(value?.entries) ? value.entries : []).map((entry: any) => ({
      key: String(entry?.key ?? ''),
      value: String(entry?.value ?? ''),
    }));
    return { form: text('form'), recordId: text('recordId'), match: text('match'), variable: text('variable'), entries };
  };
  return Array.isArray(raw) ? raw.map(read) : read(raw);
}

/** Deploy checks: where it may stand, what it needs, every FEEL expression parses. */
export const saveRecordCompileChecks: CompileListener = {
  name: 'forms.saveRecord',
  checkNode(ctx, _process, node) {
    const found = settingsOf(node);
    if (!found) return;
    const what = ctx.describeId(node.id);
    if (node.type !== 'serviceTask' && node.type !== 'sendTask') {
      ctx.problem(node.id, `${what}: liuzhuan:saveRecord belongs on a serviceTask or sendTask`);
      return;
    }
    for (const settings of Array.isArray(found) ? found : [found]) {
      if (settings.recordId && settings.match) ctx.problem(node.id, `${what}: liuzhuan:saveRecord takes recordId or match, not both`);
      if (!settings.recordId && !settings.form) ctx.problem(node.id, `${what}: liuzhuan:saveRecord needs the form it creates or matches records of`);
      if (settings.entries.length === 0) ctx.problem(node.id, `${what}: liuzhuan:saveRecord sets no field (add liuzhuan:entry key="field" value="FEEL")`);
      for (const entry of settings.entries) {
        if (!entry.key) ctx.problem(node.id, `${what}: a liuzhuan:entry of liuzhuan:saveRecord has no key (the field)`);
        ctx.expression(node.id, `liuzhuan:saveRecord field '${entry.key}'`, entry.value, 'feel');
      }
      if (settings.recordId) ctx.expression(node.id, 'liuzhuan:saveRecord recordId', settings.recordId, 'feel');
      if (settings.match) ctx.expression(node.id, 'liuzhuan:saveRecord match', settings.match, 'feel');
    }
  },
};

function evaluate(sequence: Sequence, node: FlowNode, expression: string, variables: Record<string, unknown>): Promise<unknown> {
  return sequence.evaluate(node.id, () => evaluateExpression(classifyExpression(expression, 'feel'), variables));
}

function invalid(node: FlowNode, message: string): ValidationError {
  return new ValidationError(`${node.type} '${node.id}': liuzhuan:saveRecord ${message}`, [{ pointer: node.id, message }], 'save_record_failed');
}

/**
 * The service task handler (extensions/serviceTaskHandlers.ts). It runs in the command's run,
 * so the command's deadline bounds its entries together; between entries it lets waiting
 * requests run (expressions/sequenceBudget.ts), as the command does between steps.
 */
export async function saveRecordHandler(step: Step, execution: Execution, node: FlowNode): Promise<void> {
  const found = settingsOf(node);
  if (!found) return;
  await withSequenceBudget(`The liuzhuan:saveRecord entries of ${node.type} '${node.id}'`, (sequence) => saveRecords(sequence, step, execution, node, found));
}

async function saveRecords(sequence: Sequence, step: Step, execution: Execution, node: FlowNode, found: SaveRecordSettings | SaveRecordSettings[]): Promise<void> {
  const { run } = step;
  const trx = step.services.trx;
  // Writes are the instance starter's (null for the system: a schedule, a timer).
  const startedBy = run.record.startedBy;
  const actor: string | null = startedBy ? ((await trx('users').where({ username: startedBy }).first('id'))?.id ?? null) : null;
  for (const settings of Array.isArray(found) ? found : [found]) {
    const variables = { ...run.variablesOf(execution), instanceId: run.id, businessKey: run.record.businessKey };
    const values: Record<string, unknown> = {};
    for (const entry of settings.entries) {
      const value = await evaluate(sequence, node, entry.value, variables);
      if (value !== null && value !== undefined) values[entry.key] = value;
    }
    const written: Array<{ record: RecordView; created: boolean }> = [];
    if (settings.recordId || settings.match) {
      let rows: any[];
      if (settings.recordId) {
        const id = await evaluate(sequence, node, settings.recordId, variables);
        if (id === null || id === undefined || id === '') continue;
        rows = await trx('records').where({ id: String(id) }).limit(1);
        if (rows.length === 0) throw invalid(node, `found no record ${String(id)} to update`);
      } else {
        const match = await evaluate(sequence, node, settings.match!, variables);
        if (!match || typeof match !== 'object' || Array.isArray(match)) throw invalid(node, 'match must give a context such as {name: customer}');
        rows = await trx('records').where({ form_key: settings.form }).whereRaw('data @> ?::jsonb', [JSON.stringify(match)]).limit(MAX_UPDATED);
      }
      for (const row of rows) {
        const form = await compiledForm(trx, row.form_key);
        const known = (form.schema.properties ?? {}) as Record<string, unknown>;
        const change = Object.fromEntries(Object.entries(values).filter(([name]) => Object.hasOwn(known, name)));
        if (Object.keys(change).length === 0) continue;
        // Raw rows hold personal values encrypted (engine/privacy/crypto.ts).
        const data = { ...decryptPersonal(row.data as Record<string, unknown>), ...change };
        await assertValidData(form.errorsOf, data, 'zh-CN');
        const record = await updateRecord(trx, row.form_key, row.id, { formVersion: form.version, data, updatedBy: actor ?? row.updated_by });
        if (record) written.push({ record, created: false });
      }
    } else {
      const form = await compiledForm(trx, settings.form!);
      await assertValidData(form.errorsOf, values, 'zh-CN');
      const record = await insertRecord(trx, { formKey: settings.form!, formVersion: form.version, data: values, createdBy: actor });
      if (settings.variable) setVariable(run.state, execution, settings.variable, record.id);
      written.push({ record, created: true });
    }
    for (const { record, created } of written) {
      await queueRecordAutomations(trx, created ? 'record.created' : 'record.updated', record, null, [], run.now());
    }
  }
}
