/**
 * The process heat map: per node of a definition, over its instances (one version or all,
 * started in [from, to)), how many times a token entered it, completed it, waits in it now,
 * the average and p90 time spent (completed visits) and the SLA breaches of its tasks (done
 * after their due time, or open past it). A node's instances list the instances behind it.
 * Non-admins count only instances they may read (analytics/access.ts).
 */
import type { Knex } from 'knex';
import { ValidationError } from '../errors.ts';
import { instanceCondition, type ChartReader } from './access.ts';
import { readOnly, CHART_TIMEOUT_MS } from './run.ts';
import { joinSql, sql, type Sql } from './fields.ts';

export interface HeatmapNode {
  elementId: string;
  entered: number;
  completed: number;
  open: number;
  avgMs: number | null;
  p90Ms: number | null;
  slaBreached: number;
}

export interface HeatmapRange {
  version?: string;
  from?: string;
  to?: string;
}

const DATE = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;
const ELEMENT = /^[A-Za-z_][\w.-]{0,199}$/;

function instanceFilter(reader: ChartReader, key: string, range: HeatmapRange): Sql {
  const parts: Sql[] = [sql('hi.definition_key = ?', key)];
  if (range.version !== undefined && range.version !== '') {
    if (!/^\d{1,6}$/.test(range.version)) throw new ValidationError('"version" must be a whole number', [{ pointer: 'version', message: 'not a whole number' }]);
    parts.push(sql('hi.definition_id = (SELECT id FROM process_definitions WHERE key = ? AND version = ?)', key, Number(range.version)));
  }
  for (const [name, operator] of [['from', '>='], ['to', '<']] as const) {
    const value = range[name];
    if (value === undefined || value === '') continue;
    if (!DATE.test(value)) throw new ValidationError(`"${name}" is not a date`, [{ pointer: name, message: 'expected YYYY-MM-DD, optionally with a time' }]);
    parts.push(sql(`hi.started_at ${operator} CAST(? AS timestamptz)`, value));
  }
  const access = instanceCondition(reader, 'hi.id');
  if (access) parts.push(access);
  return joinSql(parts, ' AND ');
}

export async function definitionHeatmap(db: Knex, reader: ChartReader, key: string, range: HeatmapRange): Promise<{ nodes: HeatmapNode[] }> {
  const scope = instanceFilter(reader, key, range);
  const statement = `
    WITH scoped AS (SELECT hi.id, hi.status FROM process_instances hi WHERE ${scope.sql}),
    visits AS (
      SELECT h.element_id,
             count(*) AS entered,
             count(*) FILTER (WHERE h.ended_at IS NOT NULL AND NOT h.cancelled) AS completed,
             count(*) FILTER (WHERE h.ended_at IS NULL AND s.status IN ('active', 'incident')) AS open,
             avg(EXTRACT(EPOCH FROM (h.ended_at - h.started_at)) * 1000) FILTER (WHERE h.ended_at IS NOT NULL AND NOT h.cancelled) AS avg_ms,
             percentile_cont(0.9) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM (h.ended_at - h.started_at)) * 1000)
               FILTER (WHERE h.ended_at IS NOT NULL AND NOT h.cancelled) AS p90_ms
        FROM activity_history h JOIN scoped s ON s.id = h.instance_id
       GROUP BY h.element_id),
    breaches AS (
      SELECT t.element_id, count(*) AS breached
        FROM tasks t JOIN scoped s ON s.id = t.instance_id
       WHERE t.due_at IS NOT NULL AND ((t.status = 'completed' AND t.ended_at > t.due_at) OR (t.status = 'open' AND now() > t.due_at))
       GROUP BY t.element_id)
    SELECT v.element_id, v.entered, v.completed, v.open, v.avg_ms, v.p90_ms, COALESCE(b.breached, 0) AS breached
      FROM visits v LEFT JOIN breaches b ON b.element_id = v.element_id
     ORDER BY v.element_id`;
  const result = await readOnly(db, CHART_TIMEOUT_MS, (trx) => trx.raw(statement, scope.bindings as Knex.RawBinding[]));
  const num = (value: unknown) => (value === null || value === undefined ? null : Math.round(Number(value)));
  return {
    nodes: (result.rows as Record<string, unknown>[]).map((row) => ({
      elementId: row.element_id as string,
      entered: Number(row.entered),
      completed: Number(row.completed),
      open: Number(row.open),
      avgMs: num(row.avg_ms),
      p90Ms: num(row.p90_ms),
      slaBreached: Number(row.breached),
    })),
  };
}

/** The instances that passed (or wait in) a node, newest first. */
export async function heatmapInstances(
  db: Knex, reader: ChartReader, key: string, elementId: string, range: HeatmapRange & { page?: number; pageSize?: number },
): Promise<{ items: unknown[]; total: number; page: number; pageSize: number }> {
  if (!ELEMENT.test(elementId)) throw new ValidationError('Not an element id', [{ pointer: 'elementId', message: 'not an element id' }]);
  const page = range.page ?? 1;
  const pageSize = range.pageSize ?? 20;
  const scope = instanceFilter(reader, key, range);
  const base = `FROM process_instances hi WHERE ${scope.sql}
    AND EXISTS (SELECT 1 FROM activity_history h WHERE h.instance_id = hi.id AND h.element_id = ?)`;
  const bindings = [...scope.bindings, elementId] as Knex.RawBinding[];
  return readOnly(db, CHART_TIMEOUT_MS, async (trx) => {
    const rows = await trx.raw(
      `SELECT hi.id, hi.definition_key AS "definitionKey", hi.business_key AS "businessKey", hi.status, hi.started_by AS "startedBy",
              hi.started_at AS "startedAt", hi.ended_at AS "endedAt",
              EXISTS (SELECT 1 FROM activity_history w WHERE w.instance_id = hi.id AND w.element_id = ? AND w.ended_at IS NULL) AS "waitingHere"
       ${base} ORDER BY hi.started_at DESC, hi.id LIMIT ? OFFSET ?`,
      [elementId, ...bindings, pageSize, (page - 1) * pageSize],
    );
    const count = await trx.raw(`SELECT count(*) AS total ${base}`, bindings);
    return { items: rows.rows, total: Number(count.rows[0].total), page, pageSize };
  });
}
