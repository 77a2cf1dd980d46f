/**
 * The report of an import (`GET …/imports/:id/report`): one line per refused row — its row
 * number in the file, its errors (each naming the column), then the row's own cells under the
 * file's headers, so the admin can fix the lines and import the report itself again. Streamed
 * to the response page by page, never the whole list in memory. A record refused for one of
 * its sub-form rows names that sheet and line in its errors; a sub-form sheet's line that
 * joined no record comes after the main sheet's rows, its row given as "sheet line".
 */
import type { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import type { Knex } from 'knex';
import { rowErrorsAfter, type ImportJobRow } from './store.ts';
import type { RowError } from './types.ts';

const PAGE = 1000;

export async function writeReport(db: Knex, job: ImportJobRow, out: Writable, en: boolean): Promise<void> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  const sheet = workbook.addWorksheet(en ? 'Refused rows' : '未导入的行');
  const header = sheet.addRow([en ? 'Row' : '行号', en ? 'Errors' : '错误', ...job.headers]);
  header.font = { bold: true };
  header.commit();
  const headersOf = (sheetName: string | undefined) => (sheetName ? (job.sheets.find((s) => s.name === sheetName)?.headers ?? []) : job.headers);
  const where = (sheetName: string, row: number) => (en ? `${sheetName} row ${row}` : `${sheetName} 第 ${row} 行`);
  const describe = (e: RowError) => {
    const column = e.column !== null ? headersOf(e.sheet)[e.column] : undefined;
    const subject = column ?? e.field;
    const text = subject ? `${subject}: ${e.message}` : e.message;
    return e.sheet && e.row !== undefined ? `${where(e.sheet, e.row)} · ${text}` : text;
  };
  let after = { sheet: '', row: 0 };
  for (;;) {
    const rows = await rowErrorsAfter(db, job.id, after.sheet, after.row, PAGE);
    for (const row of rows) {
      const text = row.errors.map(describe).join('\n');
      sheet.addRow([row.sheet ? where(row.sheet, row.row_number) : row.row_number, text, ...row.cells]).commit();
    }
    if (rows.length < PAGE) break;
    const last = rows[rows.length - 1]!;
    after = { sheet: last.sheet, row: last.row_number };
  }
  sheet.commit();
  await workbook.commit();
}
