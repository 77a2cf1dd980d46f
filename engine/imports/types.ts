/** The public types of record imports (engine/imports/), as the routes and the designer see them. */

export type ImportMode = 'all_or_nothing' | 'skip_bad_rows';

/**
 * `interrupted`: the run stopped without finishing (its node crashed or restarted). What stays:
 * nothing for all-or-nothing (its one transaction never committed), the committed batches for
 * skip-bad-rows (`imported` counts them).
 */
export type ImportStatus = 'uploaded' | 'running' | 'cancelling' | 'done' | 'failed' | 'cancelled' | 'interrupted';

/** One cell value as read from the file: text, number, boolean, date (ISO text) or empty. */
export type CellValue = string | number | boolean | null;

/** A field rows can be imported into, with the labels columns are matched against. */
export interface ImportField {
  name: string;
  /** Its label per language (`zh-CN`, `en`), the key when it has none. */
  title: { 'zh-CN': string; en: string };
  required: boolean;
}

/** An error of one row: the field (and column) it concerns, if any. */
export interface RowError {
  field: string | null;
  /** The column in the row's sheet (the main one unless `sheet` says otherwise). */
  column: number | null;
  message: string;
  /** A sub-form sheet's error: its name and the line in it. */
  sheet?: string;
  row?: number;
}

/** An extra sheet of an .xlsx, as the upload found it: a sub-form's rows, if one is mapped to it. */
export interface ImportSheetView {
  name: string;
  headers: string[];
  totalRows: number;
  /** The sub-form field its rows go to (null: the sheet is not imported). */
  subform: string | null;
  /** The sheet's column holding the key of the main-sheet row each line belongs to. */
  keyColumn: number | null;
  /** Per column, the sub-form's field it goes to. */
  mapping: (string | null)[];
}

/** A sub-form field and the fields of its rows. */
export interface ImportSubform {
  name: string;
  title: { 'zh-CN': string; en: string };
  fields: ImportField[];
}

export interface PreviewRow {
  /** The line in the file (the header is line 1). */
  rowNumber: number;
  cells: CellValue[];
  /** The record data the row becomes (empty when it has errors). */
  data: Record<string, unknown>;
  errors: RowError[];
  /** How many lines of the sub-form sheets joined this row (from their first SUB_PREVIEW_ROWS lines). */
  subRows?: number;
}

export interface ImportJobView {
  id: string;
  formKey: string;
  fileName: string;
  fileType: 'xlsx' | 'csv';
  status: ImportStatus;
  headers: string[];
  /** Per column, the field it goes to (null: not imported). */
  mapping: (string | null)[];
  fields: ImportField[];
  preview: PreviewRow[];
  /** The main sheet's column whose value joins the sub-form sheets' lines to its rows. */
  keyColumn: number | null;
  /** The .xlsx's extra sheets (sub-form rows), in file order. */
  sheets: ImportSheetView[];
  subforms: ImportSubform[];
  /** What the file cannot bring in (a CSV holds no sub-form rows), else null. */
  notice: string | null;
  mode: ImportMode | null;
  runAutomations: boolean;
  totalRows: number;
  rowsDone: number;
  imported: number;
  refused: number;
  rowsPerSecond: number | null;
  etaSeconds: number | null;
  error: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

/** The `import.progress` socket event: a running import's counters, to the uploader's room. */
export interface ImportProgressPayload {
  importId: string;
  formKey: string;
  status: ImportStatus;
  totalRows: number;
  rowsDone: number;
  imported: number;
  refused: number;
  rowsPerSecond: number | null;
  etaSeconds: number | null;
}
