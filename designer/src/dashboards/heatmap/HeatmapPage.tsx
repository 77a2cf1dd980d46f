/**
 * 流程热力图 (`/dashboards/heatmap/:key`): pick a process and a date range; its latest diagram
 * shows where instances pass, wait and breach their SLA.
 */
import { DatePicker, Empty, Select, Space, Spin, Typography } from 'antd';
import { useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { call } from '../../api/client.ts';
import { useLoad } from '../../api/useLoad.ts';
import { useMessages } from '../../i18n/i18n.tsx';
import { messages } from '../messages.ts';
import { HeatmapDiagram } from './HeatmapDiagram.tsx';

export function HeatmapPage() {
  const { key } = useParams();
  const t = useMessages(messages);
  const navigate = useNavigate();
  const [range, setRange] = useState<{ from?: string; to?: string }>({});
  const definitions = useLoad(() => call('listDefinitions'), []);
  const definition = useLoad(() => (key ? call('getLatestDefinition', { path: { key } }) : Promise.resolve(null)), [key]);
  const names = [...new Map((definitions.data ?? []).map((item) => [item.key, item.name ?? item.key])).entries()];
  const xml = (definition.data as { xml?: string } | null | undefined)?.xml;
  const name = names.find(([candidate]) => candidate === key)?.[1] ?? key ?? '';
  return (
    <div data-testid="heatmap-page">
      <Space wrap style={{ marginBottom: 12 }}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {key ? t('heatmapTitle', { name }) : t('heatmap')}
        </Typography.Title>
        <Select
          data-testid="heatmap-process"
          style={{ minWidth: 220 }}
          placeholder={t('process')}
          value={key}
          onChange={(next: string) => navigate(`/dashboards/heatmap/${next}`)}
          options={names.map(([value, label]) => ({ value, label: `${label} (${value})` }))}
        />
        <DatePicker.RangePicker
          onChange={(dates) => setRange(dates?.[0] && dates[1] ? { from: dates[0].startOf('day').toISOString(), to: dates[1].endOf('day').toISOString() } : {})}
        />
      </Space>
      {!key && <Empty description={t('process')} />}
      {key && definition.loading && !xml && <Spin />}
      {key && xml && <HeatmapDiagram key={key} definitionKey={key} xml={xml} height={560} initiallyOn range={range} />}
    </div>
  );
}
