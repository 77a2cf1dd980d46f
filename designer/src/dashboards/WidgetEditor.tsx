/**
 * The widget editor drawer: title, chart type, data source, the query (维度 / 指标 / 筛选 /
 * 排序), the KPI target and trend, a text block's text, which field each dashboard filter
 * narrows — with a live preview that runs the draft query (after a short pause in typing).
 */
import { Alert, Button, Checkbox, Col, Divider, Drawer, Form, Input, InputNumber, Row, Select, Space, Typography } from 'antd';
import { useEffect, useState } from 'react';
import type { ErrorDetail } from '../api/client.ts';
import { pickText, useLocale, useMessages, type LocalizedText } from '../i18n/i18n.tsx';
import { detailsUnder, messageAt } from './errors.ts';
import { messages } from './messages.ts';
import { CHART_TYPES, type ChartQuery, type DashboardFilter, type TimeBucket, type Widget, type WidgetType } from './model.ts';
import { QueryEditor } from './QueryEditor.tsx';
import { defaultFilterField, isQueryComplete } from './queryCompose.ts';
import { SourcePicker } from './SourcePicker.tsx';
import { useSourceFields } from './sourceFields.ts';
import { withType } from './widgetDefaults.ts';
import { WidgetView } from './WidgetView.tsx';

const TYPE_LABELS: Record<WidgetType, { zh: string; en: string }> = {
  kpi: { zh: '指标卡', en: 'KPI number' },
  bar: { zh: '柱状图', en: 'Bar' },
  line: { zh: '折线图', en: 'Line' },
  area: { zh: '面积图', en: 'Area' },
  pie: { zh: '饼图', en: 'Pie' },
  donut: { zh: '环形图', en: 'Donut' },
  funnel: { zh: '漏斗图', en: 'Funnel' },
  gauge: { zh: '仪表盘图', en: 'Gauge' },
  pivot: { zh: '透视表', en: 'Pivot table' },
  table: { zh: '明细表', en: 'Detail table' },
  text: { zh: '文本', en: 'Text' },
};
export const typeLabel = (type: WidgetType, locale: string) => (locale === 'en' ? TYPE_LABELS[type].en : TYPE_LABELS[type].zh);

/** The draft, a moment after the last change: the preview does not query on every keystroke. */
function useSettled<T>(value: T, ms = 400): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}

export interface WidgetEditorProps {
  widget: Widget | null;
  filters: DashboardFilter[];
  /** 422 details relative to this widget (`/query/measures/0/field`). */
  details: ErrorDetail[];
  onDone: (widget: Widget) => void;
  onCancel: () => void;
}

