/**
 * The dashboards' pure logic (designer/src/dashboards): ECharts options from a chart answer,
 * the KPI number with its target and trend, the pivot, what a widget asks once the dashboard's
 * filters and a cross-filter apply, the drill-down's filters, the CSV export, where new
 * widgets go, where a 422 detail belongs, and the heat map's levels and durations.
 */
import { describe, expect, it } from 'vitest';
import { chartOption, kpiFigures, pivot, plainLabel } from '../../designer/src/dashboards/chartOptions.ts';
import { detailsElsewhere, detailsUnder, messageAt } from '../../designer/src/dashboards/errors.ts';
import { formatDuration, heatLevel, heatLevels } from '../../designer/src/dashboards/heatmap/heatScale.ts';
import { dashboardInput, type ChartResult, type Dashboard, type DashboardFilter, type Widget } from '../../designer/src/dashboards/model.ts';
import { crossFilterFor, crossFilterFromClick, drillFilters, effectiveQuery, isQueryComplete, toCsv } from '../../designer/src/dashboards/queryCompose.ts';
import { emptyDashboard, newWidget, newWidgetId, nextSpot } from '../../designer/src/dashboards/widgetDefaults.ts';

const byCategory: ChartResult = {
  columns: [
    { key: 'd0', label: 'category', type: 'text', options: [{ value: 'billing', label: { 'zh-CN': '账单', en: 'Billing' } }] },
    { key: 'm0', label: 'count', type: 'number' },
  ],
  rows: [
    { d0: 'billing', m0: 3 },
    { d0: 'service', m0: 5 },
    { d0: null, m0: 1 },
  ],
  truncated: false,
};

const complaints = { kind: 'records', formKey: 'complaint' } as const;
const bar: Widget = {
  id: 'w1',
  type: 'bar',
  title: '按类别',
  query: { source: complaints, dimensions: [{ field: 'category' }], measures: [{ agg: 'count' }], filters: [{ field: 'severity', op: 'ne', value: 'low' }] },
  filterFields: { period: 'received_at' },
  layout: { x: 0, y: 0, w: 6, h: 4 },
};
const kpi: Widget = { id: 'w2', type: 'kpi', title: '总数', query: { source: complaints, measures: [{ agg: 'count' }] }, layout: { x: 6, y: 0, w: 3, h: 2 } };
const tasks: Widget = { id: 'w3', type: 'pie', title: '任务', query: { source: { kind: 'tasks', definitionKey: 'complaint_handling' }, dimensions: [{ field: 'name' }], measures: [{ agg: 'count' }] }, layout: { x: 0, y: 4, w: 4, h: 4 } };
const filters: DashboardFilter[] = [
  { id: 'period', kind: 'dateRange', label: '日期' },
  { id: 'dept', kind: 'department', label: '部门' },
  { id: 'sev', kind: 'field', label: '严重程度', field: 'severity' },
];

