/**
 * An .xlsx written by exceljs's streaming writer (as our export writes it: `xl/workbook.xml` and
 * its relationships stored last) is read back with its sheets' names every time. exceljs's
 * streaming reader alone named them "Sheet1", "Sheet2"… in about 1 read of 150 (its single pass
 * sometimes ends before those last entries, exceljs issue #3064), and an exported workbook's
 * sub-form sheets then matched no sub-form on import (a CI run of record-import-subforms).
 * 600 reads: without the fix this fails in about 98 runs of 100.
 */
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, describe, expect, it } from 'vitest';
import { workbookRows } from '../../engine/imports/sheetRows.ts';
import { workbookSheetNames } from '../../engine/imports/workbookSheetNames.ts';

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
  it('are read from the central directory, by part number', async () => {
    const file = await exportedWorkbook();
    expect([...(await workbookSheetNames(file))]).toEqual([
      ['1', '订单'],
      ['2', '明细'],
      ['3', 'A & "B"'],
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
