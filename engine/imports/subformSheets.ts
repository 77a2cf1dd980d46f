/**
 * Sub-form rows in an .xlsx import: one extra sheet per sub-form (a field of the JSON-Schema
 * shape `array` of `object`, the form designer's 子表单), whose lines join the main sheet's rows
 * by a key column — the record id column an export writes, a contract number, any column
 * whose header both sheets share. A CSV is one table and brings no sub-form rows.
 *
 * Memory: the main sheet streams by and is never held, so the extra sheets are read FIRST,
 * whole, into a key → lines index (buildSubRowIndex), bounded at upload by MAX_SUBFORM_ROWS
 * lines and MAX_SUBFORM_CHARS characters (scan.ts refuses a bigger file with a 422 naming the
 * limit). A main row takes its lines out of the index; what is left at the end matched no row
 * and is refused. The alternative, both sheets sorted by key and merged, would hold nothing
 * but breaks on any sheet a person sorted differently: a bounded index fails loudly instead.
 */
import { ValidationError } from '../errors.ts';
import { autoMapping, fieldTargets, fieldTitles, type FieldTarget } from './fieldTargets.ts';
import type { ScannedSheet } from './scan.ts';
import { workbookRows } from './sheetRows.ts';
import type { CellValue, ImportSheetView, ImportSubform } from './types.ts';

type Json = Record<string, any>;

export interface SubformTarget {
  name: string;
  title: { 'zh-CN': string; en: string };
  targets: FieldTarget[];
}

/** The join chosen for an import: the main sheet's key column and, per extra sheet, its sub-form. */
export interface SheetMapping {
  keyColumn: number | null;
  sheets: { subform: string | null; keyColumn: number | null; mapping: (string | null)[] }[];
}

/** One line of a sub-form sheet. */
export interface SubRow {
  /** The sheet's position among the job's extra sheets (ScannedSheet[], SheetMapping.sheets). */
  sheet: number;
  rowNumber: number;
  cells: CellValue[];
}

const normalised = (text: string) => text.replace(/[\s*＊:：]/g, '').toLocaleLowerCase();

/** The key a cell holds: its text, trimmed ('' = no key). */
export function keyOf(cell: CellValue | undefined): string {
  return cell === null || cell === undefined ? '' : String(cell).trim();
}

function isSubform(schema: Json | undefined): boolean {
  if (!schema || typeof schema !== 'object') return false;
  const type = Array.isArray(schema.type) ? schema.type.find((t: unknown) => t !== 'null') : schema.type;
  const items = schema.items as Json | undefined;
  return type === 'array' && !!items && items.type === 'object' && !!items.properties;
}

/** The form's sub-form fields with the importable fields of their rows (top level only). */
export function subformTargets(schema: Json, uiSchema: Json): SubformTarget[] {
  const properties = (schema.properties ?? {}) as Record<string, Json>;
  const order = Array.isArray(uiSchema['ui:order']) ? (uiSchema['ui:order'] as string[]).filter((name) => name in properties) : [];
  const names = [...order, ...Object.keys(properties).filter((name) => !order.includes(name))];
  return names
    .filter((name) => isSubform(properties[name]))
    .map((name) => {
      const field = properties[name]!;
      const ui = (uiSchema[name] ?? {}) as Json;
      return { name, title: fieldTitles(name, field, ui), targets: fieldTargets(field.items as Json, (ui.items ?? {}) as Json) };
    });
}

export function subformViews(subforms: SubformTarget[]): ImportSubform[] {
  return subforms.map((s) => ({ name: s.name, title: s.title, fields: s.targets.map((t) => ({ name: t.name, title: t.title, required: t.required })) }));
}

/**
 * The join guessed from the labels: a sheet named like a sub-form (key, zh-CN or en label)
 * takes it; its key column is the first one whose header a main-sheet column also has (the
 * export's `id`), the rest are matched to the sub-form's fields by label.
 */
export function autoSheetMapping(mainHeaders: string[], sheets: ScannedSheet[], subforms: SubformTarget[]): SheetMapping {
  const taken = new Set<string>();
  let keyColumn: number | null = null;
  const mapped = sheets.map((sheet) => {
    const wanted = normalised(sheet.name);
    const subform = subforms.find((s) => !taken.has(s.name) && [s.name, s.title['zh-CN'], s.title.en].some((label) => normalised(label) === wanted));
    const unmapped = { subform: null, keyColumn: null, mapping: sheet.headers.map(() => null) };
    if (!subform) return unmapped;
    const mainKeys = keyColumn === null ? mainHeaders.map(normalised) : [normalised(mainHeaders[keyColumn]!)];
    const sheetKey = sheet.headers.findIndex((header) => normalised(header) !== '' && mainKeys.includes(normalised(header)));
    if (sheetKey < 0) return unmapped;
    keyColumn ??= mainHeaders.findIndex((header) => normalised(header) === normalised(sheet.headers[sheetKey]!));
    taken.add(subform.name);
    const mapping = autoMapping(sheet.headers, subform.targets);
    mapping[sheetKey] = null;
    return { subform: subform.name, keyColumn: sheetKey, mapping };
  });
  return { keyColumn: mapped.some((s) => s.subform) ? keyColumn : null, sheets: mapped };
}