describe('chart options', () => {
  it('draws a bar per dimension value, labelled, each point carrying its row for clicks', () => {
    const label = (column: { options?: { value: unknown; label: Record<string, string> }[] }, value: unknown) =>
      column.options?.find((option) => option.value === value)?.label['zh-CN'] ?? (value === null ? '（空）' : String(value));
    const option = chartOption('bar', byCategory, { target: 4 }, label as never) as any;
    expect(option.xAxis.data).toEqual(['账单', 'service', '（空）']);
    expect(option.series).toHaveLength(1);
    expect(option.series[0].type).toBe('bar');
    expect(option.series[0].data).toEqual([
      { value: 3, rowIndex: 0 },
      { value: 5, rowIndex: 1 },
      { value: 1, rowIndex: 2 },
    ]);
    // The target is a dashed line across the chart.
    expect(option.series[0].markLine.data).toEqual([{ yAxis: 4 }]);
  });

  it('stacks a second dimension as one series per value, and fills an area chart', () => {
    const result: ChartResult = {
      columns: [
        { key: 'd0', label: 'month', type: 'date' },
        { key: 'd1', label: 'category', type: 'text' },
        { key: 'm0', label: 'count', type: 'number' },
      ],
      rows: [
        { d0: '2026-01', d1: 'billing', m0: 2 },
        { d0: '2026-01', d1: 'service', m0: 1 },
        { d0: '2026-02', d1: 'billing', m0: 4 },
      ],
      truncated: false,
    };
    const option = chartOption('area', result) as any;
    expect(option.xAxis.data).toEqual(['2026-01', '2026-02']);
    expect(option.series.map((series: any) => series.name)).toEqual(['billing', 'service']);
    expect(option.series[0].data.map((point: any) => point.value)).toEqual([2, 4]);
    // No service complaint in February: a gap, not a zero.
    expect(option.series[1].data.map((point: any) => point.value)).toEqual([1, null]);
    expect(option.series[0].type).toBe('line');
    expect(option.series[0].areaStyle).toEqual({});
  });

  it('makes pies, donuts, funnels in the stages\' order, and gauges on the widget\'s scale', () => {
    const pie = chartOption('pie', byCategory) as any;
    expect(pie.series[0].data.map((slice: any) => [slice.name, slice.value])).toEqual([['billing', 3], ['service', 5], ['—', 1]]);
    expect((chartOption('donut', byCategory) as any).series[0].radius).toEqual(['40%', '68%']);
    const funnel = chartOption('funnel', byCategory, { order: ['service', 'billing'] }) as any;
    expect(funnel.series[0].data.map((slice: any) => slice.name)).toEqual(['service', 'billing', '—']);
    expect((chartOption('funnel', byCategory) as any).series[0].data.map((slice: any) => slice.value)).toEqual([5, 3, 1]);
    const gauge = chartOption('gauge', { columns: [{ key: 'm0', label: 'avg', type: 'number' }], rows: [{ m0: 91.6666 }], truncated: false }, { target: 90, decimals: 1 }) as any;
    expect(gauge.series[0].data[0].value).toBe(91.7);
    expect(gauge.series[0].max).toBe(100);
    expect(chartOption('kpi', byCategory)).toBeNull();
  });
});

describe('KPI figures', () => {
  const one = (value: number | null, extra: Record<string, number | null> = {}): ChartResult => ({
    columns: [{ key: 'm0', label: 'P50', type: 'number' }, ...Object.keys(extra).map((key) => ({ key, label: 'P90', type: 'number' as const }))],
    rows: [{ m0: value, ...extra }],
    truncated: false,
  });

  it('checks an at-least target and an at-most target', () => {
    expect(kpiFigures(one(92.456), { target: 90, targetKind: 'atLeast' })).toMatchObject({ value: 92.46, meetsTarget: true, delta: null });
    expect(kpiFigures(one(88), { target: 90 })).toMatchObject({ meetsTarget: false });
    expect(kpiFigures(one(3.5, { m1: 7.25 }), { target: 4, targetKind: 'atMost', decimals: 1 })).toMatchObject({
      value: 3.5,
      label: 'P50',
      others: [{ label: 'P90', value: 7.3 }],
      meetsTarget: true,
    });
    expect(kpiFigures(one(null), { target: 4 })).toMatchObject({ value: null, meetsTarget: null });
  });

  it('takes the last time bucket as the number and the one before as the trend', () => {
    const monthly: ChartResult = {
      columns: [
        { key: 'd0', label: 'month', type: 'date' },
        { key: 'm0', label: 'count', type: 'number' },
      ],
      rows: [
        { d0: '2026-10', m0: 7 },
        { d0: '2026-11', m0: 12 },
      ],
      truncated: false,
    };
    expect(kpiFigures(monthly)).toMatchObject({ value: 12, previous: 7, delta: 5 });
  });
});

