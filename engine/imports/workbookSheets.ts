/**
 * The worksheets of an .xlsx, in the workbook's order, each with its name and its rows streamed:
 * exceljs's streaming readers fed part by part from the zip's central directory.
 *
 * Why not `ExcelJS.stream.xlsx.WorkbookReader` as it is: its single pass over the zip sometimes
 * ends early (exceljs issue #3064, open). Our own export stores `xl/workbook.xml` last, so the
 * sheets came back named "Sheet1", "Sheet2"… (2 reads in 300 here), and in 1 read of about 600
 * under load only the first sheet came back at all — an import that silently dropped sub-form
 * lines. The central directory (unzipper.Open) names every part whatever its place; the
 * relationships, the workbook, shared strings and styles are read first, then each worksheet
 * streams row by row, as before. This uses the reader's own part parsers (underscore methods of
 * exceljs 4.4, the last release), so a sheet's cells come out exactly as they did.
 */
import ExcelJS from 'exceljs';
import unzipper from 'unzipper';
import type { Readable } from 'node:stream';

/** What a worksheet gives: exceljs's worksheet reader (its rows are async-iterable). */
export type WorksheetRows = AsyncIterable<{ number: number; values: unknown }>;

/** The part parsers of exceljs 4.4's WorkbookReader (lib/stream/xlsx/workbook-reader.js). */
interface ReaderParts {
  workbookRels?: { Id: string; Target: string }[];
  model?: { sheets?: { rId: string; name: string }[] };
  _parseRels(entry: Readable): Promise<void>;
  _parseWorkbook(entry: Readable): Promise<void>;
  _parseSharedStrings(entry: Readable): AsyncGenerator<unknown>;
  _parseStyles(entry: Readable): Promise<void>;
  _parseWorksheet(iterator: Readable, sheetNo: string): Generator<{ eventType: string; value: WorksheetRows }>;
}

/** The zip path of a relationship target of `xl/workbook.xml` (relative to `xl/`, or absolute). */
const partPath = (target: string) => (target.startsWith('/') ? target.slice(1) : `xl/${target}`);

export async function* workbookSheets(path: string): AsyncGenerator<{ name: string; rows: WorksheetRows }> {
  const directory = await unzipper.Open.file(path);
  const part = (name: string) => directory.files.find((file) => file.path === name);
  const relationships = part('xl/_rels/workbook.xml.rels');
  const workbook = part('xl/workbook.xml');
  if (!relationships || !workbook) throw new Error('no workbook part (xl/workbook.xml)');
  // styles: 'cache' so that date-formatted numbers come back as dates.
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(path, { worksheets: 'emit', sharedStrings: 'cache', hyperlinks: 'ignore', styles: 'cache', entries: 'ignore' }) as unknown as ReaderParts;
  await reader._parseRels(relationships.stream());
  await reader._parseWorkbook(workbook.stream());
  const sharedStrings = part('xl/sharedStrings.xml');
  if (sharedStrings) for await (const _ of reader._parseSharedStrings(sharedStrings.stream()));
  const styles = part('xl/styles.xml');
  if (styles) await reader._parseStyles(styles.stream());
  // Each part once: a crafted workbook.xml listing one part many times must not make us read it again and again.
  const read = new Set<string>();
  for (const sheet of reader.model?.sheets ?? []) {
    const target = reader.workbookRels?.find((rel) => rel.Id === sheet.rId)?.Target ?? '';
    const sheetNo = /sheet(\d+)\.xml$/.exec(target)?.[1];
    const file = sheetNo ? part(partPath(target)) : undefined;
    if (!file || !sheetNo) throw new Error(`sheet "${sheet.name}" has no worksheet part`);
    if (read.has(file.path)) throw new Error(`sheet "${sheet.name}" names a worksheet part another sheet has`);
    read.add(file.path);
    for (const { value } of reader._parseWorksheet(file.stream(), sheetNo)) yield { name: sheet.name, rows: value };
  }
}
