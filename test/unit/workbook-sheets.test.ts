/**
 * An .xlsx written by exceljs's streaming writer (as our export writes it: `xl/workbook.xml` and
 * its relationships stored last) is read back whole, with its sheets' names, every time.
 * exceljs's streaming WorkbookReader alone named them "Sheet1", "Sheet2"… in about 1 read of 150
 * (its single pass sometimes ends before those last entries, exceljs issue #3064) — an exported
 * workbook's sub-form sheets then matched no sub-form on import (a CI run of
 * record-import-subforms) — and under load, in about 1 read of 600, returned the first sheet
 * only. 600 reads: without workbookSheets.ts this fails in about 98 runs of 100.
 */
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, describe, expect, it } from 'vitest';
import { workbookRows } from '../../engine/imports/sheetRows.ts';
import { workbookSheets } from '../../engine/imports/workbookSheets.ts';

const folder = mkdtempSync(path.join(os.tmpdir(), 'liuzhuan-sheet-names-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

/** Sheets named in zh-CN, with an entity-worthy name, as the export streams them. */
async function exportedWorkbook(): Promise<string> {
  const file = path.join(folder, 'export.xlsx');
  const out = createWriteStream(file);
  const closed = new Promise<void>((resolve) => out.on('close', () => resolve()));
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  for (const name of ['订单', '明细', 'A & "B"']) {
    const sheet = workbook.addWorksheet(name);
    sheet.addRow(['id', name]).commit();
    sheet.addRow(['r1', 1]).commit();
    sheet.commit();
  }
  await workbook.commit();
  await closed;
  return file;
}

describe('worksheet names of a streamed .xlsx', () => {
  it('are read in the workbook’s order, each with its rows', async () => {
    const file = await exportedWorkbook();
    const sheets: [string, number][] = [];
    for await (const { name, rows } of workbookSheets(file)) {
      let count = 0;
      for await (const _row of rows) count += 1;
      sheets.push([name, count]);
    }
    expect(sheets).toEqual([
      ['订单', 2],
      ['明细', 2],
      ['A & "B"', 2],
    ]);
  });

  it('come with every row, read after read', async () => {
    const file = await exportedWorkbook();
    const outcomes = new Map<string, number>();
    for (let read = 0; read < 600; read++) {
      const names: string[] = [];
      let rows = 0;
      for await (const row of workbookRows(file)) {
        if (names.at(-1) !== row.sheetName) names.push(row.sheetName);
        rows += 1;
      }
      const outcome = `${names.join(' | ')}: ${rows} rows`;
      outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
    }
    expect([...outcomes]).toEqual([['订单 | 明细 | A & "B": 6 rows', 600]]);
  }, 60_000);
});