describe('pivot', () => {
  it('puts the first dimension down, the second across, with totals', () => {
    const table = pivot({
      columns: [
        { key: 'd0', label: 'department', type: 'text' },
        { key: 'd1', label: 'category', type: 'text' },
        { key: 'm0', label: 'count', type: 'number' },
      ],
      rows: [
        { d0: 'sales', d1: 'billing', m0: 2 },
        { d0: 'sales', d1: 'service', m0: 3 },
        { d0: 'support', d1: 'service', m0: 4 },
      ],
      truncated: false,
    }, plainLabel);
    expect(table.rowLabels).toEqual(['sales', 'support']);
    expect(table.columnLabels).toEqual(['billing', 'service']);
    expect(table.cells).toEqual([
      [2, 3],
      [null, 4],
    ]);
    expect(table.rowTotals).toEqual([5, 4]);
    expect(table.columnTotals).toEqual([2, 7]);
  });
});

describe('what a widget asks', () => {
  it('adds the dashboard filters on the fields each widget names (a field filter on whole records by its own field)', () => {
    const values = { period: ['2026-01-01', '2026-03-31'] as [string, string], dept: '$myDepartments', sev: 'high' };
    expect(effectiveQuery(bar, filters, values, null)?.filters).toEqual([
      { field: 'severity', op: 'ne', value: 'low' },
      { field: 'received_at', op: 'between', value: ['2026-01-01', '2026-03-31'] },
      { field: 'severity', op: 'eq', value: 'high' },
    ]);
    // A task widget takes only what it maps: its department, not the form's severity.
    const mapped: Widget = { ...tasks, filterFields: { dept: 'department', period: 'createdAt' } };
    expect(effectiveQuery(mapped, filters, values, null)?.filters).toEqual([
      { field: 'createdAt', op: 'between', value: ['2026-01-01', '2026-03-31'] },
      { field: 'department', op: 'eq', value: '$myDepartments' },
    ]);
    // Nothing picked, nothing added; a half-picked range is no range.
    expect(effectiveQuery({ ...kpi, filterFields: { period: 'received_at', dept: '_department' } }, filters, { period: ['2026-01-01', ''] as [string, string], dept: null }, null)?.filters).toEqual([]);
  });

  it('applies a clicked bar to the other widgets over the same data only', () => {
    const cross = crossFilterFromClick(bar, { d0: 'billing', m0: 3 }, '账单')!;
    expect(cross).toMatchObject({ widgetId: 'w1', field: 'category', value: 'billing', label: '账单' });
    expect(crossFilterFor(kpi, cross)).toEqual([{ field: 'category', op: 'eq', value: 'billing' }]);
    expect(crossFilterFor(bar, cross)).toEqual([]);
    expect(crossFilterFor(tasks, cross)).toEqual([]);
    expect(crossFilterFor(kpi, crossFilterFromClick(bar, { d0: null, m0: 1 }, '（空）'))).toEqual([{ field: 'category', op: 'empty' }]);
    // A time bucket is not a field value: no cross-filter from it.
    const monthly: Widget = { ...bar, query: { ...bar.query!, dimensions: [{ field: 'received_at', bucket: 'month' }] } };
    expect(crossFilterFromClick(monthly, { d0: '2026-03', m0: 2 }, '2026-03')).toBeNull();
  });

  it('drills into the records behind a bar: the widget\'s filters and the bar\'s value', () => {
    const query = effectiveQuery(bar, filters, { sev: 'high' }, null)!;
    expect(drillFilters(bar, query, { d0: 'billing', m0: 3 })).toEqual([
      { field: 'severity', op: 'ne', value: 'low' },
      { field: 'severity', op: 'eq', value: 'high' },
      { field: 'category', op: 'eq', value: 'billing' },
    ]);
    expect(drillFilters(bar, query, null)).toEqual(query.filters);
  });

  it('previews only a query with every part filled in', () => {
    expect(isQueryComplete(bar.query!)).toBe(true);
    expect(isQueryComplete({ source: complaints, measures: [{ agg: 'avg' }] })).toBe(false);
    expect(isQueryComplete({ source: complaints, dimensions: [{ field: '' }] })).toBe(false);
    expect(isQueryComplete({ source: { kind: 'records', formKey: '' } })).toBe(false);
    expect(isQueryComplete({ source: complaints, measures: [{ agg: 'p90', duration: { from: 'received_at', to: 'first_response_at', unit: 'hour' } }] })).toBe(true);
  });
});

