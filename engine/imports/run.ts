/**
 * Runs a started import on this node: the file is read row by row (sheetRows.ts), each row
 * prepared (pipeline.ts) and written, refused rows stored for the report, the counters saved
 * and pushed to the uploader (`import.progress`) at most twice a second.
 *
 * Rows are written in batches of SKIP_MODE_BATCH (pipeline.ts's writeRows).
 * All-or-nothing: every batch in ONE transaction; once a row is refused the rest are still
 * checked (for the report) but no longer written, and the transaction rolls back. A cancel or
 * a crash rolls back too: nothing of the file stays. Skipping bad rows: a transaction per
 * batch of SKIP_MODE_BATCH rows; a cancel stops after the batch in hand, a crash loses only the
 * uncommitted batch — the committed ones stay, `imported` counts them (the job then reads
 * `interrupted`). A batch whose write fails (a database error, not a validation one) is
 * retried row by row so that only the failing row is refused.
 */
import { rm } from 'node:fs/promises';
import type { Knex } from 'knex';
import type { DomainEvent, EventBus } from '../events.ts';
import type { AuthUser } from '../identity/types.ts';
import { SKIP_MODE_BATCH } from './limits.ts';
import { prepareRow, writeRows, type RowPlan } from './pipeline.ts';
import { sheetRows } from './sheetRows.ts';
import { buildSubRowIndex, keyOf, type SubRow, type SubRowIndex } from './subformSheets.ts';
import { finishImportJob, insertRowErrors, saveProgress, type ImportJobRow } from './store.ts';
import type { CellValue, ImportProgressPayload, ImportStatus, RowError } from './types.ts';

export interface RunDeps {
  db: Knex;
  events: EventBus;
  clock: () => Date;
}

interface Counters {
  rowsDone: number;
  imported: number;
  refused: number;
}

class Cancelled extends Error {}
class RowsRefused extends Error {}

const PROGRESS_EVERY_MS = 500;
const ERRORS_PER_INSERT = 200;

export function progressEvent(job: Pick<ImportJobRow, 'id' | 'form_key' | 'created_by' | 'total_rows'>, status: ImportStatus, counters: Counters, elapsedMs: number): DomainEvent {
  const rowsPerSecond = elapsedMs > 0 ? Math.round((counters.rowsDone / elapsedMs) * 1000) : null;
  const left = job.total_rows - counters.rowsDone;
  const payload: ImportProgressPayload = {
    importId: job.id,
    formKey: job.form_key,
    status,
    totalRows: job.total_rows,
    ...counters,
    rowsPerSecond,
    // Time left only while it runs, as the job's view (api.ts) says it.
    etaSeconds: rowsPerSecond && (status === 'running' || status === 'cancelling') ? Math.ceil(left / rowsPerSecond) : null,
  };
  return { type: 'import.progress', rooms: [`user:${job.created_by}`], payload };
}

