/**
 * Export of a form's records as .xlsx (`GET /api/forms/:key/records/export.xlsx`), streamed
 * page by page to the response: the same rows, permissions, masking and audit row as the CSV
 * export (engine/access/export.ts) — rows the caller may view and export, filtered and sorted
 * like the list, cells only for fields visible on that row, personal fields masked unless
 * `unmask=true` and the caller holds `unmask` on the row. The columns are fixed before the
 * first row is written: the fields some group that lets the caller view shows (all for an
 * admin or a form without groups); a field no group shows is no column at all. Headers are the
 * field labels in the caller's language, options their labels, dates real Excel dates.
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

  query.pageSize = PAGE;
  query.page = 1;
  let page = await queryRecords(db, formKey, query, visible);
  const rows = Math.min(page.total, MAX_XLSX_EXPORT_ROWS);
  options.begin({ truncated: page.total > MAX_XLSX_EXPORT_ROWS, rows });

  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  const sheet = workbook.addWorksheet(titleOf(formKey, form?.schema as Json, undefined, locale).slice(0, 31).replace(/[\\/?*[\]:]/g, '_'));
  sheet.columns = [
    { header: 'id', key: 'id', width: 38 },
    { header: locale === 'en' ? 'Created at' : '创建时间', key: 'createdAt', width: 22 },
    ...columns.map((name) => ({
      header: titleOf(name, access.fields.get(name), uiSchema[name], locale),
      key: name,
      width: 18,
      style: (access.fields.get(name) as Json | undefined)?.format === 'date' ? { numFmt: 'yyyy-mm-dd' } : {},
    })),
  ];
  sheet.getRow(1).font = { bold: true };
  let written = 0;
  let unmaskedRows = 0;
  while (page.items.length && written < MAX_XLSX_EXPORT_ROWS) {
    await resolveRows(db, access, page.items);
    for (const record of page.items) {
      if (written >= MAX_XLSX_EXPORT_ROWS) break;
      const rights = rightsOn(access, record);
      const clear = unmask && rights.actions.has('unmask');
      if (clear) unmaskedRows += 1;
      const data = pickFields(record.data ?? {}, rights.visible);
      const cells = clear ? data : maskPersonalData(access.schema, data);
      const row: Record<string, unknown> = { id: record.id, createdAt: new Date(record.createdAt) };
      for (const name of columns) row[name] = cellOf(cells[name], access.fields.get(name) as Json | undefined, targets.get(name), locale);
      sheet.addRow(row).commit();
      written += 1;
    }
    // Rows that arrive while the export runs may shift a page: acceptable for an export, as for the list.
    if (page.items.length < PAGE) break;
    query.page += 1;
    page = await queryRecords(db, formKey, query, visible);
    access.rows.clear();
  }
  sheet.commit();
  await workbook.commit();
  await appendAudit(db, {
    actor: user,
    action: 'record.export',
    formKey,
    subject: `${written} records`,
    details: { format: 'xlsx', rows: written, total: page.total, unmask, unmaskedRows, query: pairs.slice(0, 30) },
    ip: options.ip ?? null,
  });
}
