/**
 * A dashboard as its viewers see it (`/dashboards/:id`): the filter bar, the widget grid, a
 * chip for the active cross-filter (a clicked bar or slice narrows the other widgets over the
 * same data), the drill-down drawer, and auto-refresh on live events. Every number comes from
 * the server under the viewer's own data permissions.
 */
import { ClearOutlined, EditOutlined, ReloadOutlined, TableOutlined } from '@ant-design/icons';
import { Alert, Button, Empty, Result, Space, Spin, Tag, Typography } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { Link, useParams } from 'react-router';
import { useLoad } from '../api/useLoad.ts';
import { useUser } from '../auth/session.tsx';
import { pickText, useLocale, useMessages } from '../i18n/i18n.tsx';
import { dashboardsApi } from './api.ts';
import { DashboardFiltersBar } from './DashboardFiltersBar.tsx';
import { DashboardGrid } from './DashboardGrid.tsx';
import { DrillDrawer, type Drill } from './DrillDrawer.tsx';
import { messages } from './messages.ts';
import type { CrossFilter, Dashboard, FilterValue, ResultRow, Widget } from './model.ts';
import { crossFilterFromClick, drillFilters, effectiveQuery } from './queryCompose.ts';
import { forgetForms } from './sourceFields.ts';
import { useLiveRefresh } from './useLiveRefresh.ts';
import { WidgetView } from './WidgetView.tsx';

export function initialFilterValues(dashboard: Dashboard | undefined): Record<string, FilterValue> {
  return Object.fromEntries((dashboard?.filters ?? []).filter((filter) => filter.default !== undefined).map((filter) => [filter.id, filter.default as FilterValue]));
}

export function DashboardViewPage() {
  const { id = '' } = useParams();
  const t = useMessages(messages);
  const { locale } = useLocale();
  const user = useUser();
  useMemo(() => forgetForms(), [id]);
  const dashboard = useLoad(() => dashboardsApi.get(id), [id]);
  const [values, setValues] = useState<Record<string, FilterValue>>({});
  const [cross, setCross] = useState<CrossFilter | null>(null);
  // The clicked row and its widget, for 查看明细 on the chip.
  const [crossPick, setCrossPick] = useState<{ widget: Widget; row: ResultRow } | null>(null);
  const [drill, setDrill] = useState<Drill | null>(null);
  const [manualTick, setManualTick] = useState(0);
  const liveTick = useLiveRefresh();
  const data = dashboard.data;
  useEffect(() => {
    setValues(initialFilterValues(data));
    setCross(null);
  }, [data]);

  if (dashboard.error && !data) {
    return <Result status="warning" title={t('loadFailed', { error: dashboard.error.message })} extra={<Link to="/dashboards">{t('back')}</Link>} />;
  }
  if (!data) return <Spin style={{ display: 'block', marginTop: 80 }} />;

  const openDrill = (widget: Widget, row: ResultRow | null, label?: string) => {
    const query = effectiveQuery(widget, data.filters, values, cross);
    if (!query) return;
    setDrill({ title: pickText(widget.title, locale), chips: label ? [label] : [], source: query.source, filters: drillFilters(widget, query, row) });
  };

  const renderWidget = (widget: Widget) => (
    <WidgetView
      widget={widget}
      query={effectiveQuery(widget, data.filters, values, cross)}
      refreshTick={liveTick + manualTick}
      onPick={(row, label) => {
        const next = crossFilterFromClick(widget, row, label);
        // Clicking the active slice again clears it.
        const again = next && cross && cross.widgetId === next.widgetId && cross.value === next.value;
        setCross(again ? null : next);
        setCrossPick(again || !next ? null : { widget, row });
      }}
      onDrill={(row) => openDrill(widget, row)}
    />
  );

  return (
    <div data-testid="dashboard-view" data-dashboard-key={data.key ?? ''}>
      <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 12 }} wrap>
        <Typography.Title level={3} style={{ margin: 0 }} data-testid="dashboard-title">
          {pickText(data.title, locale, t('untitled'))}
        </Typography.Title>
        <Space>
          <Tag color="green">{t('live')}</Tag>
          <Button icon={<ReloadOutlined />} onClick={() => setManualTick((n) => n + 1)} data-testid="dashboard-refresh">
            {t('refresh')}
          </Button>
          {user.role === 'admin' && (
            <Link to={`/dashboards/${id}/design`}>
              <Button icon={<EditOutlined />} data-testid="dashboard-edit">
                {t('edit')}
              </Button>
            </Link>
          )}
        </Space>
      </Space>
      <DashboardFiltersBar filters={data.filters} values={values} onChange={(filterId, value) => setValues((current) => ({ ...current, [filterId]: value }))} />
      {cross && (
        <Alert
          style={{ marginBottom: 12 }}
          type="info"
          data-testid="cross-filter-chip"
          title={t('crossFilter', { label: cross.label })}
          action={
            <Space>
              {crossPick && (
                <Button size="small" icon={<TableOutlined />} onClick={() => openDrill(crossPick.widget, crossPick.row, cross.label)} data-testid="cross-filter-drill">
                  {t('drill')}
                </Button>
              )}
              <Button size="small" icon={<ClearOutlined />} onClick={() => setCross(null)} data-testid="cross-filter-clear">
                {t('clearCrossFilter')}
              </Button>
            </Space>
          }
        />
      )}
      {data.widgets.length === 0 ? <Empty description={t('empty')} /> : <DashboardGrid widgets={data.widgets} render={renderWidget} />}
      <DrillDrawer drill={drill} onClose={() => setDrill(null)} />
    </div>
  );
}
