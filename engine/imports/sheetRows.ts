/**
 * Reads an uploaded file row by row, never whole: .xlsx through exceljs's streaming readers (workbookSheets.ts)
 * (first worksheet only; workbookRows reads them all), .csv through csv-parse (UTF-8, with or without BOM). Each row comes
 * as plain cell values; a date cell becomes its wall-clock text (`2026-03-01` or
 * `2026-03-01T09:30:00`, Excel dates carry no time zone) so dates typed as text and as dates
 * are understood alike (convert.ts). Blank rows are skipped.
 */
import { createReadStream } from 'node:fs';
import { parse } from 'csv-parse';
import { MAX_CELL_CHARS, MAX_IMPORT_COLUMNS } from './limits.ts';
import type { CellValue } from './types.ts';
import { workbookSheets } from './workbookSheets.ts';

export type FileType = 'xlsx' | 'csv';

export interface SheetRow {
  /** The row's number in the file (the header is 1). */
  rowNumber: number;
  cells: CellValue[];
}

const pad = (n: number) => String(n).padStart(2, '0');

/** A date cell's wall clock (exceljs gives it as that time in UTC). */
function dateText(date: Date): string {
  if (Number.isNaN(date.getTime())) return '';
  const day = `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`;
  const h = date.getUTCHours(), m = date.getUTCMinutes(), s = date.getUTCSeconds();
  return h || m || s ? `${day}T${pad(h)}:${pad(m)}:${pad(s)}` : day;
}

function cut(text: string): string {
  return text.length > MAX_CELL_CHARS ? text.slice(0, MAX_CELL_CHARS) : text;
}

/** An exceljs cell value as a plain one: rich text and links as their text, formulas as their result. */
export function plainCell(value: unknown): CellValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number' || typeof value === 'boolean') return value;
  if (typeof value === 'string') return cut(value);
  if (value instanceof Date) return dateText(value);
  if (typeof value === 'object') {
    const v = value as Record<string, unknown>;
    if (Array.isArray(v.richText)) return cut(v.richText.map((part: { text?: unknown }) => String(part?.text ?? '')).join(''));
    if ('result' in v) return plainCell(v.result);
    if ('text' in v) return plainCell(v.text);
    if ('error' in v) return null;
  }
  return cut(String(value));
}

function isBlank(cells: CellValue[]): boolean {
  return cells.every((cell) => cell === null || (typeof cell === 'string' && cell.trim() === ''));
}

class TooManyColumns extends Error {}

function bounded(cells: CellValue[]): CellValue[] {
  if (cells.length > MAX_IMPORT_COLUMNS) throw new TooManyColumns(`more than ${MAX_IMPORT_COLUMNS} columns`);
  return cells;
}

export function isTooManyColumns(error: unknown): boolean {
  return error instanceof TooManyColumns;
}

/** A worksheet row's cells (row.values is 1-based and sparse). */
function cellsOf(row: { values: unknown }): CellValue[] {
  const values = row.values as unknown[];
  const cells: CellValue[] = [];
  for (let i = 1; i < values.length; i++) cells.push(plainCell(values[i]));
  return cells;
}

/** The first worksheet's rows: the others are not opened (workbookSheets.ts reads part by part). */
async function* xlsxRows(path: string): AsyncGenerator<SheetRow> {
  for await (const { rows } of workbookSheets(path)) {
    for await (const row of rows) {
      const cells = cellsOf(row);
      if (!isBlank(cells)) yield { rowNumber: row.number, cells: bounded(cells) };
    }
    return;
  }
}

async function* csvRows(path: string): AsyncGenerator<SheetRow> {
  const parser = createReadStream(path).pipe(parse({ bom: true, relax_column_count: true, relax_quotes: true, skip_empty_lines: true, max_record_size: MAX_CELL_CHARS * 4 }));
  let rowNumber = 0;
  for await (const record of parser as AsyncIterable<string[]>) {
    rowNumber += 1;
    const cells = record.map((cell) => (cell === '' ? null : cut(cell)));
    if (!isBlank(cells)) yield { rowNumber, cells: bounded(cells) };
  }
}

export interface WorkbookRow extends SheetRow {
  /** The worksheet's place in the file (0: the first, the main sheet) and its name. */
  sheet: number;
  sheetName: string;
}

/**
 * Every non-blank row of every worksheet of an .xlsx, sheet after sheet, each sheet's header
 * row first: what sub-form sheets (subformSheets.ts) are read from.
 */
export async function* workbookRows(path: string): AsyncGenerator<WorkbookRow> {
  let sheet = -1;
  for await (const { name, rows } of workbookSheets(path)) {
    sheet += 1;
    for await (const row of rows) {
      const cells = cellsOf(row);
      if (!isBlank(cells)) yield { sheet, sheetName: name, rowNumber: row.number, cells: bounded(cells) };
    }
  }
}

/** Every non-blank row of the file, the header row first. */
export function sheetRows(path: string, type: FileType): AsyncGenerator<SheetRow> {
  return type === 'xlsx' ? xlsxRows(path) : csvRows(path);
}
