/**
 * Export of a form's records as CSV (`GET /api/forms/:key/records/export`): the rows the user
 * may both view and export, filtered and sorted like the list (the same refusal of fields they
 * may not query), each row's cells only for fields they may see on it, personal fields masked
 * unless they asked to unmask and hold `unmask` on that row. Every export is an audit row.
 *
 * The file starts with a UTF-8 BOM (Excel, which Chinese offices open it with, otherwise
 * reads it as GBK) and cells that a spreadsheet would run as a formula get a leading `'`.
 * A sub-form (an array of objects) is one readable cell, a row per line: `产品: 螺丝, 数量: 3`
 * (a CSV is one table; the .xlsx export gives sub-forms sheets of their own that import back).
 */
import type { Knex } from 'knex';
import { appendAudit } from '../audit/log.ts';
import { parseQueryFor } from '../forms/records.ts';
import type { AuthUser } from '../identity/types.ts';
import { fieldOptions } from '../forms/optionLabels.ts';
import { getFormVersion } from '../store/forms.ts';
import { queryRecords } from '../store/records.ts';
import { and } from './filter.ts';
import { assertMay, formAccess, pickFields, resolveRows, rightsOn, rowCondition } from './evaluate.ts';
import { maskPersonalData } from './masking.ts';

/** At most this many rows in one file: a bigger export is a narrower filter away. */
export const MAX_EXPORT_ROWS = 5000;

function csvCell(value: unknown): string {
  if (value === undefined || value === null) return '';
  let text = typeof value === 'object' ? JSON.stringify(value) : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A sub-form's rows as text, one line per row, each field `label: value` (labels from the items' uiSchema). */
function subformText(rows: unknown[], schema: Record<string, any> | undefined, ui: Record<string, any> | undefined, locale: string): string {
  const itemUi = (ui?.items ?? {}) as Record<string, any>;
  const names = Object.keys(schema?.items?.properties ?? {});
  const order: string[] = Array.isArray(itemUi['ui:order']) ? itemUi['ui:order'].filter((n: string) => names.includes(n)) : [];
  const fields = [...order, ...names.filter((n) => !order.includes(n))];
  return rows
    .map((row) => {
      const item = (row && typeof row === 'object' ? row : {}) as Record<string, unknown>;
      return fields
        .filter((name) => item[name] !== undefined && item[name] !== null && item[name] !== '')
        .map((name) => {
          const value = item[name];
          const option = fieldOptions(schema?.items?.properties?.[name], itemUi[name])?.find((o) => o.value === value);
          const text = option ? (option.byLocale[locale] ?? option.labels[0] ?? String(value)) : typeof value === 'object' ? JSON.stringify(value) : String(value);
          return `${titleOf(name, schema?.items?.properties?.[name], itemUi, locale)}: ${text}`;
        })
        .join(', ');
    })
    .join('\n');
}

const isSubform = (schema: Record<string, any> | undefined) => schema?.type === 'array' && schema.items?.type === 'object';

function titleOf(name: string, schema: Record<string, any> | undefined, uiSchema: Record<string, any>, locale: string): string {
  const title = uiSchema?.[name]?.['ui:title'] ?? schema?.title;
  if (typeof title === 'string') return title;
  if (title && typeof title === 'object') return title[locale] ?? title['zh-CN'] ?? title.en ?? name;
  return name;
}

export interface ExportResult {
  csv: string;
  rows: number;
  /** More rows matched than one file holds. */
  truncated: boolean;
}

export async function exportRecords(
  db: Knex,
  user: AuthUser,
  formKey: string,
  params: Iterable<[string, string]>,
  options: { ip?: string | null } = {},
): Promise<ExportResult> {
  const access = await formAccess(db, user, formKey);
  await assertMay(db, access, 'export');
  const pairs = [...params];
  const unmask = pairs.some(([name, value]) => name === 'unmask' && value === 'true');
  const query = await parseQueryFor(db, formKey, pairs.filter(([name]) => name !== 'unmask' && name !== 'page' && name !== 'pageSize'), access);
  query.page = 1;
  query.pageSize = MAX_EXPORT_ROWS;
  const visible = access.admin ? undefined : and(rowCondition(access, 'view'), rowCondition(access, 'export'));
  const page = await queryRecords(db, formKey, query, visible);
  await resolveRows(db, access, page.items);

  const uiSchema = ((await getFormVersion(db, formKey))?.uiSchema ?? {}) as Record<string, any>;
  const fieldNames = [...access.fields.keys()];
  const locale = user.locale === 'en' ? 'en' : 'zh-CN';
  const cellOf = (name: string, value: unknown) => {
    const schema = access.fields.get(name) as Record<string, any> | undefined;
    return csvCell(Array.isArray(value) && isSubform(schema) ? subformText(value, schema, uiSchema[name], locale) : value);
  };
  const seen = new Set<string>();
  const rows: string[][] = [];
  let unmaskedRows = 0;
  for (const record of page.items) {
    const rights = rightsOn(access, record);
    const clear = unmask && rights.actions.has('unmask');
    if (clear) unmaskedRows += 1;
    const data = pickFields(record.data ?? {}, rights.visible);
    const shown = clear ? data : maskPersonalData(access.schema, data);
    for (const name of Object.keys(shown)) seen.add(name);
    rows.push([record.id, record.createdAt, ...fieldNames.map((name) => cellOf(name, shown[name]))]);
  }
  // Columns: the form's fields any exported row shows (a field no row shows is no column).
  const shownColumns = fieldNames.map((name, index) => ({ name, index })).filter((c) => seen.has(c.name));
  const header = ['id', locale === 'en' ? 'Created at' : '创建时间', ...shownColumns.map((c) => titleOf(c.name, access.fields.get(c.name), uiSchema, locale))];
  const lines = [header.map(csvCell).join(',')];
  for (const row of rows) lines.push([csvCell(row[0]), csvCell(row[1]), ...shownColumns.map((c) => row[2 + c.index])].join(','));

  await appendAudit(db, {
    actor: user,
    action: 'record.export',
    formKey,
    subject: `${page.items.length} records`,
    details: { rows: page.items.length, total: page.total, unmask, unmaskedRows, query: pairs.slice(0, 30) },
    ip: options.ip ?? null,
  });
  return { csv: `\uFEFF${lines.join('\r\n')}\r\n`, rows: page.items.length, truncated: page.total > page.items.length };
}
