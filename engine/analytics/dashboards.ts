/**
 * Dashboards: validated, stored, shared. Admins create, change and delete them; a dashboard
 * is visible to its creator, admins, and whoever its `sharing` names (users by username,
 * roles, departments by id, or everyone). Anyone else gets 404, as if it did not exist.
 * Each widget's query is checked against its source when saved, so a board never holds a
 * query that cannot run; each viewer's numbers are limited by their own data permissions.
 */
import { Ajv } from 'ajv';
import type { Knex } from 'knex';
import { ConflictError, NotFoundError, ValidationError, type ErrorDetail } from '../errors.ts';
import type { AuthUser } from '../identity/types.ts';
import { buildChart } from './build.ts';
import { ajvDetails, chartQuerySchema, type ChartQuery } from './query.ts';
import { planSource } from './source.ts';

export const MAX_WIDGETS = 40;
export const MAX_DASHBOARD_FILTERS = 10;
export const WIDGET_TYPES = ['kpi', 'bar', 'line', 'area', 'pie', 'donut', 'funnel', 'gauge', 'pivot', 'table', 'text'] as const;

type Text = string | Record<string, string>;

export interface DashboardFilter {
  id: string;
  kind: 'dateRange' | 'department' | 'owner' | 'field';
  label?: Text;
  field?: string;
  default?: unknown;
}

export interface DashboardWidget {
  id: string;
  type: (typeof WIDGET_TYPES)[number];
  title?: Text;
  query?: ChartQuery;
  filterFields?: Record<string, string>;
  options?: Record<string, unknown>;
  layout: { x: number; y: number; w: number; h: number };
}

export interface DashboardSharing {
  users: string[];
  roles: string[];
  departments: string[];
  everyone: boolean;
}

export interface DashboardInput {
  key?: string | null;
  title: Text;
  description?: Text;
  filters?: DashboardFilter[];
  widgets: DashboardWidget[];
  sharing?: Partial<DashboardSharing>;
  /** On update: the version read; a different stored version means someone saved first (409). */
  version?: number;
}

export interface DashboardView {
  id: string;
  key: string | null;
  app: string | null;
  title: Text;
  description?: Text;
  filters: DashboardFilter[];
  widgets: DashboardWidget[];
  sharing: DashboardSharing;
  version: number;
  createdBy: string | null;
  createdAt: string;
  updatedAt: string;
}

const TEXT = {
  anyOf: [
    { type: 'string', maxLength: 200 },
    { type: 'object', maxProperties: 10, propertyNames: { maxLength: 10 }, additionalProperties: { type: 'string', maxLength: 200 } },
  ],
};
const ID = { type: 'string', minLength: 1, maxLength: 40, pattern: '^[A-Za-z0-9_-]+$' };
const NAMES = { type: 'array', maxItems: 200, uniqueItems: true, items: { type: 'string', minLength: 1, maxLength: 100 } };
const CELL = { type: 'integer', minimum: 0, maximum: 200 };

export const dashboardSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['title', 'widgets'],
  properties: {
    key: { type: ['string', 'null'], maxLength: 100, pattern: '^[a-z0-9][a-z0-9_-]*$' },
    title: TEXT,
    description: { anyOf: [{ type: 'string', maxLength: 2000 }, { type: 'object', maxProperties: 10, additionalProperties: { type: 'string', maxLength: 2000 } }] },
    version: { type: 'integer', minimum: 1 },
    filters: {
      type: 'array',
      maxItems: MAX_DASHBOARD_FILTERS,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['id', 'kind'],
        properties: { id: ID, kind: { enum: ['dateRange', 'department', 'owner', 'field'] }, label: TEXT, field: { type: 'string', maxLength: 200 }, default: {} },
      },
    },
    widgets: {
      type: 'array',
      maxItems: MAX_WIDGETS,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['id', 'type', 'layout'],
        properties: {
          id: ID,
          type: { enum: WIDGET_TYPES },
          title: TEXT,
          query: chartQuerySchema,
          filterFields: { type: 'object', maxProperties: MAX_DASHBOARD_FILTERS, additionalProperties: { type: 'string', maxLength: 200 } },
          options: { type: 'object', maxProperties: 30 },
          layout: {
            type: 'object', additionalProperties: false, required: ['x', 'y', 'w', 'h'], properties: { x: CELL, y: CELL, w: { ...CELL, minimum: 1 }, h: { ...CELL, minimum: 1 } },
          },
        },
      },
    },
    sharing: {
      type: 'object',
      additionalProperties: false,
      properties: { users: NAMES, roles: NAMES, departments: NAMES, everyone: { type: 'boolean' } },
    },
  },
};

