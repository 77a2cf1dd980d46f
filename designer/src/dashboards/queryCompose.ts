/**
 * What a widget actually asks the server: its own query, narrowed by the dashboard's filter
 * bar and by a cross-filter (a bar or slice clicked in another widget). Pure, so the rules
 * are unit-tested: a filter applies to a widget where the widget names the field it means
 * (`filterFields`; a field filter also on whole records of any form by its own field); a cross-filter only to widgets over the same source.
 */
import type { ChartQuery, ChartSource, CrossFilter, DashboardFilter, FilterValue, QueryFilter, ResultColumn, ResultRow, Widget } from './model.ts';

/**
 * The field a dashboard filter means on a source when the widget does not say: a field filter's
 * own field on whole records; nothing else (a date range or department applies where the
 * widget names the field, as the shipped boards do, so a board's customer tiers are not cut
 * by a complaint's department).
 */
export function defaultFilterField(filter: DashboardFilter, source: ChartSource): string | undefined {
  if (filter.kind === 'field' && source.kind === 'records' && !source.subForm) return filter.field;
  return undefined;
}

export function sameSource(a: ChartSource, b: ChartSource): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === 'records' && b.kind === 'records') return a.formKey === b.formKey && (a.subForm ?? '') === (b.subForm ?? '');
  if (a.kind !== 'records' && b.kind !== 'records') return a.definitionKey === b.definitionKey;
  return false;
}

const isEmpty = (value: FilterValue) =>
  value === undefined || value === null || value === '' || (Array.isArray(value) && (value.length !== 2 || !value[0] || !value[1]));

/** The filters the dashboard's bar adds to one widget's query. */
export function dashboardFiltersFor(widget: Widget, filters: DashboardFilter[], values: Record<string, FilterValue>): QueryFilter[] {
  const source = widget.query?.source;
  if (!source) return [];
  const added: QueryFilter[] = [];
  for (const filter of filters) {
    const value = values[filter.id];
    if (isEmpty(value)) continue;
    const field = widget.filterFields?.[filter.id] || defaultFilterField(filter, source);
    if (!field) continue;
    if (filter.kind === 'dateRange' && Array.isArray(value)) added.push({ field, op: 'between', value: [value[0], value[1]] });
    else added.push({ field, op: 'eq', value });
  }
  return added;
}

/** The cross-filter as a query filter for `widget`, or none (its own widget, another source). */
export function crossFilterFor(widget: Widget, cross: CrossFilter | null): QueryFilter[] {
  if (!cross || cross.widgetId === widget.id || !widget.query || !sameSource(widget.query.source, cross.source)) return [];
  return [cross.value === null ? { field: cross.field, op: 'empty' } : { field: cross.field, op: 'eq', value: cross.value }];
}

/** The query to run for `widget` now. */
export function effectiveQuery(widget: Widget, filters: DashboardFilter[], values: Record<string, FilterValue>, cross: CrossFilter | null): ChartQuery | null {
  if (!widget.query) return null;
  return {
    ...widget.query,
    filters: [...(widget.query.filters ?? []), ...dashboardFiltersFor(widget, filters, values), ...crossFilterFor(widget, cross)],
  };
}

/**
 * The cross-filter a click on row `row` of a widget's result sets: on its first dimension,
 * unless that is a time bucket (a bucket label like 2026-W14 is no field value).
 */
export function crossFilterFromClick(widget: Widget, row: ResultRow, label: string): CrossFilter | null {
  const dimension = widget.query?.dimensions?.[0];
  if (!widget.query || !dimension || dimension.bucket) return null;
  const value = row.d0 ?? null;
  return { widgetId: widget.id, field: dimension.field, value, label, source: widget.query.source };
}

/** The filters of a drill-down into one number: the widget's effective filters and the clicked dimension values. */
export function drillFilters(widget: Widget, query: ChartQuery, row: ResultRow | null): QueryFilter[] {
  const filters = [...(query.filters ?? [])];
  if (!row) return filters;
  (widget.query?.dimensions ?? []).forEach((dimension, index) => {
    const value = row[`d${index}`];
    // A time bucket's rows are not one field value; the drill shows the widget's rows unnarrowed by it.
    if (dimension.bucket) return;
    filters.push(value === null || value === undefined ? { field: dimension.field, op: 'empty' } : { field: dimension.field, op: 'eq', value });
  });
  return filters;
}

/**
 * A CSV of a result: UTF-8 with a BOM so Excel opens Chinese text right, quotes doubled, and a
 * cell that starts like a formula (= + - @) prefixed with ' so a spreadsheet does not run it.
 */
export function toCsv(columns: Pick<ResultColumn, 'key' | 'label'>[], rows: Record<string, unknown>[]): string {
  const cell = (value: unknown): string => {
    if (value === null || value === undefined) return '';
    let text = typeof value === 'object' ? JSON.stringify(value) : String(value);
    if (/^[=+\-@\t\r]/.test(text) && !(typeof value === 'number')) text = `'${text}`;
    return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  const lines = [columns.map((column) => cell(column.label)).join(','), ...rows.map((row) => columns.map((column) => cell(row[column.key])).join(','))];
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

/** Every part the admin added is filled in (no field left to pick): only then is a preview worth a query. */
export function isQueryComplete(query: ChartQuery): boolean {
  const source = query.source;
  if (source.kind === 'records' && (!source.formKey || source.subForm === '')) return false;
  if ((query.dimensions ?? []).some((dimension) => !dimension.field)) return false;
  if ((query.measures ?? []).some((measure) => measure.agg !== 'count' && !measure.field && !(measure.duration?.from && measure.duration.to))) return false;
  return !(query.filters ?? []).some((filter) => !filter.field);
}