describe('CSV export', () => {
  it('writes a BOM, quotes what needs it, and defuses formulas', () => {
    const csv = toCsv(
      [
        { key: 'd0', label: '类别' },
        { key: 'm0', label: 'count' },
      ],
      [
        { d0: '账单, 发票', m0: 3 },
        { d0: '=HYPERLINK("x")', m0: -2 },
        { d0: null, m0: 0 },
      ],
    );
    expect(csv).toBe('\uFEFF类别,count\r\n"账单, 发票",3\r\n"\'=HYPERLINK(""x"")",-2\r\n,0\r\n');
  });
});

describe('designer helpers', () => {
  it('places a new widget below the others with a free id', () => {
    const board: Dashboard = { ...emptyDashboard('看板'), widgets: [bar, kpi] };
    expect(newWidgetId(board.widgets)).toBe('w3');
    expect(nextSpot(board.widgets, { w: 4, h: 4 })).toEqual({ x: 0, y: 4, w: 4, h: 4 });
    const widget = newWidget(board, 'pie', complaints, '');
    expect(widget).toMatchObject({ id: 'w3', type: 'pie', query: { source: complaints, measures: [{ agg: 'count' }] }, layout: { x: 0, y: 4, w: 4, h: 4 } });
    expect(newWidget(board, 'text', complaints, '说明').query).toBeUndefined();
  });

  it('sends the server only what it stores', () => {
    const board = { ...emptyDashboard('看板'), id: 'x', version: 3, createdBy: 'admin', updatedAt: 'now', widgets: [{ ...bar, filterFields: {} }] } as Dashboard;
    const body = dashboardInput(board);
    expect(Object.keys(body).sort()).toEqual(['filters', 'sharing', 'title', 'version', 'widgets']);
    expect(Object.keys(body.widgets[0]!).sort()).toEqual(['id', 'layout', 'query', 'title', 'type']);
  });

  it('puts 422 details beside the part they name', () => {
    const details = [
      { pointer: '/widgets/1/query/measures/0/field', message: 'unknown field' },
      { pointer: '/title', message: 'too long' },
      { pointer: '/other', message: 'x' },
    ];
    expect(detailsUnder(details, '/widgets/1')).toEqual([{ pointer: '/query/measures/0/field', message: 'unknown field' }]);
    expect(messageAt(details, '/widgets/1/query/measures')).toBe('unknown field');
    expect(messageAt(details, '/widgets/10')).toBeUndefined();
    expect(detailsElsewhere(details, ['/title', '/widgets/0', '/widgets/1'])).toEqual([{ pointer: '/other', message: 'x' }]);
  });
});

describe('heat map', () => {
  it('grades nodes against the busiest and writes durations in words', () => {
    expect(heatLevel(0, 10)).toBe(0);
    expect(heatLevel(1, 10)).toBe(1);
    expect(heatLevel(10, 10)).toBe(5);
    expect(heatLevel(5, 10)).toBe(3);
    const node = (elementId: string, entered: number, avgMs: number | null) => ({ elementId, entered, completed: entered, open: 0, avgMs, p90Ms: avgMs, slaBreached: 0 });
    const levels = heatLevels([node('a', 20, 1000), node('b', 2, 3_600_000), node('c', 0, null)], 'count');
    expect([...levels]).toEqual([['a', 5], ['b', 1], ['c', 0]]);
    expect(heatLevels([node('a', 20, 1000), node('b', 2, 3_600_000)], 'time').get('b')).toBe(5);
    expect(formatDuration(45_000, 'zh-CN')).toBe('45 秒');
    expect(formatDuration(90 * 60_000, 'zh-CN')).toBe('1.5 小时');
    expect(formatDuration(3 * 86_400_000, 'en')).toBe('3 d');
    expect(formatDuration(null, 'en')).toBe('—');
  });
});
