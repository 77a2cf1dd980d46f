/**
 * Starting a process from a record (发起回访 on a customer's profile card): a process declares
 * which form's records it starts from, and what such a start passes, in its settings —
 *
 *   <liuzhuan:settings>
 *     <liuzhuan:entry key="startsFrom" value="customer_profile"/>
 *     <liuzhuan:entry key="startVariables" value="{customer: name, owner: owner, customerId: record.id}"/>
 *   </liuzhuan:settings>
 *
 * `startVariables` is a FEEL context over the record's data plus `record` ({id, formKey}); without
 * it the start passes `record`. At most one instance of such a process runs per record (a second
 * 发起回访 while one runs would send the customer two plans and two surveys): a start while one
 * is active (or stuck in an incident) is refused naming it, unless the process opts out with
 * `<liuzhuan:entry key="startsFromOnce" value="false"/>` (a process one may run many times over
 * a record, e.g. a quote per customer). The instance's business key is the record's id, its starter the
 * user. A process bound to a form (流程表单) gets its own record as any start without a
 * submission does (flowStartRecords.ts). Generic: any app's admin declares it in the flow
 * designer's process settings, and the record page offers one button per such process.
 */
import type { CompileContext } from '../bpmn/context.ts';
import { liuzhuanExtensions } from '../bpmn/liuzhuan.ts';
import type { CompiledProcess } from '../bpmn/model.ts';
import type { ModdleElement } from '../bpmn/moddleAccess.ts';
import type { Db } from '../db/connection.ts';
import { classifyExpression, evaluateExpression } from '../expressions/index.ts';
import { ValidationError } from '../errors.ts';
import type { RecordView } from '../store/records.ts';
import { FORM_KEY_PATTERN } from './forms.ts';

const FORM_KEY = new RegExp(FORM_KEY_PATTERN);

function settingsEntries(process: ModdleElement): Map<string, string> {
  const found = new Map<string, string>();
  const raw = liuzhuanExtensions(process)?.settings;
  for (const settings of Array.isArray(raw) ? raw : raw ? [raw] : []) {
    const entries = (settings as { entries?: unknown }).entries;
    for (const entry of Array.isArray(entries) ? entries : entries ? [entries] : []) {
      const { key, value } = (entry ?? {}) as { key?: unknown; value?: unknown };
      if (typeof key === 'string' && typeof value === 'string' && value.trim() !== '') found.set(key, value.trim());
    }
  }
  return found;
}

/** Compile listener: reads `startsFrom` / `startVariables` / `startsFromOnce` into `CompiledProcess.startsFrom`. */
export function readRecordStart(ctx: CompileContext, process: ModdleElement, out: CompiledProcess): void {
  const entries = settingsEntries(process);
  const formKey = entries.get('startsFrom');
  const variables = entries.get('startVariables');
  const once = entries.get('startsFromOnce');
  if (formKey === undefined) {
    if (variables !== undefined) ctx.problem(out.id, `process '${out.id}': liuzhuan:settings startVariables needs startsFrom (the form whose records start it)`);
    if (once !== undefined) ctx.problem(out.id, `process '${out.id}': liuzhuan:settings startsFromOnce needs startsFrom (the form whose records start it)`);
    return;
  }
  if (once !== undefined && once !== 'true' && once !== 'false') {
    ctx.problem(out.id, `process '${out.id}': liuzhuan:settings startsFromOnce is '${once}', not true or false`);
    return;
  }
  if (!FORM_KEY.test(formKey)) {
    ctx.problem(out.id, `process '${out.id}': liuzhuan:settings startsFrom '${formKey}' is not a form key (${FORM_KEY_PATTERN})`);
    return;
  }
  if (variables !== undefined) ctx.expression(out.id, 'liuzhuan:settings startVariables', variables, 'feel');
  // Absent means once: definitions compiled before the setting existed keep the safe rule.
  out.startsFrom = { formKey, ...(variables !== undefined ? { variables } : {}), ...(once === 'false' ? { many: true } : {}) };
}

export interface RecordStartOption {
  definitionKey: string;
  name: string | null;
  version: number;
  /** The instance of it already running for this record, which a start would be refused for; else null. */
  runningInstanceId: string | null;
}

/** Statuses of an instance that still runs (an incident waits for an admin, it has not ended). */
const RUNNING = ['active', 'incident'];

/** The latest definitions that start from records of `formKey`, by key, with what runs for `recordId`. */
export async function recordStartOptions(db: Db, formKey: string, recordId: string): Promise<RecordStartOption[]> {
  const rows = await db('process_definitions as d')
    .select('d.key', 'd.name', 'd.version', db.raw(`coalesce((d.compiled->'startsFrom'->>'many')::boolean, false) AS many`))
    .whereRaw('d.version = (SELECT max(version) FROM process_definitions WHERE key = d.key)')
    .whereRaw(`d.compiled->'startsFrom'->>'formKey' = ?`, [formKey])
    .orderBy('d.key');
  return Promise.all(
    rows.map(async (row: any) => ({
      definitionKey: row.key,
      name: row.name,
      version: row.version,
      runningInstanceId: row.many ? null : await runningFromRecord(db, row.key, recordId),
    })),
  );
}

/** The oldest running instance of `definitionKey` started from `recordId` (its business key), if any. */
export async function runningFromRecord(db: Db, definitionKey: string, recordId: string): Promise<string | null> {
  const row = await db('process_instances')
    .where({ definition_key: definitionKey, business_key: recordId })
    .whereIn('status', RUNNING)
    .orderBy('started_at')
    .first('id');
  return row?.id ?? null;
}

/**
 * Serialises starts of `definitionKey` from `recordId` until the transaction ends: of two
 * clicks at once the second waits, then finds the first's instance (committed by then).
 */
export async function lockRecordStart(trx: Db, definitionKey: string, recordId: string): Promise<void> {
  await trx.raw('SELECT pg_advisory_xact_lock(hashtext(?), hashtext(?))', [`record-start:${definitionKey}`, recordId]);
}

/** The start variables for `record` (a FEEL context, else 422 naming the process). */
export function recordStartVariables(process: CompiledProcess, record: RecordView): Record<string, unknown> {
  const meta = { id: record.id, formKey: record.formKey };
  const expression = process.startsFrom?.variables;
  if (!expression) return { record: meta };
  const value = evaluateExpression(classifyExpression(expression, 'feel'), { ...(record.data as Record<string, unknown>), record: meta });
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    throw new ValidationError(
      `Process "${process.id}": startVariables must give a context such as {customer: name}, got ${JSON.stringify(value)}`,
      [{ pointer: process.id, message: 'startVariables did not give a context' }],
      'invalid_start_variables',
    );
  }
  return value as Record<string, unknown>;
}
