/** Queries on `import_jobs` and `import_job_errors` (migration 044). */
import type { Knex } from 'knex';
import { STALE_AFTER_MS } from './limits.ts';
import type { ScannedSheet } from './scan.ts';
import type { SheetMapping } from './subformSheets.ts';
import type { ImportMode, ImportStatus, PreviewRow, RowError, CellValue } from './types.ts';

export interface ImportJobRow {
  id: string;
  form_key: string;
  created_by: string;
  file_name: string;
  file_type: 'xlsx' | 'csv';
  file_path: string;
  headers: string[];
  preview: { rowNumber: number; cells: CellValue[] }[];
  mapping: (string | null)[] | null;
  /** The .xlsx's extra sheets (migration 049), and the join chosen at start. */
  sheets: ScannedSheet[];
  sheet_mapping: SheetMapping | null;
  total_rows: number;
  status: Exclude<ImportStatus, 'interrupted'>;
  mode: ImportMode | null;
  run_automations: boolean;
  rows_done: number;
  imported: number;
  refused: number;
  error: string | null;
  created_at: Date;
  started_at: Date | null;
  heartbeat_at: Date | null;
  finished_at: Date | null;
}

export async function insertImportJob(
  db: Knex,
  job: { formKey: string; createdBy: string; fileName: string; fileType: 'xlsx' | 'csv'; filePath: string; headers: string[]; preview: PreviewRow[] | { rowNumber: number; cells: CellValue[] }[]; totalRows: number; sheets: ScannedSheet[] },
): Promise<ImportJobRow> {
  const [row] = await db('import_jobs')
    .insert({
      form_key: job.formKey,
      created_by: job.createdBy,
      file_name: job.fileName,
      file_type: job.fileType,
      file_path: job.filePath,
      headers: JSON.stringify(job.headers),
      preview: JSON.stringify(job.preview.map((r) => ({ rowNumber: r.rowNumber, cells: r.cells }))),
      total_rows: job.totalRows,
      sheets: JSON.stringify(job.sheets),
    })
    .returning('*');
  return row;
}

export async function getImportJob(db: Knex, formKey: string, id: string): Promise<ImportJobRow | undefined> {
  return db('import_jobs').where({ id, form_key: formKey }).first();
}

/** uploaded → running, once: false when another start got there first. */
export async function claimStart(db: Knex, id: string, settings: { mapping: (string | null)[]; sheetMapping: SheetMapping; mode: ImportMode; runAutomations: boolean }, now: Date): Promise<boolean> {
  const count = await db('import_jobs')
    .where({ id, status: 'uploaded' })
    .update({ status: 'running', mapping: JSON.stringify(settings.mapping), sheet_mapping: JSON.stringify(settings.sheetMapping), mode: settings.mode, run_automations: settings.runAutomations, started_at: now, heartbeat_at: now });
  return count === 1;
}

/** Saves the counters and answers whether a cancel was asked for meanwhile. */
export async function saveProgress(db: Knex, id: string, counters: { rowsDone: number; imported: number; refused: number }, now: Date): Promise<{ cancelling: boolean }> {
  const [row] = await db('import_jobs')
    .where({ id })
    .update({ rows_done: counters.rowsDone, imported: counters.imported, refused: counters.refused, heartbeat_at: now })
    .returning('status');
  return { cancelling: row?.status === 'cancelling' };
}

export async function finishImportJob(
  db: Knex,
  id: string,
  outcome: { status: 'done' | 'failed' | 'cancelled'; rowsDone: number; imported: number; refused: number; error?: string | null },
  now: Date,
): Promise<void> {
  await db('import_jobs').where({ id }).update({
    status: outcome.status,
    rows_done: outcome.rowsDone,
    imported: outcome.imported,
    refused: outcome.refused,
    error: outcome.error ?? null,
    finished_at: now,
    heartbeat_at: now,
  });
}

/** running → cancelling (the runner stops at its next step); an upload never started is cancelled at once. */
export async function requestCancel(db: Knex, id: string, now: Date): Promise<void> {
  await db('import_jobs').where({ id, status: 'running' }).update({ status: 'cancelling' });
  await db('import_jobs').where({ id, status: 'uploaded' }).update({ status: 'cancelled', finished_at: now });
}

/** `sheet`: a sub-form sheet's line (its key matched no row); absent for the main sheet's rows. */
export async function insertRowErrors(db: Knex, jobId: string, rows: { sheet?: string; rowNumber: number; cells: CellValue[]; errors: RowError[] }[]): Promise<void> {
  if (rows.length === 0) return;
  await db('import_job_errors')
    .insert(rows.map((r) => ({ job_id: jobId, sheet: r.sheet ?? '', row_number: r.rowNumber, cells: JSON.stringify(r.cells), errors: JSON.stringify(r.errors) })))
    .onConflict(['job_id', 'sheet', 'row_number'])
    .ignore();
}

/** A page of refused rows after (`afterSheet`, `afterRow`): the main sheet's ('') first, in file order (the report reads them page by page). */
export async function rowErrorsAfter(db: Knex, jobId: string, afterSheet: string, afterRow: number, limit: number): Promise<{ sheet: string; row_number: number; cells: CellValue[]; errors: RowError[] }[]> {
  return db('import_job_errors')
    .where({ job_id: jobId })
    .andWhereRaw('(sheet, row_number) > (?, ?)', [afterSheet, afterRow])
    .orderBy([{ column: 'sheet' }, { column: 'row_number' }])
    .limit(limit)
    .select('sheet', 'row_number', 'cells', 'errors');
}

/** The status a reader sees: a running job whose heartbeat stopped was interrupted. */
export function effectiveStatus(row: ImportJobRow, now: Date): ImportStatus {
  const running = row.status === 'running' || row.status === 'cancelling';
  if (running && row.heartbeat_at && now.getTime() - row.heartbeat_at.getTime() > STALE_AFTER_MS) return 'interrupted';
  return row.status;
}

/** Uploads never started within `maxAgeMs`: cancelled, their files to delete (this answers their paths). */
export async function expireUploads(db: Knex, now: Date, maxAgeMs: number): Promise<string[]> {
  const rows: { file_path: string }[] = await db('import_jobs')
    .where({ status: 'uploaded' })
    .andWhere('created_at', '<', new Date(now.getTime() - maxAgeMs))
    .update({ status: 'cancelled', finished_at: now })
    .returning('file_path');
  return rows.map((row) => row.file_path);
}
