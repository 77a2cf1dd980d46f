/**
 * The names of an .xlsx's worksheets, by the number of their part (`xl/worksheets/sheet3.xml`
 * → "3"), read from the zip's central directory.
 *
 * Why not from exceljs's streaming reader: it learns the names from `xl/workbook.xml` and its
 * relationships, which exceljs's own streaming writer (our export) stores last in the zip, and
 * its single streaming pass sometimes ends without delivering those last entries (exceljs
 * issue #3064): every row still arrives, but the sheets are named "Sheet1", "Sheet2"… — 2 reads
 * in 300 here — and an exported workbook's sub-form sheets then matched no sub-form. The central
 * directory names every entry whatever its place, and only these two small parts are read.
 */
import unzipper from 'unzipper';

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function xmlText(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (whole, entity: string) => {
    if (entity[0] === '#') {
      const code = entity[1] === 'x' || entity[1] === 'X' ? parseInt(entity.slice(2), 16) : parseInt(entity.slice(1), 10);
      return Number.isFinite(code) && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return ENTITIES[entity] ?? whole;
  });
}

/** An attribute of one XML start tag, e.g. `name`, or `id` in any namespace (`r:id`) with `prefixed`. */
function attribute(tag: string, name: string, prefixed = false): string | undefined {
  const pattern = prefixed ? new RegExp(`\\s[\\w.-]+:${name}\\s*=\\s*"([^"]*)"`) : new RegExp(`\\s${name}\\s*=\\s*"([^"]*)"`);
  const value = pattern.exec(tag)?.[1];
  return value === undefined ? undefined : xmlText(value);
}

/** Sheet part number → name; empty when the file has no readable workbook part (the reader's names are used then). */
export async function workbookSheetNames(path: string): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  const directory = await unzipper.Open.file(path);
  const part = async (name: string) => (await directory.files.find((file) => file.path === name)?.buffer())?.toString('utf8');
  const [workbook, relationships] = await Promise.all([part('xl/workbook.xml'), part('xl/_rels/workbook.xml.rels')]);
  if (!workbook || !relationships) return names;
  const targets = new Map<string, string>();
  for (const [tag] of relationships.matchAll(/<(?:[\w.-]+:)?Relationship\b[^>]*>/g)) {
    const id = attribute(tag, 'Id');
    const sheetNumber = /worksheets\/sheet(\d+)\.xml$/.exec(attribute(tag, 'Target') ?? '')?.[1];
    if (id && sheetNumber) targets.set(id, sheetNumber);
  }
  for (const [tag] of workbook.matchAll(/<(?:[\w.-]+:)?sheet\b[^>]*>/g)) {
    const name = attribute(tag, 'name');
    const sheetNumber = targets.get(attribute(tag, 'id', true) ?? '');
    if (name !== undefined && sheetNumber) names.set(sheetNumber, name);
  }
  return names;
}
