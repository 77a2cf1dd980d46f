/**
 * The first look at an uploaded file, before anything is imported: its header row, the first
 * rows for the preview, and how many data rows it holds (read through once, streamed) — so
 * that a file over MAX_IMPORT_ROWS is refused at upload (422), and the progress bar knows
 * its end.
 */
import { ValidationError } from '../errors.ts';
import { MAX_IMPORT_COLUMNS, MAX_IMPORT_ROWS, PREVIEW_ROWS } from './limits.ts';
import { unstorableReason } from '../storableText.ts';
import { isTooManyColumns, sheetRows, type FileType, type SheetRow } from './sheetRows.ts';

export interface ScannedFile {
  headers: string[];
  preview: SheetRow[];
  totalRows: number;
}

function refuse(message: string, en: boolean, zh: string): never {
  const text = en ? message : zh;
  throw new ValidationError(text, [{ pointer: '/file', message: text }], 'invalid_import_file');
}

export async function scanFile(path: string, type: FileType, en: boolean): Promise<ScannedFile> {
  let headers: string[] | null = null;
  const preview: SheetRow[] = [];
  let totalRows = 0;
  try {
    for await (const row of sheetRows(path, type)) {
      // A NUL in a CSV cell reached the import's jsonb preview and came back as a 500 (found by the fuzz suite).
      const column = row.cells.findIndex((cell) => typeof cell === 'string' && unstorableReason(cell) !== undefined);
      if (column >= 0) {
        const reason = unstorableReason(row.cells[column] as string)!;
        refuse(`Row ${row.rowNumber}, column ${column + 1}: the text ${reason}`, en, `第 ${row.rowNumber} 行第 ${column + 1} 列的文本含有无法保存的字符（NUL 或不成对的代理项）`);
      }
      if (!headers) {
        headers = row.cells.map((cell, i) => (cell === null || String(cell).trim() === '' ? `${en ? 'Column' : '列'} ${i + 1}` : String(cell).trim()));
        continue;
      }
      totalRows += 1;
      if (totalRows > MAX_IMPORT_ROWS) {
        refuse(`The file has more than ${MAX_IMPORT_ROWS} rows: split it`, en, `文件超过 ${MAX_IMPORT_ROWS} 行，请拆分后再导入`);
      }
      if (preview.length < PREVIEW_ROWS) preview.push(row);
    }
  } catch (error) {
    if (error instanceof ValidationError) throw error;
    if (isTooManyColumns(error)) refuse(`The file has more than ${MAX_IMPORT_COLUMNS} columns`, en, `文件超过 ${MAX_IMPORT_COLUMNS} 列`);
    const what = type === 'xlsx' ? '.xlsx' : 'CSV';
    refuse(`Not a readable ${what} file: ${(error as Error).message}`, en, `无法读取该 ${what} 文件：${(error as Error).message}`);
  }
  if (!headers) refuse('The file is empty: the first row must name the columns', en, '文件为空：第一行应为列名');
  if (headers.some((h) => h.includes('\uFFFD'))) {
    refuse('The file is not UTF-8 text: save it as "CSV UTF-8" (or as .xlsx)', en, '文件不是 UTF-8 编码：请另存为“CSV UTF-8”或 .xlsx');
  }
  return { headers, preview, totalRows };
}