export async function runImport(deps: RunDeps, job: ImportJobRow, plan: RowPlan, user: AuthUser, settings: { mode: 'all_or_nothing' | 'skip_bad_rows'; runAutomations: boolean }): Promise<void> {
  const { db, events } = deps;
  const counters: Counters = { rowsDone: 0, imported: 0, refused: 0 };
  const started = Date.now();
  let lastTick = 0;
  let errors: { sheet?: string; rowNumber: number; cells: CellValue[]; errors: RowError[] }[] = [];
  const held: DomainEvent[] = [];
  const now = deps.clock();
  const onRuleError = () => {}; // a routing rule that fails counts as false, as for any record

  const flushErrors = async () => {
    const batch = errors;
    errors = [];
    for (let i = 0; i < batch.length; i += ERRORS_PER_INSERT) await insertRowErrors(db, job.id, batch.slice(i, i + ERRORS_PER_INSERT));
  };
  /** Saves the counters every PROGRESS_EVERY_MS; true when a cancel was asked for. */
  const tick = async (force = false): Promise<boolean> => {
    if (!force && Date.now() - lastTick < PROGRESS_EVERY_MS) return false;
    lastTick = Date.now();
    await flushErrors();
    const { cancelling } = await saveProgress(db, job.id, counters, deps.clock());
    events.publish([progressEvent(job, cancelling ? 'cancelling' : 'running', counters, Date.now() - started)]);
    return cancelling;
  };
  const refuse = (rowNumber: number, cells: CellValue[], rowErrors: RowError[]) => {
    counters.refused += 1;
    errors.push({ rowNumber, cells, errors: rowErrors });
  };

  // Sub-form sheets are read first into a bounded index (subformSheets.ts); each main row takes its lines out of it.
  const en = plan.locale === 'en';
  let join: { index: SubRowIndex; keyless: SubRow[] } | null = null;
  const taken = new Map<string, number>();
  /** The sub-form lines of a main row, or why the row cannot have them. */
  const linesOf = (row: { rowNumber: number; cells: CellValue[] }): { lines: SubRow[]; error?: RowError } => {
    if (!join || plan.keyColumn === null) return { lines: [] };
    const key = keyOf(row.cells[plan.keyColumn]);
    const lines = key ? join.index.get(key) : undefined;
    if (lines) {
      join.index.delete(key);
      taken.set(key, row.rowNumber);
      return { lines };
    }
    const first = key ? taken.get(key) : undefined;
    if (first === undefined) return { lines: [] };
    const message = en ? `the key "${key}" also names row ${first}, which took its sub-form rows: keys must be unique` : `关联值「${key}」与第 ${first} 行重复，子表单行已归入该行：关联值须唯一`;
    return { lines: [], error: { field: null, column: plan.keyColumn, message } };
  };
  const prepare = async (row: { rowNumber: number; cells: CellValue[] }) => {
    const { lines, error } = linesOf(row);
    const prepared = await prepareRow(plan, row.cells, lines);
    return error ? { data: null, errors: [error, ...prepared.errors] } : prepared;
  };
  /** Lines of the sub-form sheets that no main row took: refused, each with its sheet and row. */
  const refuseLeftLines = () => {
    if (!join) return;
    const left = [...join.keyless, ...[...join.index.values()].flat()].sort((a, b) => a.sheet - b.sheet || a.rowNumber - b.rowNumber);
    for (const line of left) {
      const sheet = plan.sheets[line.sheet];
      if (!sheet) continue;
      const key = keyOf(line.cells[sheet.keyColumn]);
      const message = !key
        ? en ? 'no key: the line belongs to no row of the main sheet' : '关联列为空：该行不属于主表的任何一行'
        : en ? `the key "${key}" matches no row of the main sheet` : `关联值「${key}」在主表中不存在`;
      counters.refused += 1;
      errors.push({ sheet: sheet.name, rowNumber: line.rowNumber, cells: line.cells, errors: [{ field: sheet.subform, column: sheet.keyColumn, sheet: sheet.name, row: line.rowNumber, message }] });
    }
    join = { index: new Map(), keyless: [] };
  };

  /** Data rows of the file (the header row skipped). */
  async function* dataRows() {
    let header = true;
    for await (const row of sheetRows(job.file_path, job.file_type)) {
      if (header) {
        header = false;
        continue;
      }
      yield row;
    }
  }

  type Prepared = { rowNumber: number; cells: CellValue[]; data: Record<string, unknown> };
  const write = (trx: Knex, rows: Prepared[]) => writeRows(trx, plan, rows.map((row) => row.data), user, { ...settings, now, onRuleError });

  /** Skip mode: one transaction per batch; a batch that fails is retried row by row. */
  async function commitBatch(batch: Prepared[]): Promise<void> {
    if (batch.length === 0) return;
    try {
      events.publish(await db.transaction((trx) => write(trx, batch)));
      counters.imported += batch.length;
    } catch {
      for (const row of batch) {
        try {
          events.publish(await db.transaction((trx) => write(trx, [row])));
          counters.imported += 1;
        } catch (error) {
          refuse(row.rowNumber, row.cells, [{ field: null, column: null, message: (error as Error).message }]);
        }
      }
    }
  }

  let outcome: { status: 'done' | 'failed' | 'cancelled'; error?: string };
  try {
    if (plan.keyColumn !== null && plan.sheets.some(Boolean) && job.sheet_mapping) join = await buildSubRowIndex(job.file_path, job.sheets, job.sheet_mapping);
    if (settings.mode === 'all_or_nothing') {
      await db.transaction(async (trx) => {
        let batch: Prepared[] = [];
        for await (const row of dataRows()) {
          const prepared = await prepare(row);
          if (!prepared.data) refuse(row.rowNumber, row.cells, prepared.errors);
          else if (counters.refused === 0) batch.push({ rowNumber: row.rowNumber, cells: row.cells, data: prepared.data });
          counters.rowsDone += 1;
          if (counters.refused > 0) batch = [];
          if (batch.length >= SKIP_MODE_BATCH) {
            held.push(...(await write(trx, batch)));
            counters.imported += batch.length;
            batch = [];
          }
          if (await tick()) throw new Cancelled();
        }
        refuseLeftLines();
        if (counters.refused > 0) throw new RowsRefused();
        held.push(...(await write(trx, batch)));
        counters.imported += batch.length;
      });
      events.publish(held);
      outcome = { status: 'done' };
    } else {
      let batch: Prepared[] = [];
      let cancelled = false;
      for await (const row of dataRows()) {
        const prepared = await prepare(row);
        if (prepared.data) batch.push({ rowNumber: row.rowNumber, cells: row.cells, data: prepared.data });
        else refuse(row.rowNumber, row.cells, prepared.errors);
        counters.rowsDone += 1;
        if (batch.length >= SKIP_MODE_BATCH) {
          await commitBatch(batch);
          batch = [];
        }
        if (await tick()) {
          cancelled = true;
          break;
        }
      }
      await commitBatch(batch);
      if (!cancelled) refuseLeftLines();
      outcome = cancelled ? { status: 'cancelled' } : { status: 'done' };
    }
  } catch (error) {
    if (error instanceof Cancelled) outcome = { status: 'cancelled' };
    else if (error instanceof RowsRefused) outcome = { status: 'failed', error: `${counters.refused} row(s) refused: nothing was imported` };
    else outcome = { status: 'failed', error: (error as Error).message };
    // All-or-nothing rolled back: whatever was written is gone.
    if (settings.mode === 'all_or_nothing') counters.imported = 0;
  }
  try {
    await flushErrors();
  } finally {
    await finishImportJob(db, job.id, { ...outcome, ...counters }, deps.clock());
    events.publish([progressEvent(job, outcome.status, counters, Date.now() - started)]);
    await rm(job.file_path, { force: true });
  }
}
