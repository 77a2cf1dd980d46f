/**
 * A process diagram with the 热力图 overlay for its whole definition: each node coloured by
 * the instances that passed it or the average time spent there, a badge with count, average,
 * p90, open now and SLA breaches, and a node click listing the instances behind it.
 */
import './heatmap.css';
import { Alert, Drawer, Radio, Space, Spin, Switch, Table, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { useLoad } from '../../api/useLoad.ts';
import { formatDateTime } from '../../i18n/format.ts';
import { useLocale, useMessages } from '../../i18n/i18n.tsx';
import { ProcessDiagram, type Viewer } from '../../flows/viewer/ProcessDiagram.tsx';
import { dashboardsApi, type HeatmapInstance } from '../api.ts';
import { messages } from '../messages.ts';
import { applyHeat } from './applyHeat.ts';
import { HEAT_LEVELS, type HeatMode } from './heatScale.ts';
import { StatusTag as InstanceStatus } from '../../instances/StatusTag.tsx';

export interface HeatmapDiagramProps {
  definitionKey: string;
  xml: string;
  activeElementIds?: string[];
  completedElementIds?: string[];
  height?: number;
  /** Start with the heat map on (the heat map page) or off behind the toggle (an instance page). */
  initiallyOn?: boolean;
  range?: { from?: string; to?: string };
  version?: number;
}

export function HeatmapDiagram({ definitionKey, xml, activeElementIds, completedElementIds, height, initiallyOn = false, range, version }: HeatmapDiagramProps) {
  const t = useMessages(messages);
  const { locale } = useLocale();
  const [on, setOn] = useState(initiallyOn);
  const [mode, setMode] = useState<HeatMode>('count');
  const [viewer, setViewer] = useState<Viewer | null>(null);
  const [node, setNode] = useState<string | null>(null);
  const heat = useLoad(
    () => (on ? dashboardsApi.heatmap(definitionKey, { from: range?.from, to: range?.to, version }) : Promise.resolve(null)),
    [on, definitionKey, range?.from, range?.to, version],
  );

  useEffect(() => {
    if (!viewer || !on || !heat.data) return;
    return applyHeat(viewer, heat.data.nodes, mode, { entered: t('entered'), avg: t('avg'), p90: t('p90'), open: t('open_'), breached: t('breached') }, locale, setNode);
  }, [viewer, on, heat.data, mode, locale, t]);

  return (
    <div data-testid="heatmap-diagram" data-heat={on && heat.data ? 'on' : 'off'}>
      <Space wrap style={{ marginBottom: 8 }}>
        <Switch checked={on} onChange={setOn} data-testid="heatmap-toggle" />
        <Typography.Text>{t('heatmap')}</Typography.Text>
        {on && (
          <>
            <Radio.Group size="small" value={mode} onChange={(event) => setMode(event.target.value as HeatMode)} data-testid="heatmap-mode">
              <Radio.Button value="count">{t('byCount')}</Radio.Button>
              <Radio.Button value="time">{t('byTime')}</Radio.Button>
            </Radio.Group>
            <span className="lz-heat-legend" title={t('heatmapLegend', { what: mode === 'count' ? t('byCount') : t('byTime') })}>
              {Array.from({ length: HEAT_LEVELS }, (_, level) => (
                <span key={level} className={`cell lz-heat-swatch-${level + 1}`} style={{ background: ['#fff4e5', '#ffe0b8', '#ffc08a', '#ff9466', '#f0624d'][level] }} />
              ))}
            </span>
            {heat.loading && <Spin size="small" />}
          </>
        )}
      </Space>
      {on && heat.error && <Alert type="error" showIcon title={t('noHeatmap', { error: heat.error.message })} style={{ marginBottom: 8 }} />}
      <ProcessDiagram xml={xml} activeElementIds={activeElementIds} completedElementIds={completedElementIds} height={height} onReady={setViewer} />
      <NodeInstancesDrawer definitionKey={definitionKey} elementId={node} onClose={() => setNode(null)} locale={locale} />
    </div>
  );
}

function NodeInstancesDrawer({ definitionKey, elementId, onClose, locale }: { definitionKey: string; elementId: string | null; onClose: () => void; locale: 'zh-CN' | 'en' }) {
  const t = useMessages(messages);
  const [page, setPage] = useState(1);
  useEffect(() => setPage(1), [elementId]);
  const list = useLoad(() => (elementId ? dashboardsApi.heatmapInstances(definitionKey, elementId, page) : Promise.resolve(null)), [definitionKey, elementId, page]);
  return (
    <Drawer open={elementId !== null} onClose={onClose} size="large" title={t('nodeInstances', { node: elementId ?? '' })} destroyOnHidden>
      {list.error && <Alert type="error" showIcon title={t('loadFailed', { error: list.error.message })} />}
      <Table<HeatmapInstance>
        size="small"
        data-testid="heatmap-instances"
        rowKey="id"
        loading={list.loading}
        dataSource={list.data?.items ?? []}
        pagination={{ current: page, pageSize: 20, total: list.data?.total ?? 0, onChange: setPage, showSizeChanger: false, showTotal: (total) => t('records', { total }) }}
        columns={[
          { key: 'id', title: t('instance'), render: (_, item) => <Link to={`/instances/${item.id}`} data-testid="heatmap-instance-link">{item.businessKey || item.id.slice(0, 8)}</Link> },
          { key: 'status', title: t('status'), render: (_, item) => <InstanceStatus status={item.status} /> },
          { key: 'startedBy', title: t('startedBy'), render: (_, item) => item.startedBy ?? '' },
          { key: 'startedAt', title: t('startedAt'), render: (_, item) => formatDateTime(item.startedAt, locale) },
          { key: 'waiting', title: t('waitingHere'), render: (_, item) => (item.waitingHere ? <Tag color="processing">{t('waitingHere')}</Tag> : null) },
        ]}
      />
    </Drawer>
  );
}
