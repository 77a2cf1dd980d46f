/**
 * Runs chart queries: one read-only transaction with a statement time limit and the chart
 * time zone (`SET LOCAL` through set_config, values bound). A query over its limit answers
 * 503 `chart_timeout` instead of holding a connection.
 */
import type { Knex } from 'knex';
import { LiuzhuanError, ValidationError } from '../errors.ts';
import { shapeDetailRows, type ChartReader } from './access.ts';
import { buildChart, conditions, type ChartColumn } from './build.ts';
import { CHART_TIME_ZONE } from './filters.ts';
import { joinSql, sql, type Sql } from './fields.ts';
import { ajvDetails, checkChartQuery, chartQuerySchema, chartSourceSchema, type ChartFilter, type ChartQuery, type ChartSource } from './query.ts';
import { planSource } from './source.ts';
import { Ajv } from 'ajv';

export const CHART_TIMEOUT_MS = 5000;
export const MAX_DETAIL_PAGE_SIZE = 200;

export interface ChartAnswer {
  columns: ChartColumn[];
  rows: Record<string, string | number | boolean | null>[];
  truncated: boolean;
}

/** Runs `work` in a read-only transaction limited to `timeoutMs`, dates in the chart time zone. */
export async function readOnly<T>(db: Knex, timeoutMs: number, work: (trx: Knex.Transaction) => Promise<T>): Promise<T> {
  try {
    return await db.transaction(async (trx) => {
      // One round trip: read-only (nothing a chart runs may write), the time limit, the chart time zone.
      await trx.raw(
        `SELECT set_config('transaction_read_only', 'on', true), set_config('statement_timeout', ?, true), set_config('TimeZone', ?, true)`,
        [String(timeoutMs), CHART_TIME_ZONE],
      );
      return work(trx);
    });
  } catch (err) {
    if ((err as { code?: string }).code === '57014') {
      throw new LiuzhuanError('chart_timeout', `The chart query took longer than ${timeoutMs / 1000} s; narrow it with filters`, 503);
    }
    throw err;
  }
}

function number(value: unknown): unknown {
  // numeric and bigint come back as text; a chart wants numbers.
  return typeof value === 'string' && value !== '' && !Number.isNaN(Number(value)) ? Number(value) : value;
}

async function departmentOptions(db: Knex): Promise<ChartColumn['options']> {
  const rows: { code: string; name: string; name_en: string | null }[] = await db('departments').select('code', 'name', 'name_en').orderBy('code');
  return rows.map((row) => ({ value: row.code, label: { 'zh-CN': row.name, en: row.name_en ?? row.name } }));
}

export async function runChartQuery(db: Knex, reader: ChartReader, body: unknown, now = new Date(), timeoutMs = CHART_TIMEOUT_MS): Promise<ChartAnswer> {
  const query: ChartQuery = checkChartQuery(body);
  const plan = await planSource(db, reader, query.source);
  const built = buildChart(plan, query, now);
  const result = await readOnly(db, timeoutMs, (trx) => trx.raw(built.statement.sql, built.statement.bindings as Knex.RawBinding[]));
  const rows = (result.rows as Record<string, unknown>[]).slice(0, built.limit).map((row) => {
    const out: ChartAnswer['rows'][number] = {};
    for (const column of built.columns) {
      const value = row[column.key];
      out[column.key] = (column.type === 'number' ? number(value) : value) as string | number | boolean | null;
    }
    return out;
  });
  const departments = built.columns.some((column) => column.department) ? await departmentOptions(db) : undefined;
  const columns = built.columns.map(({ department, ...column }) => (department ? { ...column, options: departments } : column));
  return { columns, rows, truncated: result.rows.length > built.limit };
}

export interface DetailQuery {
  source: ChartSource;
  filters?: ChartFilter[];
  page?: number;
  pageSize?: number;
}

const ajv = new Ajv({ allErrors: true, strict: false });
const checkDetail = ajv.compile<DetailQuery>({
  type: 'object',
  additionalProperties: false,
  required: ['source'],
  properties: {
    source: chartSourceSchema,
    filters: chartQuerySchema.properties.filters,
    page: { type: 'integer', minimum: 1, maximum: 100000 },
    pageSize: { type: 'integer', minimum: 1, maximum: MAX_DETAIL_PAGE_SIZE },
  },
});

/** Personal values are encrypted at rest (`{"$enc": …}`): a chart's detail rows never show them. */
function maskPersonal(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(maskPersonal);
  if (value && typeof value === 'object') {
    if ('$enc' in value) return '***';
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, maskPersonal(inner)]));
  }
  return value;
}

/** The rows behind a number (drill-down, detail table): `{items, total}`, newest first. */
export async function runChartRows(db: Knex, reader: ChartReader, body: unknown, now = new Date()): Promise<{ items: unknown[]; total: number; page: number; pageSize: number }> {
  if (!checkDetail(body)) {
    const details = ajvDetails(checkDetail.errors);
    throw new ValidationError(`Invalid detail query: ${details.map((d) => `${d.pointer} ${d.message}`).join('; ')}`, details, 'invalid_chart_query');
  }
  const page = body.page ?? 1;
  const pageSize = body.pageSize ?? 20;
  const plan = await planSource(db, reader, body.source);
  const where: Sql[] = [...plan.where, ...conditions(plan, body.filters, '/filters', now)];
  const whereSql = where.length ? joinSql([sql(' WHERE '), joinSql(where, ' AND ')], '') : sql('');
  const items = joinSql([sql('SELECT '), plan.detailColumns, sql(' FROM '), plan.from, whereSql, sql(` ORDER BY ${plan.detailOrder} LIMIT ? OFFSET ?`, pageSize, (page - 1) * pageSize)], '');
  const total = joinSql([sql('SELECT count(*) AS total FROM '), plan.from, whereSql], '');
  return readOnly(db, CHART_TIMEOUT_MS, async (trx) => {
    const rows = await trx.raw(items.sql, items.bindings as Knex.RawBinding[]);
    const count = await trx.raw(total.sql, total.bindings as Knex.RawBinding[]);
    return { rows: rows.rows as Record<string, any>[], total: Number(count.rows[0].total) };
  }).then(async ({ rows, total }) => {
    const items = plan.records ? await shapeDetailRows(db, await plan.records.access(), rows) : rows;
    return { items: items.map(maskPersonal), total, page, pageSize };
  });
}