export function WidgetEditor({ widget, filters, details, onDone, onCancel }: WidgetEditorProps) {
  const t = useMessages(messages);
  const { locale } = useLocale();
  const [draft, setDraft] = useState<Widget | null>(widget);
  useEffect(() => setDraft(widget), [widget]);
  const settled = useSettled(draft);
  const { fields } = useSourceFields(draft?.query?.source);
  if (!draft) return null;
  const set = (patch: Partial<Widget>) => setDraft({ ...draft, ...patch });
  const setOptions = (patch: Record<string, unknown>) => set({ options: { ...draft.options, ...patch } });
  const setQuery = (query: ChartQuery) => set({ query });
  const titleOf = (lang: 'zh-CN' | 'en') => (typeof draft.title === 'object' && draft.title ? (draft.title[lang] ?? '') : lang === 'zh-CN' ? ((draft.title as string) ?? '') : '');
  const setTitle = (lang: 'zh-CN' | 'en', text: string) => set({ title: { 'zh-CN': titleOf('zh-CN'), en: titleOf('en'), [lang]: text } as LocalizedText });
  const query = draft.query;
  const dateFields = fields.filter((field) => field.type === 'date');
  const trendOn = draft.type === 'kpi' && !!query?.dimensions?.some((dimension) => dimension.bucket);
  const setTrend = (on: boolean, field?: string, bucket?: TimeBucket) => {
    if (!query) return;
    const name = field ?? dateFields[0]?.name;
    setQuery({ ...query, dimensions: on && name ? [{ field: name, bucket: bucket ?? 'month' }] : [] });
  };
  const queryDetails = detailsUnder(details, '/query');

  return (
    <Drawer
      open
      size={980}
      title={t('editWidget')}
      onClose={onCancel}
      destroyOnHidden
      extra={
        <Space>
          <Button onClick={onCancel}>{t('cancel')}</Button>
          <Button type="primary" onClick={() => onDone(draft)} data-testid="widget-editor-done">
            {t('done')}
          </Button>
        </Space>
      }
    >
      <Row gutter={16} data-testid="widget-editor">
        <Col span={14}>
          <Form layout="vertical" size="small">
            <Row gutter={8}>
              <Col span={12}>
                <Form.Item label={t('title')} validateStatus={messageAt(details, '/title') ? 'error' : undefined} help={messageAt(details, '/title')}>
                  <Input data-testid="widget-editor-title" value={titleOf('zh-CN')} onChange={(event) => setTitle('zh-CN', event.target.value)} />
                </Form.Item>
              </Col>
              <Col span={12}>
                <Form.Item label={t('titleEn')}>
                  <Input value={titleOf('en')} onChange={(event) => setTitle('en', event.target.value)} />
                </Form.Item>
              </Col>
            </Row>
            <Form.Item label={t('chartType')}>
              <Select
                data-testid="widget-editor-type"
                value={draft.type}
                onChange={(type: WidgetType) => setDraft(withType(draft, type, { kind: 'records', formKey: '' }))}
                options={CHART_TYPES.map((type) => ({ value: type, label: typeLabel(type, locale) }))}
              />
            </Form.Item>
            {draft.type === 'text' && (
              <Form.Item label={t('text')}>
                <Input.TextArea data-testid="widget-editor-text" rows={5} maxLength={2000} value={draft.options?.text ?? ''} onChange={(event) => setOptions({ text: event.target.value })} />
              </Form.Item>
            )}
            {query && draft.type !== 'text' && (
              <>
                <Divider titlePlacement="start" plain>
                  {t('source')}
                </Divider>
                <SourcePicker source={query.source} onChange={(source) => setQuery({ ...query, source, dimensions: [], filters: [], measures: [{ agg: 'count' }] })} error={messageAt(queryDetails, '/source')} />
                <QueryEditor type={draft.type} query={query} fields={fields} locale={locale} onChange={setQuery} details={queryDetails} />
              </>
            )}
            {(draft.type === 'kpi' || draft.type === 'gauge' || draft.type === 'bar' || draft.type === 'line') && (
              <Space wrap>
                <Form.Item label={t('targetLabel')}>
                  <InputNumber data-testid="widget-editor-target" value={draft.options?.target} onChange={(target) => setOptions({ target: target ?? undefined })} />
                </Form.Item>
                <Form.Item label={t('targetKind')}>
                  <Select
                    style={{ width: 130 }}
                    value={draft.options?.targetKind ?? 'atLeast'}
                    onChange={(targetKind: string) => setOptions({ targetKind })}
                    options={[
                      { value: 'atLeast', label: t('atLeast') },
                      { value: 'atMost', label: t('atMost') },
                    ]}
                  />
                </Form.Item>
                <Form.Item label={t('unit')}>
                  <Input style={{ width: 80 }} maxLength={10} value={draft.options?.unit ?? ''} onChange={(event) => setOptions({ unit: event.target.value || undefined })} />
                </Form.Item>
              </Space>
            )}
            {draft.type === 'kpi' && query && (
              <Space wrap>
                <Checkbox checked={trendOn} disabled={dateFields.length === 0} onChange={(event) => setTrend(event.target.checked)}>
                  {t('trend')}
                </Checkbox>
                {trendOn && (
                  <Select
                    style={{ width: 180 }}
                    value={query.dimensions?.[0]?.field}
                    onChange={(field: string) => setTrend(true, field, query.dimensions?.[0]?.bucket)}
                    options={dateFields.map((field) => ({ value: field.name, label: field.title }))}
                  />
                )}
              </Space>
            )}
            {filters.length > 0 && query && draft.type !== 'text' && (
              <>
                <Divider titlePlacement="start" plain>
                  {t('appliesTo')}
                </Divider>
                <Typography.Paragraph type="secondary">{t('appliesToHint')}</Typography.Paragraph>
                {filters.map((filter) => (
                  <Form.Item key={filter.id} label={pickText(filter.label, locale, filter.id)}>
                    <Select
                      data-testid={`widget-filter-field-${filter.id}`}
                      allowClear
                      placeholder={defaultFilterField(filter, query.source) ?? '—'}
                      value={draft.filterFields?.[filter.id]}
                      onChange={(field?: string) => {
                        const next = { ...draft.filterFields };
                        if (field) next[filter.id] = field;
                        else delete next[filter.id];
                        set({ filterFields: next });
                      }}
                      options={fields.filter((field) => !field.subForm && (filter.kind !== 'dateRange' || field.type === 'date')).map((field) => ({ value: field.name, label: field.title }))}
                    />
                  </Form.Item>
                ))}
              </>
            )}
          </Form>
        </Col>
        <Col span={10}>
          <Typography.Text strong>{t('preview')}</Typography.Text>
          <div style={{ height: 340, marginTop: 8 }} data-testid="widget-preview">
            {settled && (settled.type === 'text' || (settled.query && isQueryComplete(settled.query))) ? (
              <WidgetView widget={settled} query={settled.query ?? null} />
            ) : (
              <Alert type="info" title={t('previewHint')} />
            )}
          </div>
        </Col>
      </Row>
    </Drawer>
  );
}
