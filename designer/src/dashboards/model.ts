/**
 * The dashboard and chart-query shapes the server speaks (issue 15's contract:
 * `POST /api/charts/query`, `POST /api/charts/rows`, `/api/dashboards`). Kept here as plain
 * types so the pure helpers (query composition, chart options, CSV) and their unit tests do
 * not depend on the generated OpenAPI types.
 */

/** A stored text, one string or one per language (the same shape as i18n.tsx's; declared here so the pure modules import no .tsx). */
export type LocalizedText = string | Partial<Record<'zh-CN' | 'en', string>> | null | undefined;

export type SourceKind = 'records' | 'instances' | 'tasks';
export type ChartSource =
  | { kind: 'records'; formKey: string; subForm?: string; latestPer?: { field: string; by: string } }
  | { kind: 'instances'; definitionKey?: string }
  | { kind: 'tasks'; definitionKey?: string };

export type TimeBucket = 'day' | 'week' | 'month' | 'quarter' | 'year';
export interface Dimension {
  field: string;
  bucket?: TimeBucket;
}

export type Aggregation = 'count' | 'distinct' | 'sum' | 'avg' | 'min' | 'max' | 'median' | 'p90' | 'ratio';
export type DurationUnit = 'second' | 'minute' | 'hour' | 'day';
export interface Measure {
  agg: Aggregation;
  field?: string;
  duration?: { from: string; to: string; unit?: DurationUnit };
  /** Only rows matching these; for `ratio`, the numerator's condition (share of rows matching). */
  where?: QueryFilter[];
  label?: string;
}

export type FilterOp = 'eq' | 'ne' | 'gt' | 'gte' | 'lt' | 'lte' | 'in' | 'contains' | 'between' | 'empty' | 'notEmpty';
export interface QueryFilter {
  field: string;
  op: FilterOp;
  value?: unknown;
}

export interface SortSpec {
  by: 'measure' | 'dimension';
  index: number;
  desc?: boolean;
}

export interface ChartQuery {
  source: ChartSource;
  dimensions?: Dimension[];
  measures?: Measure[];
  filters?: QueryFilter[];
  sort?: SortSpec[];
  limit?: number;
}

export interface ResultColumn {
  key: string;
  label: string;
  type: 'text' | 'number' | 'date' | 'boolean';
  /** Stored value → label per language, for select fields and departments (codes). */
  options?: { value: string | number | boolean; label: Record<string, string> }[];
}
export type ResultRow = Record<string, string | number | null>;
export interface ChartResult {
  columns: ResultColumn[];
  rows: ResultRow[];
  truncated: boolean;
}

export interface DetailPage {
  items: Record<string, unknown>[];
  total: number;
}

export type WidgetType = 'kpi' | 'bar' | 'line' | 'area' | 'pie' | 'donut' | 'funnel' | 'gauge' | 'pivot' | 'table' | 'text';
export const CHART_TYPES: WidgetType[] = ['bar', 'line', 'area', 'pie', 'donut', 'funnel', 'gauge', 'kpi', 'pivot', 'table', 'text'];

export interface WidgetOptions {
  target?: number;
  targetKind?: 'atLeast' | 'atMost';
  unit?: string;
  text?: string;
  /** KPI: compare with the previous period of this bucket (the trend arrow). */
  trendField?: string;
  trendBucket?: TimeBucket;
  [key: string]: unknown;
}

export interface GridLayout {
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface Widget {
  id: string;
  type: WidgetType;
  title: LocalizedText;
  /** Absent for a text block. */
  query?: ChartQuery;
  /** Dashboard filter id → the field of this widget's source it applies to. */
  filterFields?: Record<string, string>;
  options?: WidgetOptions;
  layout: GridLayout;
}

export type DashboardFilterKind = 'dateRange' | 'department' | 'owner' | 'field';
export interface DashboardFilter {
  id: string;
  kind: DashboardFilterKind;
  label: LocalizedText;
  /** For kind `field`: the default field name widgets use when they name none. */
  field?: string;
  default?: unknown;
}

export interface Sharing {
  users: string[];
  roles: string[];
  departments: string[];
  everyone: boolean;
}

export interface Dashboard {
  id?: string;
  key?: string | null;
  title: LocalizedText;
  description?: LocalizedText;
  filters: DashboardFilter[];
  widgets: Widget[];
  sharing: Sharing;
  /** The stored version read; saving with an older one answers 409 (someone saved first). */
  version?: number;
  createdBy?: string | null;
  updatedAt?: string;
}

/** What `POST`/`PUT /api/dashboards` take: the editable parts only (the server refuses other properties). */
export function dashboardInput(dashboard: Dashboard): Dashboard {
  const { key, title, description, filters, widgets, sharing, version } = dashboard;
  return {
    ...(key ? { key } : {}),
    title,
    ...(description ? { description } : {}),
    filters: filters.map(({ id, kind, label, field, default: value }) => ({ id, kind, label, ...(field ? { field } : {}), ...(value !== undefined ? { default: value } : {}) })),
    widgets: widgets.map(({ id, type, title: widgetTitle, query, filterFields, options, layout }) => ({
      id,
      type,
      title: widgetTitle,
      ...(query && type !== 'text' ? { query } : {}),
      ...(filterFields && Object.keys(filterFields).length ? { filterFields } : {}),
      ...(options ? { options } : {}),
      layout: { x: layout.x, y: layout.y, w: layout.w, h: layout.h },
    })),
    sharing,
    ...(version ? { version } : {}),
  };
}

/** The value picked in one dashboard filter: a [from, to] date pair, an id, or a field value. */
export type FilterValue = string | [string, string] | null | undefined;

/** A click on a bar or slice: the dimension value of one widget, applied to the others. */
export interface CrossFilter {
  widgetId: string;
  field: string;
  value: string | number | null;
  label: string;
  /** The widget's source: the filter only applies to widgets over the same source. */
  source: ChartSource;
}

export const MAX_WIDGETS = 40;

/** One node of a definition's heat map (`GET /api/definitions/:key/heatmap`). */
export interface HeatmapNode {
  elementId: string;
  entered: number;
  completed: number;
  open: number;
  avgMs: number | null;
  p90Ms: number | null;
  slaBreached: number;
}
