/**
 * Runs chart queries: one read-only transaction with a statement time limit, the chart
 * time zone and planner settings for charts (`SET LOCAL` through set_config, values bound). A query over its limit answers
 * 503 `chart_timeout` instead of holding a connection.
 */
import type { Knex } from 'knex';
import { LiuzhuanError, ValidationError } from '../errors.ts';
import { shapeDetailRows, type ChartReader } from './access.ts';
import { buildChart, conditions, type ChartColumn } from './build.ts';
import { CHART_TIME_ZONE } from './filters.ts';
import { joinSql, sql, type DateReading, type Sql } from './fields.ts';
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
      // No parallel workers: starting them costs more here than the index range they would share
      // (a 90-day chart ran 3× slower with them on 2 cores), and a dashboard already runs its
      // widgets side by side. Memory enough to group a range's rows without spilling to disk.
      await trx.raw(
        `SELECT set_config('transaction_read_only', 'on', true), set_config('statement_timeout', ?, true), set_config('TimeZone', ?, true),
                set_config('max_parallel_workers_per_gather', '0', true), set_config('work_mem', '32MB', true)`,
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

/** PostgreSQL's answers to a date text that does not parse (invalid format, field out of range, bad offset). */
const BAD_DATE_TEXT = new Set(['22007', '22008', '22009']);

/**
 * Runs `attempt` with the fast date reading; when a stored date-shaped text does not parse
 * (fields.ts, DateReading), once more with the safe one. Either way the numbers are those of
 * the records whose dates parse.
 */
async function withDateReadings<T>(attempt: (dates: DateReading) => Promise<T>): Promise<T> {
  try {
    return await attempt('fast');
  } catch (error) {
    if (!BAD_DATE_TEXT.has((error as { code?: string }).code ?? '')) throw error;
    return attempt('safe');
  }
}

export async function runChartQuery(db: Knex, reader: ChartReader, body: unknown, now = new Date(), timeoutMs = CHART_TIMEOUT_MS): Promise<ChartAnswer> {
  const query: ChartQuery = checkChartQuery(body);
  const { built, result } = await withDateReadings(async (dates) => {
    const built = buildChart(await planSource(db, reader, query.source, dates), query, now);
    const result = await readOnly(db, timeoutMs, (trx) => trx.raw(built.statement.sql, built.statement.bindings as Knex.RawBinding[]));
    return { built, result };
  });
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
  const { plan, rows, total } = await withDateReadings(async (dates) => {
    const plan = await planSource(db, reader, body.source, dates);
    const where: Sql[] = [...plan.where, ...conditions(plan, body.filters, '/filters', now)];
    const whereSql = where.length ? joinSql([sql(' WHERE '), joinSql(where, ' AND ')], '') : sql('');
    const items = joinSql([sql('SELECT '), plan.detailColumns, sql(' FROM '), plan.from, whereSql, sql(` ORDER BY ${plan.detailOrder} LIMIT ? OFFSET ?`, pageSize, (page - 1) * pageSize)], '');
    const total = joinSql([sql('SELECT count(*) AS total FROM '), plan.from, whereSql], '');
    return readOnly(db, CHART_TIMEOUT_MS, async (trx) => {
      const rows = await trx.raw(items.sql, items.bindings as Knex.RawBinding[]);
      const count = await trx.raw(total.sql, total.bindings as Knex.RawBinding[]);
      return { plan, rows: rows.rows as Record<string, any>[], total: Number(count.rows[0].total) };
    });
  });
  const items = plan.records ? await shapeDetailRows(db, await plan.records.access(), rows) : rows;
  return { items: items.map(maskPersonal), total, page, pageSize };
}
