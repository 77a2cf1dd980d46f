/**
 * Export of a form's records as .xlsx (`GET /api/forms/:key/records/export.xlsx`), streamed
 * page by page to the response: the same rows, permissions, masking and audit row as the CSV
 * export (engine/access/export.ts) — rows the caller may view and export, filtered and sorted
 * like the list, cells only for fields visible on that row, personal fields masked unless
 * `unmask=true` and the caller holds `unmask` on the row. The columns are fixed before the
 * first row is written: the fields some group that lets the caller view shows (all for an
 * admin or a form without groups); a field no group shows is no column at all. Headers are the
 * field labels in the caller's language, options their labels, dates real Excel dates.
 *
 * Sub-forms (子表单) are extra sheets, one per visible sub-form, after the main one: a line per
 * sub-form row, the parent record's `id` first (the key the import joins them by,
 * subformSheets.ts), then the sub-form's fields by label — the file reads back through the
 * import. A streamed workbook writes one sheet at a time (a sheet opened early buffers in
 * memory until the ones before it are done), so each sub-form sheet is a further pass over the
 * same query, page by page, after the main sheet is committed.
 */
import type { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import type { Knex } from 'knex';
import { assertMay, formAccess, pickFields, resolveRows, rightsOn, rowCondition, type FormAccess } from '../access/index.ts';
import { and } from '../access/filter.ts';
import { maskPersonalData } from '../access/masking.ts';
import { appendAudit } from '../audit/log.ts';
import { parseQueryFor } from '../forms/records.ts';
import type { AuthUser } from '../identity/types.ts';
import { getFormVersion } from '../store/forms.ts';
import { queryRecords } from '../store/records.ts';
import { fieldTargets, type FieldTarget } from './fieldTargets.ts';
import { subformTargets } from './subformSheets.ts';

/** At most this many rows in one file: a bigger export is a narrower filter away. */
export const MAX_XLSX_EXPORT_ROWS = 100_000;
const PAGE = 1000;

type Json = Record<string, any>;

/** Fields a non-admin sees on some row: the union of the visible lists of the groups that let them view. */
function columnFields(access: FormAccess): Set<string> | '*' {
  if (access.admin || access.implicit) return '*';
  const names = new Set<string>();
  for (const { group } of access.groups) {
    if (!group.actions.includes('view')) continue;
    if (group.fields.visible === '*') return '*';
    for (const name of group.fields.visible) names.add(name);
  }
  return names;
}

function titleOf(name: string, schema: Json | undefined, ui: Json | undefined, locale: 'zh-CN' | 'en'): string {
  const title = ui?.['ui:title'] ?? schema?.title;
  if (typeof title === 'string') return title;
  if (title && typeof title === 'object') return title[locale] ?? title['zh-CN'] ?? title.en ?? name;
  return name;
}

function cellOf(value: unknown, schema: Json | undefined, target: FieldTarget | undefined, locale: 'zh-CN' | 'en'): unknown {
  if (value === undefined || value === null) return null;
  const label = (v: unknown) => {
    const option = target?.options?.find((o) => o.value === v);
    return option ? (option.byLocale[locale] ?? option.labels[0] ?? String(v)) : v;
  };
  if (target?.kind === 'choice') return label(value);
  if (Array.isArray(value)) return value.map((v) => (typeof v === 'object' ? JSON.stringify(v) : label(v))).join(locale === 'en' ? ', ' : '、');
  if (schema?.format === 'date' && typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) return new Date(`${value}T00:00:00Z`);
  if (typeof value === 'object') return JSON.stringify(value);
  return value;
}

export interface XlsxExportStart {
  /** More rows matched than one file holds. */
  truncated: boolean;
  rows: number;
}

export async function exportRecordsXlsx(
  db: Knex,
  user: AuthUser,
  formKey: string,
  params: Iterable<[string, string]>,
  out: Writable,
  options: { ip?: string | null; begin: (start: XlsxExportStart) => void },
): Promise<void> {
  const access = await formAccess(db, user, formKey);
  await assertMay(db, access, 'export');
  const pairs = [...params];
  const unmask = pairs.some(([name, value]) => name === 'unmask' && value === 'true');
  const query = await parseQueryFor(db, formKey, pairs.filter(([name]) => name !== 'unmask' && name !== 'page' && name !== 'pageSize'), access);
  const visible = access.admin ? undefined : and(rowCondition(access, 'view'), rowCondition(access, 'export'));
  const form = await getFormVersion(db, formKey);
  const uiSchema = (form?.uiSchema ?? {}) as Json;
  const targets = new Map(fieldTargets(access.schema as Json, uiSchema).map((t) => [t.name, t]));
  const locale = user.locale === 'en' ? 'en' : 'zh-CN';
  const shown = columnFields(access);
  // Form order: the uiSchema's ui:order first (stored schemas do not keep their key order).
  const order = Array.isArray(uiSchema['ui:order']) ? (uiSchema['ui:order'] as string[]).filter((name) => access.fields.has(name)) : [];
  const columns = [...order, ...[...access.fields.keys()].filter((name) => !order.includes(name))].filter((name) => shown === '*' || shown.has(name));

  const subforms = subformTargets(access.schema as Json, uiSchema).filter((subform) => columns.includes(subform.name));
  const mainColumns = columns.filter((name) => !subforms.some((subform) => subform.name === name));

  query.pageSize = PAGE;
  query.page = 1;
  let firstPage: Awaited<ReturnType<typeof queryRecords>> | undefined = await queryRecords(db, formKey, query, visible);
  const total = firstPage.total;
  options.begin({ truncated: total > MAX_XLSX_EXPORT_ROWS, rows: Math.min(total, MAX_XLSX_EXPORT_ROWS) });

  /** The rows of the export, page by page, each with the cells the caller may see (masked unless unmasked). */
  async function* exportedRows(): AsyncGenerator<{ id: string; createdAt: string; cells: Record<string, unknown>; clear: boolean }> {
    let page = firstPage ?? (await queryRecords(db, formKey, { ...query, page: 1 }, visible));
    firstPage = undefined; // the first page (read to know the total) serves the first pass only
    let pageNumber = 1;
    let written = 0;
    while (page.items.length && written < MAX_XLSX_EXPORT_ROWS) {
      await resolveRows(db, access, page.items);
      for (const record of page.items) {
        if (written >= MAX_XLSX_EXPORT_ROWS) return;
        const rights = rightsOn(access, record);
        const clear = unmask && rights.actions.has('unmask');
        const data = pickFields(record.data ?? {}, rights.visible);
        yield { id: record.id, createdAt: record.createdAt, cells: clear ? data : maskPersonalData(access.schema, data), clear };
        written += 1;
      }
      // Rows that arrive while the export runs may shift a page: acceptable for an export, as for the list.
      if (page.items.length < PAGE) return;
      pageNumber += 1;
      access.rows.clear();
      page = await queryRecords(db, formKey, { ...query, page: pageNumber }, visible);
    }
  }

  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  const sheetNames = new Set<string>();
  /** Excel's sheet names: at most 31 characters, none of \ / ? * [ ] :, unique whatever their case. */
  const sheetName = (title: string) => {
    const base = title.replace(/[\\/?*[\]:]/g, '_').slice(0, 31) || 'Sheet';
    let name = base;
    for (let n = 2; sheetNames.has(name.toLocaleLowerCase()); n++) name = `${base.slice(0, 28)} ${n}`;
    sheetNames.add(name.toLocaleLowerCase());
    return name;
  };
  const sheet = workbook.addWorksheet(sheetName(titleOf(formKey, { title: form?.title }, uiSchema, locale)));
  sheet.columns = [
    { header: 'id', key: 'id', width: 38 },
    { header: locale === 'en' ? 'Created at' : '创建时间', key: 'createdAt', width: 22 },
    ...mainColumns.map((name) => ({
      header: titleOf(name, access.fields.get(name), uiSchema[name], locale),
      key: name,
      width: 18,
      style: (access.fields.get(name) as Json | undefined)?.format === 'date' ? { numFmt: 'yyyy-mm-dd' } : {},
    })),
  ];
  sheet.getRow(1).font = { bold: true };
  let written = 0;
  let unmaskedRows = 0;
  for await (const { id, createdAt, cells, clear } of exportedRows()) {
    if (clear) unmaskedRows += 1;
    const row: Record<string, unknown> = { id, createdAt: new Date(createdAt) };
    for (const name of mainColumns) row[name] = cellOf(cells[name], access.fields.get(name) as Json | undefined, targets.get(name), locale);
    sheet.addRow(row).commit();
    written += 1;
  }
  sheet.commit();

  for (const subform of subforms) {
    const itemSchema = ((access.fields.get(subform.name) as Json | undefined)?.items ?? {}) as Json;
    const itemUi = ((uiSchema[subform.name] as Json | undefined)?.items ?? {}) as Json;
    const fields = subform.targets;
    const subSheet = workbook.addWorksheet(sheetName(subform.title[locale]));
    subSheet.columns = [
      { header: 'id', key: 'id', width: 38 },
      ...fields.map((field) => ({
        header: titleOf(field.name, itemSchema.properties?.[field.name], itemUi[field.name], locale),
        key: field.name,
        width: 18,
        style: itemSchema.properties?.[field.name]?.format === 'date' ? { numFmt: 'yyyy-mm-dd' } : {},
      })),
    ];
    subSheet.getRow(1).font = { bold: true };
    const fieldTargetsByName = new Map(fields.map((field) => [field.name, field]));
    for await (const { id, cells } of exportedRows()) {
      const items = cells[subform.name];
      if (!Array.isArray(items)) continue;
      for (const item of items) {
        if (!item || typeof item !== 'object') continue;
        const row: Record<string, unknown> = { id };
        for (const field of fields) row[field.name] = cellOf((item as Json)[field.name], itemSchema.properties?.[field.name], fieldTargetsByName.get(field.name), locale);
        subSheet.addRow(row).commit();
      }
    }
    subSheet.commit();
  }
  // Before the file's end is sent (as the task-list export): no complete file leaves untraced.
  await appendAudit(db, {
    actor: user,
    action: 'record.export',
    formKey,
    subject: `${written} records`,
    details: { format: 'xlsx', rows: written, total, unmask, unmaskedRows, query: pairs.slice(0, 30) },
    ip: options.ip ?? null,
  });
  await workbook.commit();
}