const ajv = new Ajv({ allErrors: true, strict: false });
const checkDashboard = ajv.compile<DashboardInput>(dashboardSchema);

const ADMIN_READER: AuthUser = { id: '00000000-0000-0000-0000-000000000000', username: '', displayName: '', role: 'admin', locale: 'zh-CN', departmentIds: [], roles: ['admin'], groups: [] };

/** Shape, bounds, unique widget ids, and each widget's query against its source (not run). */
export async function validateDashboard(db: Knex, body: unknown): Promise<DashboardInput> {
  if (!checkDashboard(body)) {
    const details = ajvDetails(checkDashboard.errors);
    throw new ValidationError(`Invalid dashboard: ${details.map((d) => `${d.pointer} ${d.message}`).join('; ')}`, details, 'invalid_dashboard');
  }
  const details: ErrorDetail[] = [];
  const ids = new Set<string>();
  const filterIds = new Set((body.filters ?? []).map((filter) => filter.id));
  for (const [index, widget] of body.widgets.entries()) {
    if (ids.has(widget.id)) details.push({ pointer: `/widgets/${index}/id`, message: `widget id "${widget.id}" is used twice` });
    ids.add(widget.id);
    if (widget.type !== 'text' && !widget.query) details.push({ pointer: `/widgets/${index}/query`, message: `a ${widget.type} widget needs a query` });
    for (const filterId of Object.keys(widget.filterFields ?? {})) {
      if (!filterIds.has(filterId)) details.push({ pointer: `/widgets/${index}/filterFields/${filterId}`, message: `the dashboard has no filter "${filterId}"` });
    }
    if (!widget.query) continue;
    try {
      // Checked as an admin would see the source: which rows a viewer sees is decided when it runs.
      buildChart(await planSource(db, ADMIN_READER, widget.query.source), widget.query, new Date());
    } catch (err) {
      if (!(err instanceof ValidationError) && !(err instanceof NotFoundError)) throw err;
      const inner = err instanceof ValidationError ? err.details ?? [] : [{ pointer: '/source', message: err.message }];
      details.push(...inner.map((detail) => ({ ...detail, pointer: `/widgets/${index}/query${detail.pointer}` })));
    }
  }
  if (details.length) throw new ValidationError(`Invalid dashboard: ${details.map((d) => `${d.pointer} ${d.message}`).join('; ')}`, details.slice(0, 20), 'invalid_dashboard');
  return body;
}

interface Row {
  id: string;
  key: string | null;
  app: string | null;
  title: Text;
  definition: { description?: Text; filters?: DashboardFilter[]; widgets?: DashboardWidget[] };
  sharing: Partial<DashboardSharing>;
  version: number;
  created_by_name: string | null;
  created_by: string | null;
  created_at: Date;
  updated_at: Date;
}

function sharingOf(sharing: Partial<DashboardSharing> | undefined): DashboardSharing {
  return { users: sharing?.users ?? [], roles: sharing?.roles ?? [], departments: sharing?.departments ?? [], everyone: sharing?.everyone ?? false };
}

