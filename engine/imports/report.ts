/**
 * The report of an import (`GET …/imports/:id/report`): one line per refused row — its row
 * number in the file, its errors (each naming the column), then the row's own cells under the
 * file's headers, so the admin can fix the lines and import the report itself again. Streamed
 * to the response page by page, never the whole list in memory.
 */
import type { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import type { Knex } from 'knex';
import { rowErrorsAfter, type ImportJobRow } from './store.ts';

const PAGE = 1000;

export async function writeReport(db: Knex, job: ImportJobRow, out: Writable, en: boolean): Promise<void> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  const sheet = workbook.addWorksheet(en ? 'Refused rows' : '未导入的行');
  const header = sheet.addRow([en ? 'Row' : '行号', en ? 'Errors' : '错误', ...job.headers]);
  header.font = { bold: true };
  header.commit();
  let after = 0;
  for (;;) {
    const rows = await rowErrorsAfter(db, job.id, after, PAGE);
    for (const row of rows) {
      const text = row.errors
        .map((e) => (e.column !== null ? `${job.headers[e.column] ?? e.field}: ${e.message}` : e.field ? `${e.field}: ${e.message}` : e.message))
        .join('\n');
      sheet.addRow([row.row_number, text, ...row.cells]).commit();
    }
    if (rows.length < PAGE) break;
    after = rows[rows.length - 1]!.row_number;
  }
  sheet.commit();
  await workbook.commit();
}
