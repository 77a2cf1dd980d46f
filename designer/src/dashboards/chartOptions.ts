/**
 * ECharts options from a chart answer (`{columns, rows}`): pure functions, unit-tested, so the
 * widget component only mounts a chart and hands it the option. Columns `d0, d1…` are the
 * dimensions and `m0, m1…` the measures, as the server names them. Each data point carries
 * its row index (`rowIndex`), so a click maps back to the row for cross-filters and drill-down.
 */
import type { EChartsCoreOption } from 'echarts/core';
import type { ChartResult, ResultColumn, ResultRow, WidgetOptions, WidgetType } from './model.ts';

/** How a dimension value is shown: an option's label for a select field, 空 for null. */
export type ValueLabeler = (column: ResultColumn, value: string | number | null) => string;

export const plainLabel: ValueLabeler = (_column, value) => (value === null || value === undefined ? '—' : String(value));

const dimensionColumns = (result: ChartResult) => result.columns.filter((column) => column.key.startsWith('d'));
const measureColumns = (result: ChartResult) => result.columns.filter((column) => column.key.startsWith('m'));

const asNumber = (value: unknown): number | null => {
  if (value === null || value === undefined || value === '') return null;
  const number = typeof value === 'number' ? value : Number(value);
  return Number.isFinite(number) ? number : null;
};

/** Two decimals unless the widget says (`options.decimals`): an average of scores reads 91.67, not 91.66666666666667. */
export const roundNumber = (value: number, decimals = 2): number => {
  const factor = 10 ** Math.max(0, Math.min(6, decimals));
  return Math.round(value * factor) / factor;
};
const decimalsOf = (options: WidgetOptions) => (typeof options.decimals === 'number' ? options.decimals : 2);

const PALETTE = ['#1f6feb', '#2da44e', '#f0883e', '#a371f7', '#e5534b', '#39c5cf', '#d4a72c', '#768390'];

function cartesian(type: 'bar' | 'line' | 'area', result: ChartResult, label: ValueLabeler, options: WidgetOptions): EChartsCoreOption {
  const [first, second] = dimensionColumns(result);
  const measures = measureColumns(result);
  const categories: string[] = [];
  const categoryIndex = new Map<string, number>();
  const categoryOf = (row: ResultRow) => (first ? label(first, row[first.key] ?? null) : '');
  for (const row of result.rows) {
    const name = categoryOf(row);
    if (!categoryIndex.has(name)) {
      categoryIndex.set(name, categories.length);
      categories.push(name);
    }
  }
  const seriesType = type === 'area' ? 'line' : type;
  const common = { type: seriesType, ...(type === 'area' ? { areaStyle: {} } : {}), ...(type !== 'bar' ? { smooth: true } : {}), emphasis: { focus: 'series' } };
  let series: Record<string, unknown>[];
  if (second && measures[0]) {
    // Two dimensions: one series per value of the second (e.g. complaints by month, one line per category).
    const measure = measures[0];
    const groups = new Map<string, { value: number | null; rowIndex: number }[]>();
    result.rows.forEach((row, rowIndex) => {
      const group = label(second, row[second.key] ?? null);
      if (!groups.has(group)) groups.set(group, categories.map(() => ({ value: null, rowIndex: -1 })));
      groups.get(group)![categoryIndex.get(categoryOf(row))!] = { value: asNumber(row[measure.key]), rowIndex };
    });
    series = [...groups.entries()].map(([name, data]) => ({ ...common, name, data, ...(type === 'bar' ? { stack: 'total' } : {}) }));
  } else {
    series = measures.map((measure) => ({
      ...common,
      name: measure.label,
      data: result.rows.map((row, rowIndex) => ({ value: asNumber(row[measure.key]), rowIndex })),
    }));
  }
  if (options.target !== undefined && series[0]) {
    series[0].markLine = { symbol: 'none', silent: true, lineStyle: { type: 'dashed', color: '#e5534b' }, data: [{ yAxis: options.target }] };
  }
  return {
    color: PALETTE,
    tooltip: { trigger: 'axis' },
    legend: series.length > 1 ? { type: 'scroll', top: 0 } : undefined,
    grid: { left: 8, right: 16, top: series.length > 1 ? 32 : 16, bottom: 8, containLabel: true },
    xAxis: { type: 'category', data: categories, axisLabel: { hideOverlap: true }, boundaryGap: type === 'bar' },
    yAxis: { type: 'value', name: options.unit ?? undefined },
    series,
  };
}

function slices(result: ChartResult, label: ValueLabeler) {
  const [first] = dimensionColumns(result);
  const [measure] = measureColumns(result);
  return result.rows.map((row, rowIndex) => ({
    name: first ? label(first, row[first.key] ?? null) : (measure?.label ?? ''),
    value: measure ? (asNumber(row[measure.key]) ?? 0) : 0,
    rowIndex,
  }));
}

function gauge(result: ChartResult, options: WidgetOptions): EChartsCoreOption {
  const [measure] = measureColumns(result);
  const value = measure ? (asNumber(result.rows[0]?.[measure.key]) ?? 0) : 0;
  const target = options.target;
  // The widget's own scale, else: a percentage or score tops at 100; otherwise room above the target or the value.
  const min = typeof options.min === 'number' ? options.min : 0;
  const max =
    typeof options.max === 'number'
      ? options.max
      : options.unit === '%' || (target !== undefined && target <= 100 && value <= 100)
        ? 100
        : Math.max(target ?? 0, value) * 1.25 || 1;
  return {
    series: [
      {
        type: 'gauge',
        min,
        max: roundNumber(max),
        progress: { show: true, width: 12 },
        axisLine: { lineStyle: { width: 12 } },
        detail: { valueAnimation: false, formatter: `{value}${options.unit ?? ''}`, fontSize: 22 },
        data: [{ value: roundNumber(value, decimalsOf(options)), name: measure?.label ?? '', rowIndex: 0 }],
      },
    ],
  };
}