function toView(row: Row): DashboardView {
  return {
    id: row.id,
    key: row.key,
    app: row.app,
    title: row.title,
    ...(row.definition.description !== undefined ? { description: row.definition.description } : {}),
    filters: row.definition.filters ?? [],
    widgets: row.definition.widgets ?? [],
    sharing: sharingOf(row.sharing),
    version: row.version,
    createdBy: row.created_by_name,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

function selectDashboards(db: Knex) {
  return db('dashboards as d').leftJoin('users as cu', 'cu.id', 'd.created_by').select('d.*', 'cu.username as created_by_name');
}

/** Rows the viewer may open: admins all; others their own and those shared with them. */
function visibleTo(query: Knex.QueryBuilder, viewer: AuthUser): Knex.QueryBuilder {
  if (viewer.role === 'admin') return query;
  return query.where((q) => {
    q.where('d.created_by', viewer.id)
      .orWhereRaw(`COALESCE((d.sharing->>'everyone')::boolean, false)`)
      .orWhereRaw(`jsonb_exists(COALESCE(d.sharing->'users', '[]'::jsonb), ?)`, [viewer.username])
      .orWhereRaw(`jsonb_exists_any(COALESCE(d.sharing->'roles', '[]'::jsonb), CAST(? AS text[]))`, [viewer.roles?.length ? viewer.roles : [viewer.role]])
      .orWhereRaw(`jsonb_exists_any(COALESCE(d.sharing->'departments', '[]'::jsonb), CAST(? AS text[]))`, [viewer.departmentIds]);
  });
}

export async function listDashboards(db: Knex, viewer: AuthUser): Promise<Omit<DashboardView, 'widgets' | 'filters'>[]> {
  const rows: Row[] = await visibleTo(selectDashboards(db), viewer).orderBy('d.created_at');
  return rows.map((row) => {
    const { widgets: _w, filters: _f, ...summary } = toView(row);
    return { ...summary, widgetCount: row.definition.widgets?.length ?? 0 } as Omit<DashboardView, 'widgets' | 'filters'>;
  });
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A dashboard by id or key, 404 when it does not exist or the viewer may not open it. */
export async function getDashboard(db: Knex, viewer: AuthUser, idOrKey: string): Promise<DashboardView> {
  const query = selectDashboards(db).where(UUID.test(idOrKey) ? { 'd.id': idOrKey } : { 'd.key': idOrKey });
  const row: Row | undefined = await visibleTo(query, viewer).first();
  if (!row) throw new NotFoundError(`Dashboard ${idOrKey} does not exist`);
  return toView(row);
}

function rowValues(input: DashboardInput) {
  return {
    title: JSON.stringify(input.title),
    definition: JSON.stringify({ description: input.description, filters: input.filters ?? [], widgets: input.widgets }),
    sharing: JSON.stringify(sharingOf(input.sharing)),
  };
}

export async function createDashboard(db: Knex, actor: AuthUser | null, body: unknown, app: string | null = null): Promise<DashboardView> {
  const input = await validateDashboard(db, body);
  if (input.key && (await db('dashboards').where({ key: input.key }).first('id'))) {
    throw new ConflictError(`A dashboard with key "${input.key}" exists`, 'dashboard_key_taken');
  }
  const [row] = await db('dashboards')
    .insert({ ...rowValues(input), key: input.key ?? null, app, created_by: actor?.id ?? null })
    .onConflict('key').ignore()
    .returning('id');
  if (!row) throw new ConflictError(`A dashboard with key "${input.key}" exists`, 'dashboard_key_taken');
  return getDashboard(db, ADMIN_READER, row.id);
}

/** Replaces the dashboard; with `version`, only if nobody saved since (else 409). One UPDATE decides. */
export async function updateDashboard(db: Knex, actor: AuthUser, id: string, body: unknown): Promise<DashboardView> {
  if (!UUID.test(id)) throw new NotFoundError(`Dashboard ${id} does not exist`);
  const input = await validateDashboard(db, body);
  const query = db('dashboards').where({ id });
  if (input.version !== undefined) query.andWhere({ version: input.version });
  const updated = await query
    .update({ ...rowValues(input), ...(input.key !== undefined ? { key: input.key } : {}), version: db.raw('version + 1'), updated_at: db.fn.now() })
    .returning('id');
  if (!updated.length) {
    if (await db('dashboards').where({ id }).first('id')) throw new ConflictError('Someone saved this dashboard since you opened it; reload it', 'dashboard_changed');
    throw new NotFoundError(`Dashboard ${id} does not exist`);
  }
  return getDashboard(db, actor, id);
}

export async function deleteDashboard(db: Knex, id: string): Promise<void> {
  const deleted = UUID.test(id) ? await db('dashboards').where({ id }).delete() : 0;
  if (!deleted) throw new NotFoundError(`Dashboard ${id} does not exist`);
}
