/**
 * One widget on a dashboard or in the editor's preview: runs its query, shows a spinner while
 * it loads, an empty state, the server's error in words, and the chart — ECharts for bar,
 * line, area, pie/donut, funnel and gauge; antd for the KPI number, the pivot and the detail
 * table; plain text for a text block. `data-state` (loading / ready / empty / error) lets a
 * browser test wait for the outcome.
 */
import { DownloadOutlined, MoreOutlined, PictureOutlined, TableOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Dropdown, Empty, Spin, Typography } from 'antd';
import { useMemo, useRef, type ReactNode } from 'react';
import { useLoad } from '../api/useLoad.ts';
import { pickText, useLocale, useMessages } from '../i18n/i18n.tsx';
import { dashboardsApi } from './api.ts';
import { chartOption } from './chartOptions.ts';
import { DetailTable } from './DetailTable.tsx';
import { downloadText, downloadUrl, safeFileName } from './download.ts';
import { EChart } from './EChart.tsx';
import type { ECharts } from './echarts.ts';
import { KpiNumber } from './KpiNumber.tsx';
import { messages } from './messages.ts';
import type { ChartQuery, ChartResult, ResultRow, Widget } from './model.ts';
import { PivotTable } from './PivotTable.tsx';
import { ResultTable } from './ResultTable.tsx';
import { toCsv } from './queryCompose.ts';
import { labelerFor, useSourceFields } from './sourceFields.ts';

export interface WidgetViewProps {
  widget: Widget;
  /** The query to run (the widget's own, narrowed by the dashboard's filters); null for a text block. */
  query: ChartQuery | null;
  /** Bumped to run the query again (live events, 刷新). */
  refreshTick?: number;
  /** A bar or slice clicked: the row behind it and the label shown. */
  onPick?: (row: ResultRow, label: string) => void;
  /** 查看明细: the records behind a row (null: behind the whole widget). */
  onDrill?: (row: ResultRow | null) => void;
  /** Extra header controls (the designer's edit and remove buttons). */
  extra?: ReactNode;
  /** The designer's drag handle class on the title. */
  dragHandleClass?: string;
}

const ECHART_TYPES = new Set(['bar', 'line', 'area', 'pie', 'donut', 'funnel', 'gauge']);

export function WidgetView({ widget, query, refreshTick = 0, onPick, onDrill, extra, dragHandleClass }: WidgetViewProps) {
  const t = useMessages(messages);
  const { locale } = useLocale();
  const chartRef = useRef<ECharts | null>(null);
  const title = pickText(widget.title, locale);
  const queryKey = JSON.stringify(query);
  // A 明细表 with dimensions is a grouped answer shown as a table; without, the records themselves (paged from /charts/rows).
  const detailRows = widget.type === 'table' && !(widget.query?.dimensions?.length && widget.query.measures?.length);
  const usesChartQuery = query !== null && widget.type !== 'text' && !detailRows;
  const answer = useLoad<ChartResult | null>(() => (usesChartQuery && query ? dashboardsApi.chart(query) : Promise.resolve(null)), [queryKey, refreshTick, widget.type]);
  const { fields } = useSourceFields(widget.query?.source);
  const label = useMemo(() => labelerFor(fields, (widget.query?.dimensions ?? []).map((d) => d.field), locale), [fields, widget.query?.dimensions, locale]);
  const result = answer.data ?? null;
  const option = useMemo(() => (result && ECHART_TYPES.has(widget.type) ? chartOption(widget.type, result, widget.options, label) : null), [result, widget.type, widget.options, label]);

  const state = widget.type === 'text' || detailRows ? 'ready' : answer.error ? 'error' : answer.loading && !result ? 'loading' : result && result.rows.length === 0 ? 'empty' : result ? 'ready' : 'loading';

  const exportPng = () => {
    const url = chartRef.current?.getDataURL({ type: 'png', pixelRatio: 2, backgroundColor: '#fff' });
    if (url) downloadUrl(url, `${safeFileName(title)}.png`);
  };
  const exportCsv = () => {
    if (!result) return;
    const rows = result.rows.map((row) => Object.fromEntries(result.columns.map((column) => [column.key, column.key.startsWith('d') ? label(column, row[column.key] ?? null) : row[column.key]])));
    downloadText(toCsv(result.columns, rows), `${safeFileName(title)}.csv`);
  };

  const menuItems = [
    ...(option ? [{ key: 'png', icon: <PictureOutlined />, label: t('exportPng'), onClick: exportPng }] : []),
    ...(result ? [{ key: 'csv', icon: <DownloadOutlined />, label: t('exportCsv'), onClick: exportCsv }] : []),
    ...(onDrill && widget.query ? [{ key: 'drill', icon: <TableOutlined />, label: t('drill'), onClick: () => onDrill(null) }] : []),
  ];

  let body: ReactNode;
  if (widget.type === 'text') {
    body = <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', margin: 0 }}>{widget.options?.text ?? ''}</Typography.Paragraph>;
  } else if (detailRows) {
    body = query ? <DetailTable source={query.source} filters={query.filters ?? []} refreshTick={refreshTick} compact /> : null;
  } else if (state === 'error') {
    body = <Alert type="error" showIcon title={t('loadFailed', { error: answer.error?.message ?? '' })} data-testid={`widget-error-${widget.id}`} />;
  } else if (state === 'loading') {
    body = <Spin style={{ display: 'block', margin: '24px auto' }} />;
  } else if (state === 'empty') {
    body = <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('noData')} />;
  } else if (widget.type === 'kpi' && result) {
    body = <KpiNumber widget={widget} result={result} onDrill={onDrill && (() => onDrill(null))} />;
  } else if (widget.type === 'table' && result) {
    body = <ResultTable widget={widget} result={result} label={label} onDrill={onDrill} />;
  } else if (widget.type === 'pivot' && result) {
    body = <PivotTable widget={widget} result={result} label={label} onDrill={onDrill} />;
  } else if (option && result) {
    body = (
      <EChart
        option={option}
        chartRef={chartRef}
        testId={`widget-chart-${widget.id}`}
        onPick={(rowIndex) => {
          const row = result.rows[rowIndex];
          const first = result.columns.find((column) => column.key === 'd0');
          if (row && onPick) onPick(row, first ? label(first, row.d0 ?? null) : '');
        }}
      />
    );
  }

  return (
    <Card
      size="small"
      className="lz-widget"
      data-testid={`widget-${widget.id}`}
      data-state={state}
      data-type={widget.type}
      title={<span className={dragHandleClass} style={{ cursor: dragHandleClass ? 'move' : undefined }}>{title}</span>}
      extra={
        <span style={{ display: 'inline-flex', gap: 4, alignItems: 'center' }}>
          {answer.loading && result && <Spin size="small" />}
          {extra}
          {menuItems.length > 0 && (
            <Dropdown menu={{ items: menuItems }} trigger={['click']}>
              <Button size="small" type="text" icon={<MoreOutlined />} data-testid={`widget-menu-${widget.id}`} aria-label="menu" />
            </Dropdown>
          )}
        </span>
      }
      styles={{ body: { flex: 1, minHeight: 0, overflow: 'auto', padding: 8 } }}
      style={{ height: '100%', display: 'flex', flexDirection: 'column' }}
    >
      {body}
    </Card>
  );
}
