/** The KPI widget: one big number, its target (≥ / ≤) met or missed, and the trend against the previous period. */
import { ArrowDownOutlined, ArrowUpOutlined } from '@ant-design/icons';
import { Tag, Typography } from 'antd';
import { useMessages } from '../i18n/i18n.tsx';
import { kpiFigures } from './chartOptions.ts';
import { messages } from './messages.ts';
import type { ChartResult, Widget } from './model.ts';

export function KpiNumber({ widget, result, onDrill }: { widget: Widget; result: ChartResult; onDrill?: () => void }) {
  const t = useMessages(messages);
  const options = widget.options ?? {};
  const figures = kpiFigures(result, options);
  const unit = options.unit ?? '';
  // A currency sign goes before the number (¥12,000), other units after (4.2h, 92%).
  const withUnit = (value: number | string) => (/^[¥$€£]$/.test(unit) ? `${unit}${value}` : `${value}${unit}`);
  const colour = figures.meetsTarget === null ? undefined : figures.meetsTarget ? '#2da44e' : '#e5534b';
  // "Up" is good for an at-least target and bad for an at-most one (a response time).
  const deltaGood = figures.delta === null ? null : options.targetKind === 'atMost' ? figures.delta <= 0 : figures.delta >= 0;
  return (
    <div style={{ display: 'flex', flexDirection: 'column', alignItems: 'center', justifyContent: 'center', height: '100%', gap: 6 }}>
      {/* A link to the records behind it on the viewer; plain text in the designer. */}
      {onDrill ? (
        <Typography.Link data-testid={`widget-kpi-value-${widget.id}`} onClick={onDrill} style={{ fontSize: 36, fontWeight: 600, lineHeight: 1.1, color: colour }}>
          {figures.value === null ? '—' : withUnit(figures.value.toLocaleString())}
        </Typography.Link>
      ) : (
        <Typography.Text data-testid={`widget-kpi-value-${widget.id}`} style={{ fontSize: 36, fontWeight: 600, lineHeight: 1.1, color: colour }}>
          {figures.value === null ? '—' : withUnit(figures.value.toLocaleString())}
        </Typography.Text>
      )}
      {figures.others.length > 0 && (
        <Typography.Text type="secondary" data-testid={`widget-kpi-others-${widget.id}`}>
          {[figures.label, ...figures.others.map((other) => `${other.label} ${other.value === null ? '—' : other.value.toLocaleString()}`)].filter(Boolean).join(' · ')}
        </Typography.Text>
      )}
      {options.target !== undefined && options.target !== null && (
        <span>
          <Typography.Text type="secondary">{t('target', { kind: options.targetKind === 'atMost' ? '≤' : '≥', value: withUnit(options.target) })}</Typography.Text>{' '}
          {figures.meetsTarget !== null && (
            <Tag color={figures.meetsTarget ? 'success' : 'error'} data-testid={`widget-kpi-target-${widget.id}`}>
              {figures.meetsTarget ? t('met') : t('missed')}
            </Tag>
          )}
        </span>
      )}
      {figures.delta !== null && (
        <Typography.Text style={{ color: deltaGood ? '#2da44e' : '#e5534b' }} data-testid={`widget-kpi-trend-${widget.id}`}>
          {figures.delta > 0 ? <ArrowUpOutlined /> : figures.delta < 0 ? <ArrowDownOutlined /> : null}{' '}
          {figures.delta > 0 ? t('trendUp', { delta: figures.delta }) : figures.delta < 0 ? t('trendDown', { delta: figures.delta }) : t('trendFlat')}
        </Typography.Text>
      )}
    </div>
  );
}