/** 422 unless the join names real columns and sub-forms, each sub-form and field at most once. */
export function checkSheetMapping(chosen: SheetMapping, mainHeaders: string[], sheets: ScannedSheet[], subforms: SubformTarget[], en: boolean): void {
  const details: { pointer: string; message: string }[] = [];
  const add = (pointer: string, message: string, zh: string) => details.push({ pointer, message: en ? message : zh });
  if (chosen.sheets.length !== sheets.length) add('/sheets', `must have ${sheets.length} entries, one per extra sheet`, `应有 ${sheets.length} 项，每个附加工作表一项`);
  const anyMapped = chosen.sheets.some((s) => s.subform !== null);
  if (anyMapped && (chosen.keyColumn === null || chosen.keyColumn >= mainHeaders.length)) {
    add('/keyColumn', 'choose the main sheet column that the sub-form sheets join by', '请选择主表中用于关联子表单工作表的列');
  }
  const used = new Set<string>();
  chosen.sheets.forEach((entry, i) => {
    const sheet = sheets[i];
    if (!sheet || entry.subform === null) return;
    const subform = subforms.find((s) => s.name === entry.subform);
    if (!subform) return add(`/sheets/${i}/subform`, `"${entry.subform}" is not a sub-form of this form`, `「${entry.subform}」不是本表单的子表单`);
    if (used.has(subform.name)) add(`/sheets/${i}/subform`, `"${subform.name}" is mapped to two sheets`, `「${subform.name}」对应了两个工作表`);
    used.add(subform.name);
    if (entry.keyColumn === null || entry.keyColumn >= sheet.headers.length) {
      add(`/sheets/${i}/keyColumn`, `choose the column of sheet "${sheet.name}" holding the key`, `请选择工作表「${sheet.name}」中的关联列`);
    }
    if (entry.mapping.length !== sheet.headers.length) {
      add(`/sheets/${i}/mapping`, `must have ${sheet.headers.length} entries, one per column of sheet "${sheet.name}"`, `应有 ${sheet.headers.length} 项，对应工作表「${sheet.name}」的每一列`);
    }
    const names = new Set(subform.targets.map((t) => t.name));
    const seen = new Set<string>();
    entry.mapping.forEach((field, column) => {
      if (field === null) return;
      if (!names.has(field)) add(`/sheets/${i}/mapping/${column}`, `"${field}" is not a field of sub-form "${subform.name}"`, `「${field}」不是子表单「${subform.name}」的字段`);
      else if (seen.has(field)) add(`/sheets/${i}/mapping/${column}`, `"${field}" is mapped twice`, `「${field}」被映射了两次`);
      else if (column === entry.keyColumn) add(`/sheets/${i}/mapping/${column}`, 'the key column joins the sheets and is not imported', '关联列只用于关联，不导入');
      seen.add(field);
    });
  });
  if (details.length) throw new ValidationError(en ? 'Invalid sub-form sheet mapping' : '子表单工作表的对应有误', details);
}

export type SubRowIndex = Map<string, SubRow[]>;

/**
 * The lines of the mapped extra sheets by key, in file order (read before the main sheet; the
 * scan bounded their size). Lines without a key are returned apart: they join no row.
 */
export async function buildSubRowIndex(path: string, sheets: ScannedSheet[], chosen: SheetMapping): Promise<{ index: SubRowIndex; keyless: SubRow[] }> {
  const index: SubRowIndex = new Map();
  const keyless: SubRow[] = [];
  const headerSeen = new Set<number>();
  // chosen.sheets[i] is for sheets[i], the workbook's sheet number sheets[i].index.
  const entries = new Map(sheets.map((sheet, i) => [sheet.index, { entry: chosen.sheets[i], position: i }]));
  for await (const row of workbookRows(path)) {
    if (row.sheet === 0) continue;
    const { entry, position } = entries.get(row.sheet) ?? {};
    if (!entry || position === undefined || entry.subform === null || entry.keyColumn === null) continue;
    if (!headerSeen.has(row.sheet)) {
      headerSeen.add(row.sheet);
      continue;
    }
    const line: SubRow = { sheet: position, rowNumber: row.rowNumber, cells: row.cells };
    const key = keyOf(row.cells[entry.keyColumn]);
    if (!key) keyless.push(line);
    else {
      const lines = index.get(key);
      if (lines) lines.push(line);
      else index.set(key, [line]);
    }
  }
  return { index, keyless };
}

/** The preview's index: the lines kept at upload (each sheet's first SUB_PREVIEW_ROWS). */
export function previewSubRowIndex(sheets: ScannedSheet[], chosen: SheetMapping): SubRowIndex {
  const index: SubRowIndex = new Map();
  sheets.forEach((sheet, i) => {
    const entry = chosen.sheets[i];
    if (!entry || entry.subform === null || entry.keyColumn === null) return;
    for (const row of sheet.preview) {
      const key = keyOf(row.cells[entry.keyColumn]);
      if (!key) continue;
      index.set(key, [...(index.get(key) ?? []), { sheet: i, rowNumber: row.rowNumber, cells: row.cells }]);
    }
  });
  return index;
}

export function sheetViews(sheets: ScannedSheet[], chosen: SheetMapping): ImportSheetView[] {
  return sheets.map((sheet, i) => ({
    name: sheet.name,
    headers: sheet.headers,
    totalRows: sheet.totalRows,
    subform: chosen.sheets[i]?.subform ?? null,
    keyColumn: chosen.sheets[i]?.keyColumn ?? null,
    mapping: chosen.sheets[i]?.mapping ?? sheet.headers.map(() => null),
  }));
}
