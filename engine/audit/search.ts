/**
 * Reading the audit log (admins): filters, free text, paging, and a CSV export that streams in
 * id-ordered batches (bounded memory) and is itself audited.
 */
import type { Knex } from 'knex';
import { ValidationError } from '../errors.ts';

export interface AuditQuery {
  actor?: string;
  action?: string;
  formKey?: string;
  recordId?: string;
  from?: string;
  to?: string;
  q?: string;
  page: number;
  pageSize: number;
}

export interface AuditItem {
  id: number;
  at: string;
  actorId: string | null;
  actor: string;
  action: string;
  formKey: string | null;
  recordId: string | null;
  subject: string | null;
  details: Record<string, unknown>;
  ip: string | null;
}

export const MAX_AUDIT_PAGE_SIZE = 200;
/** An export holds at most this many rows: narrow the filters for more. */
export const MAX_AUDIT_EXPORT_ROWS = 100_000;
const TEXT_PARAMS = ['actor', 'action', 'formKey', 'recordId', 'from', 'to', 'q'] as const;

function invalid(parameter: string, message: string): ValidationError {
  return new ValidationError(`Invalid query parameter ${parameter}: ${message}`, [{ pointer: parameter, message }], 'invalid_query');
}

/** Query-string values → a checked query; unknown parameters are refused (a typo must not widen it). */
export function parseAuditQuery(params: Record<string, unknown>): AuditQuery {
  const query: AuditQuery = { page: 1, pageSize: 50 };
  for (const [name, raw] of Object.entries(params)) {
    if (typeof raw !== 'string') throw invalid(name, 'give it once, as text');
    if (name === 'page' || name === 'pageSize') {
      if (!/^\d{1,6}$/.test(raw) || Number(raw) < 1) throw invalid(name, 'a whole number ≥ 1');
      if (name === 'pageSize' && Number(raw) > MAX_AUDIT_PAGE_SIZE) throw invalid(name, `at most ${MAX_AUDIT_PAGE_SIZE}`);
      query[name] = Number(raw);
      continue;
    }
    if (!(TEXT_PARAMS as readonly string[]).includes(name)) throw invalid(name, `unknown; use ${TEXT_PARAMS.join(', ')}, page, pageSize`);
    if (raw.length > 200) throw invalid(name, 'at most 200 characters');
    if (raw === '') continue;
    if ((name === 'from' || name === 'to') && Number.isNaN(Date.parse(raw))) throw invalid(name, `"${raw}" is not a date or time`);
    if (name === 'recordId' && !/^[0-9a-f-]{36}$/i.test(raw)) throw invalid(name, 'not a record id');
    query[name as (typeof TEXT_PARAMS)[number]] = raw;
  }
  return query;
}

function filtered(db: Knex, query: AuditQuery): Knex.QueryBuilder {
  const base = db('audit_log');
  if (query.actor) base.where('actor', query.actor);
  if (query.action) {
    // `record.` (a prefix ending in a dot) means every record action.
    if (query.action.endsWith('.')) base.whereRaw('starts_with(action, ?)', [query.action]);
    else base.where('action', query.action);
  }
  if (query.formKey) base.where('form_key', query.formKey);
  if (query.recordId) base.where('record_id', query.recordId);
  if (query.from) base.where('at', '>=', new Date(query.from));
  if (query.to) {
    // A bare date means the whole of that day.
    const end = /^\d{4}-\d{2}-\d{2}$/.test(query.to) ? new Date(Date.parse(query.to) + 86_400_000) : new Date(query.to);
    base.where('at', /^\d{4}-\d{2}-\d{2}$/.test(query.to) ? '<' : '<=', end);
  }
  if (query.q) {
    const like = `%${query.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    base.where((w) =>
      w
        .whereRaw(`actor ILIKE ? ESCAPE '\\'`, [like])
        .orWhereRaw(`action ILIKE ? ESCAPE '\\'`, [like])
        .orWhereRaw(`subject ILIKE ? ESCAPE '\\'`, [like])
        .orWhereRaw(`form_key ILIKE ? ESCAPE '\\'`, [like])
        .orWhereRaw(`details::text ILIKE ? ESCAPE '\\'`, [like]),
    );
  }
  return base;
}

function toItem(row: Record<string, any>): AuditItem {
  return {
    id: Number(row.id),
    at: (row.at as Date).toISOString(),
    actorId: row.actor_id,
    actor: row.actor,
    action: row.action,
    formKey: row.form_key,
    recordId: row.record_id,
    subject: row.subject,
    details: row.details ?? {},
    ip: row.ip,
  };
}

export async function searchAudit(db: Knex, query: AuditQuery): Promise<{ items: AuditItem[]; total: number }> {
  const base = filtered(db, query);
  const [{ count }] = await base.clone().count({ count: '*' });
  const rows = await base
    .clone()
    .select('*')
    .orderBy('id', 'desc')
    .limit(query.pageSize)
    .offset((query.page - 1) * query.pageSize);
  return { items: (rows as Record<string, any>[]).map(toItem), total: Number(count) };
}

/** A CSV cell: quoted, and a leading = + - @ neutralised so a spreadsheet does not run it as a formula. */
function cell(value: unknown): string {
  let text = value === null || value === undefined ? '' : typeof value === 'string' ? value : JSON.stringify(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return `"${text.replace(/"/g, '""')}"`;
}

export const AUDIT_CSV_HEADER = ['id', 'at', 'actor', 'action', 'form_key', 'record_id', 'subject', 'details', 'ip'];

/** The matching rows as CSV lines, newest first, in batches of 1,000 (keyset paging on id). */
export async function* auditCsv(db: Knex, query: AuditQuery): AsyncGenerator<string> {
  yield `\uFEFF${AUDIT_CSV_HEADER.join(',')}\r\n`;
  let before: number | undefined;
  let sent = 0;
  while (sent < MAX_AUDIT_EXPORT_ROWS) {
    const page = filtered(db, query).select('*').orderBy('id', 'desc').limit(Math.min(1000, MAX_AUDIT_EXPORT_ROWS - sent));
    if (before !== undefined) page.where('id', '<', before);
    const rows: AuditItem[] = ((await page) as Record<string, any>[]).map(toItem);
    if (rows.length === 0) return;
    yield rows.map((r) => [r.id, r.at, r.actor, r.action, r.formKey, r.recordId, r.subject, r.details, r.ip].map(cell).join(',')).join('\r\n') + '\r\n';
    sent += rows.length;
    before = rows[rows.length - 1]!.id;
  }
}
