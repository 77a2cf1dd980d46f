/**
 * The first look at an uploaded file, before anything is imported: its header row, the first
 * rows for the preview, and how many data rows it holds (read through once, streamed) — so
 * that a file over MAX_IMPORT_ROWS is refused at upload (422), and the progress bar knows
 * its end.
 */
import { ValidationError } from '../errors.ts';
import { MAX_IMPORT_COLUMNS, MAX_IMPORT_ROWS, MAX_SUBFORM_CHARS, MAX_SUBFORM_ROWS, MAX_SUBFORM_SHEETS, PREVIEW_ROWS, SUB_PREVIEW_ROWS } from './limits.ts';
import { unstorableReason } from '../storableText.ts';
import { isTooManyColumns, sheetRows, workbookRows, type FileType, type SheetRow, type WorkbookRow } from './sheetRows.ts';

/** An extra sheet of an .xlsx (sub-form rows, subformSheets.ts). */
export interface ScannedSheet {
  /** Its place among the workbook's sheets (0 is the main sheet). */
  index: number;
  name: string;
  headers: string[];
  /** Its first SUB_PREVIEW_ROWS lines, for the preview's sub-form rows. */
  preview: SheetRow[];
  totalRows: number;
}

export interface ScannedFile {
  headers: string[];
  preview: SheetRow[];
  totalRows: number;
  sheets: ScannedSheet[];
}

const headerOf = (cells: SheetRow['cells'], en: boolean) =>
  cells.map((cell, i) => (cell === null || String(cell).trim() === '' ? `${en ? 'Column' : '列'} ${i + 1}` : String(cell).trim()));

const cellChars = (cells: SheetRow['cells']) => cells.reduce<number>((sum, cell) => sum + (cell === null ? 0 : String(cell).length), 0);

function refuse(message: string, en: boolean, zh: string): never {
  const text = en ? message : zh;
  throw new ValidationError(text, [{ pointer: '/file', message: text }], 'invalid_import_file');
}

export async function scanFile(path: string, type: FileType, en: boolean): Promise<ScannedFile> {
  let headers: string[] | null = null;
  const preview: SheetRow[] = [];
  let totalRows = 0;
  const sheets: ScannedSheet[] = [];
  let subRows = 0;
  let subChars = 0;
  /** Extra sheets: counted and bounded, since a run holds them in memory (subformSheets.ts). */
  const scanExtraSheet = (row: WorkbookRow) => {
    let sheet = sheets.at(-1);
    if (sheet?.index !== row.sheet) {
      if (sheets.length >= MAX_SUBFORM_SHEETS) refuse(`The file has more than ${MAX_SUBFORM_SHEETS + 1} sheets`, en, `文件超过 ${MAX_SUBFORM_SHEETS + 1} 个工作表`);
      sheet = { index: row.sheet, name: row.sheetName, headers: headerOf(row.cells, en), preview: [], totalRows: 0 };
      sheets.push(sheet);
      return;
    }
    sheet.totalRows += 1;
    subRows += 1;
    subChars += cellChars(row.cells);
    if (subRows > MAX_SUBFORM_ROWS || subChars > MAX_SUBFORM_CHARS) {
      const what = subRows > MAX_SUBFORM_ROWS ? `${MAX_SUBFORM_ROWS} rows` : `${MAX_SUBFORM_CHARS} characters`;
      const zh = subRows > MAX_SUBFORM_ROWS ? `${MAX_SUBFORM_ROWS} 行` : `${MAX_SUBFORM_CHARS} 个字符`;
      refuse(`Sheet "${row.sheetName}": the sub-form sheets together hold more than ${what} (they are read into memory to join the main sheet): split the file`, en, `工作表「${row.sheetName}」：子表单工作表合计超过 ${zh}（关联主表时需读入内存），请拆分文件`);
    }
    if (sheet.preview.length < SUB_PREVIEW_ROWS) sheet.preview.push({ rowNumber: row.rowNumber, cells: row.cells });
  };
  const rows: AsyncGenerator<SheetRow | WorkbookRow> = type === 'xlsx' ? workbookRows(path) : sheetRows(path, type);
  try {
    for await (const row of rows) {
      // A NUL in a CSV cell reached the import's jsonb preview and came back as a 500 (found by the fuzz suite).
      const column = row.cells.findIndex((cell) => typeof cell === 'string' && unstorableReason(cell) !== undefined);
      if (column >= 0) {
        const reason = unstorableReason(row.cells[column] as string)!;
        const where = 'sheet' in row && row.sheet > 0 ? { en: `Sheet "${row.sheetName}", row`, zh: `工作表「${row.sheetName}」第` } : { en: 'Row', zh: '第' };
        refuse(`${where.en} ${row.rowNumber}, column ${column + 1}: the text ${reason}`, en, `${where.zh} ${row.rowNumber} 行第 ${column + 1} 列的文本含有无法保存的字符（NUL 或不成对的代理项）`);
      }
      if ('sheet' in row && row.sheet > 0) {
        scanExtraSheet(row);
        continue;
      }
      if (!headers) {
        headers = headerOf(row.cells, en);
        continue;
      }
      totalRows += 1;
      if (totalRows > MAX_IMPORT_ROWS) {
        refuse(`The file has more than ${MAX_IMPORT_ROWS} rows: split it`, en, `文件超过 ${MAX_IMPORT_ROWS} 行，请拆分后再导入`);
      }
      if (preview.length < PREVIEW_ROWS) preview.push({ rowNumber: row.rowNumber, cells: row.cells });
    }
  } catch (error) {
    if (error instanceof ValidationError) throw error;
    if (isTooManyColumns(error)) refuse(`The file has more than ${MAX_IMPORT_COLUMNS} columns`, en, `文件超过 ${MAX_IMPORT_COLUMNS} 列`);
    const what = type === 'xlsx' ? '.xlsx' : 'CSV';
    refuse(`Not a readable ${what} file: ${(error as Error).message}`, en, `无法读取该 ${what} 文件：${(error as Error).message}`);
  }
  if (!headers) refuse('The file is empty: the first row must name the columns', en, '文件为空：第一行应为列名');
  if ([...headers, ...sheets.flatMap((sheet) => sheet.headers)].some((h) => h.includes('\uFFFD'))) {
    refuse('The file is not UTF-8 text: save it as "CSV UTF-8" (or as .xlsx)', en, '文件不是 UTF-8 编码：请另存为“CSV UTF-8”或 .xlsx');
  }
  return { headers, preview, totalRows, sheets };
}
