/**
 * New widgets and where they go: a fresh id, a starter query for the chosen chart type, and
 * the first free spot of the 12-column grid below the others. Pure (unit-tested).
 */
import type { ChartQuery, ChartSource, Dashboard, GridLayout, Widget, WidgetType } from './model.ts';

/** Default size per type: numbers small, charts wider, tables wide. */
export const DEFAULT_SIZE: Record<WidgetType, { w: number; h: number }> = {
  kpi: { w: 3, h: 2 },
  gauge: { w: 3, h: 3 },
  text: { w: 4, h: 2 },
  bar: { w: 6, h: 4 },
  line: { w: 6, h: 4 },
  area: { w: 6, h: 4 },
  pie: { w: 4, h: 4 },
  donut: { w: 4, h: 4 },
  funnel: { w: 4, h: 4 },
  pivot: { w: 6, h: 4 },
  table: { w: 12, h: 5 },
};

export function newWidgetId(existing: Widget[]): string {
  const taken = new Set(existing.map((widget) => widget.id));
  for (let n = existing.length + 1; ; n += 1) if (!taken.has(`w${n}`)) return `w${n}`;
}

/** Beside the last widget when the row has room, else below every widget at the left (the grid compacts it upwards). */
export function nextSpot(widgets: Widget[], size: { w: number; h: number }): GridLayout {
  const last = widgets[widgets.length - 1];
  if (last && last.layout.x + last.layout.w + size.w <= 12) return { x: last.layout.x + last.layout.w, y: last.layout.y, ...size };
  const bottom = widgets.reduce((max, widget) => Math.max(max, widget.layout.y + widget.layout.h), 0);
  return { x: 0, y: bottom, ...size };
}

/** What a chart of `type` asks by default on `source`: a count, by nothing for a number. */
export function starterQuery(type: WidgetType, source: ChartSource): ChartQuery {
  return { source, dimensions: [], measures: [{ agg: 'count' }], filters: [], limit: type === 'pivot' ? 200 : 50 };
}

export function newWidget(dashboard: Dashboard, type: WidgetType, source: ChartSource | undefined, title: string): Widget {
  const widget: Widget = { id: newWidgetId(dashboard.widgets), type, title, layout: nextSpot(dashboard.widgets, DEFAULT_SIZE[type]) };
  if (type === 'text') widget.options = { text: '' };
  else if (source) widget.query = starterQuery(type, source);
  return widget;
}

/** Changing the chart type keeps the query; a text block has none, and gets one back when it becomes a chart. */
export function withType(widget: Widget, type: WidgetType, fallbackSource: ChartSource | undefined): Widget {
  const next: Widget = { ...widget, type };
  if (type === 'text') {
    next.options = { ...widget.options, text: widget.options?.text ?? '' };
  } else if (!widget.query && fallbackSource) {
    next.query = starterQuery(type, fallbackSource);
  }
  return next;
}

export const emptyDashboard = (title: string): Dashboard => ({ title, filters: [], widgets: [], sharing: { users: [], roles: [], departments: [], everyone: false } });