/** The ECharts option of a chart widget; null for the widget types drawn without ECharts (KPI, tables, text). */
export function chartOption(type: WidgetType, result: ChartResult, options: WidgetOptions = {}, label: ValueLabeler = plainLabel): EChartsCoreOption | null {
  switch (type) {
    case 'bar':
    case 'line':
    case 'area':
      return cartesian(type, result, label, options);
    case 'pie':
    case 'donut':
      return {
        color: PALETTE,
        tooltip: { trigger: 'item', formatter: '{b}: {c} ({d}%)' },
        legend: { type: 'scroll', bottom: 0 },
        series: [{ type: 'pie', radius: type === 'donut' ? ['40%', '68%'] : '68%', center: ['50%', '45%'], data: slices(result, label), label: { formatter: '{b}: {c}' } }],
      };
    case 'funnel': {
      // `options.order` lists the stages' stored values top to bottom (pending → signed → paid); else largest first.
      const order = Array.isArray(options.order) ? options.order.map(String) : null;
      const data = slices(result, label);
      const rank = (rowIndex: number) => {
        const at = order ? order.indexOf(String(result.rows[rowIndex]?.d0)) : -1;
        return at < 0 ? Number.MAX_SAFE_INTEGER : at;
      };
      const sorted = order ? [...data].sort((a, b) => rank(a.rowIndex) - rank(b.rowIndex)) : [...data].sort((a, b) => b.value - a.value);
      return {
        color: PALETTE,
        tooltip: { trigger: 'item', formatter: '{b}: {c}' },
        series: [{ type: 'funnel', left: '10%', width: '80%', top: 8, bottom: 8, sort: 'none', label: { formatter: '{b}: {c}' }, data: sorted }],
      };
    }
    case 'gauge':
      return gauge(result, options);
    default:
      return null;
  }
}

export interface KpiFigures {
  value: number | null;
  /** The first measure's label (e.g. P50) and the other measures of the same row (P90, 调查数). */
  label: string;
  others: { label: string; value: number | null }[];
  /** The previous bucket's value when the query is bucketed by time (the trend). */
  previous: number | null;
  /** value − previous, or null without a previous. */
  delta: number | null;
  /** Against the target: true met, false missed, null when no target is set or no value. */
  meetsTarget: boolean | null;
}

/**
 * The KPI number: the first measure of the only row, or, when the query is bucketed by time,
 * of the last bucket with the one before as the trend (rows come in time order).
 */
export function kpiFigures(result: ChartResult, options: WidgetOptions = {}): KpiFigures {
  const [measure, ...rest] = measureColumns(result);
  const decimals = decimalsOf(options);
  const bucketed = dimensionColumns(result).length > 0;
  const rows = result.rows;
  const current = bucketed ? rows[rows.length - 1] : rows[0];
  const before = bucketed && rows.length > 1 ? rows[rows.length - 2] : undefined;
  const value = measure && current ? asNumber(current[measure.key]) : null;
  const previous = measure && before ? asNumber(before[measure.key]) : null;
  const target = options.target;
  let meetsTarget: boolean | null = null;
  if (value !== null && target !== undefined && target !== null) meetsTarget = options.targetKind === 'atMost' ? value <= target : value >= target;
  return {
    value: value === null ? null : roundNumber(value, decimals),
    label: measure?.label ?? '',
    others: rest.map((column) => {
      const other = current ? asNumber(current[column.key]) : null;
      return { label: column.label, value: other === null ? null : roundNumber(other, decimals) };
    }),
    previous: previous === null ? null : roundNumber(previous, decimals),
    delta: value !== null && previous !== null ? roundNumber(value - previous, decimals) : null,
    meetsTarget,
  };
}

export interface Pivot {
  rowLabels: string[];
  columnLabels: string[];
  /** cells[row][column]: the first measure, null where no record falls. */
  cells: (number | null)[][];
  rowTotals: number[];
  columnTotals: number[];
}

/** A pivot table of a two-dimension answer: first dimension down, second across, first measure in the cells. */
export function pivot(result: ChartResult, label: ValueLabeler = plainLabel): Pivot {
  const [down, across] = dimensionColumns(result);
  const [measure] = measureColumns(result);
  const rowLabels: string[] = [];
  const columnLabels: string[] = [];
  const index = (list: string[], name: string) => {
    let at = list.indexOf(name);
    if (at < 0) at = list.push(name) - 1;
    return at;
  };
  const entries = result.rows.map((row) => ({
    r: index(rowLabels, down ? label(down, row[down.key] ?? null) : ''),
    c: index(columnLabels, across ? label(across, row[across.key] ?? null) : (measure?.label ?? '')),
    value: measure ? asNumber(row[measure.key]) : null,
  }));
  const cells = rowLabels.map(() => columnLabels.map((): number | null => null));
  for (const entry of entries) cells[entry.r][entry.c] = entry.value;
  const sum = (values: (number | null)[]) => roundNumber(values.reduce<number>((total, value) => total + (value ?? 0), 0));
  return {
    rowLabels,
    columnLabels,
    cells,
    rowTotals: cells.map(sum),
    columnTotals: columnLabels.map((_, c) => sum(cells.map((row) => row[c]))),
  };
}
