/**
 * A chart query in the admin's words: 维度 (a field, or a date field by day / week / month /
 * quarter / year), 指标 (count, or an aggregation of a number field, or the time between two
 * date fields), 筛选 and 排序. The server's 422 for a part is shown under that part.
 */
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Checkbox, Form, Input, InputNumber, Select, Space, Typography } from 'antd';
import type { ErrorDetail } from '../api/client.ts';
import { useMessages } from '../i18n/i18n.tsx';
import { messageAt } from './errors.ts';
import { messages } from './messages.ts';
import type { Aggregation, ChartQuery, Dimension, DurationUnit, FilterOp, Measure, QueryFilter, TimeBucket, WidgetType } from './model.ts';
import type { SourceField } from './sourceFields.ts';

const AGG_LABELS: Record<Aggregation, { zh: string; en: string }> = {
  count: { zh: '计数', en: 'Count' },
  distinct: { zh: '去重计数', en: 'Distinct count' },
  sum: { zh: '求和', en: 'Sum' },
  avg: { zh: '平均值', en: 'Average' },
  min: { zh: '最小值', en: 'Minimum' },
  max: { zh: '最大值', en: 'Maximum' },
  median: { zh: '中位数', en: 'Median' },
  p90: { zh: 'P90', en: 'P90' },
  ratio: { zh: '占比 %', en: 'Share %' },
};
const BUCKETS: { value: TimeBucket; zh: string; en: string }[] = [
  { value: 'day', zh: '按天', en: 'Day' },
  { value: 'week', zh: '按周', en: 'Week' },
  { value: 'month', zh: '按月', en: 'Month' },
  { value: 'quarter', zh: '按季度', en: 'Quarter' },
  { value: 'year', zh: '按年', en: 'Year' },
];
const OPS: { value: FilterOp; label: string }[] = [
  { value: 'eq', label: '=' },
  { value: 'ne', label: '≠' },
  { value: 'gt', label: '>' },
  { value: 'gte', label: '≥' },
  { value: 'lt', label: '<' },
  { value: 'lte', label: '≤' },
  { value: 'in', label: '∈' },
  { value: 'contains', label: '⊃' },
  { value: 'between', label: '[ , ]' },
  { value: 'empty', label: '∅' },
  { value: 'notEmpty', label: '≠ ∅' },
];
const OP_LABELS_ZH: Partial<Record<FilterOp, string>> = { in: '属于', contains: '包含', between: '介于', empty: '为空', notEmpty: '不为空' };
const OP_LABELS_EN: Partial<Record<FilterOp, string>> = { in: 'in', contains: 'contains', between: 'between', empty: 'is empty', notEmpty: 'is not empty' };

export interface QueryEditorProps {
  type: WidgetType;
  query: ChartQuery;
  fields: SourceField[];
  locale: 'zh-CN' | 'en';
  onChange: (query: ChartQuery) => void;
  /** 422 details relative to the query (`/measures/0/field`). */
  details: ErrorDetail[];
}

/** A typed filter value from what the admin typed: numbers for number fields, true/false for yes/no, a list for 属于. */
export function filterValue(field: SourceField | undefined, op: FilterOp, text: string): unknown {
  const one = (raw: string): string | number | boolean => {
    const trimmed = raw.trim();
    if (field?.type === 'number' && trimmed !== '' && Number.isFinite(Number(trimmed))) return Number(trimmed);
    if (field?.type === 'boolean') return trimmed === 'true' || trimmed === '是';
    return trimmed;
  };
  if (op === 'in') return text.split(/[,，]/).map(one).filter((value) => value !== '');
  if (op === 'between') return text.split(/[,，~]/).slice(0, 2).map(one);
  if (op === 'empty' || op === 'notEmpty') return undefined;
  return one(text);
}

const valueText = (value: unknown) => (Array.isArray(value) ? value.join(', ') : value === undefined || value === null ? '' : String(value));

export function QueryEditor({ type, query, fields, locale, onChange, details }: QueryEditorProps) {
  const t = useMessages(messages);
  const en = locale === 'en';
  const fieldOptions = (filter?: (field: SourceField) => boolean) =>
    fields.filter((field) => !field.subForm && (!filter || filter(field))).map((field) => ({ value: field.name, label: field.title }));
  const fieldOf = (name?: string) => fields.find((field) => field.name === name);
  const dimensions = query.dimensions ?? [];
  const measures = query.measures ?? [];
  const filters = query.filters ?? [];
  const set = (patch: Partial<ChartQuery>) => onChange({ ...query, ...patch });
  const setDimension = (index: number, next: Dimension) => set({ dimensions: dimensions.map((d, i) => (i === index ? next : d)) });
  const setMeasure = (index: number, next: Measure) => set({ measures: measures.map((m, i) => (i === index ? next : m)) });
  const setFilter = (index: number, next: QueryFilter) => set({ filters: filters.map((f, i) => (i === index ? next : f)) });
  const maxDimensions = type === 'kpi' || type === 'gauge' ? 1 : type === 'pie' || type === 'donut' || type === 'funnel' ? 1 : 2;
  const sortValue = query.sort?.[0] ? `${query.sort[0].by}:${query.sort[0].desc ? 'desc' : 'asc'}` : '';

  return (
    <>
      {type !== 'table' && (
        <Form.Item label={t('dimensions')} validateStatus={messageAt(details, '/dimensions') ? 'error' : undefined} help={messageAt(details, '/dimensions')}>
          <Space orientation="vertical" style={{ width: '100%' }}>
            {dimensions.map((dimension, index) => {
              const isDate = fieldOf(dimension.field)?.type === 'date';
              return (
                <Space key={index} wrap>
                  <Select
                    data-testid={`dimension-field-${index}`}
                    style={{ width: 200 }}
                    showSearch={{ optionFilterProp: 'label' }}
                    value={dimension.field || undefined}
                    onChange={(field: string) => setDimension(index, fieldOf(field)?.type === 'date' ? { field, bucket: dimension.bucket ?? 'month' } : { field })}
                    options={fieldOptions()}
                  />
                  {isDate && (
                    <Select
                      data-testid={`dimension-bucket-${index}`}
                      style={{ width: 110 }}
                      value={dimension.bucket ?? 'month'}
                      onChange={(bucket: TimeBucket) => setDimension(index, { ...dimension, bucket })}
                      options={BUCKETS.map((bucket) => ({ value: bucket.value, label: en ? bucket.en : bucket.zh }))}
                    />
                  )}
                  <Button type="text" icon={<DeleteOutlined />} aria-label="remove" onClick={() => set({ dimensions: dimensions.filter((_, i) => i !== index) })} />
                </Space>
              );
            })}
            {dimensions.length < maxDimensions && (
              <Button size="small" icon={<PlusOutlined />} onClick={() => set({ dimensions: [...dimensions, { field: '' }] })} data-testid="add-dimension">
                {t('addDimension')}
              </Button>
            )}
          </Space>
        </Form.Item>
      )}
      {type !== 'table' && (
        <Form.Item label={t('measures')} validateStatus={messageAt(details, '/measures') ? 'error' : undefined} help={messageAt(details, '/measures')}>
          <Space orientation="vertical" style={{ width: '100%' }}>
            {measures.map((measure, index) => (
              <Space key={index} wrap align="start">
                <Select
                  data-testid={`measure-agg-${index}`}
                  style={{ width: 120 }}
                  value={measure.agg}
                  onChange={(agg: Aggregation) => setMeasure(index, agg === 'count' ? { agg } : { ...measure, agg })}
                  options={(Object.keys(AGG_LABELS) as Aggregation[]).filter((agg) => agg !== 'ratio').map((agg) => ({ value: agg, label: en ? AGG_LABELS[agg].en : AGG_LABELS[agg].zh }))}
                />
                {measure.agg !== 'count' && !measure.duration && (
                  <Select
                    data-testid={`measure-field-${index}`}
                    style={{ width: 180 }}
                    showSearch={{ optionFilterProp: 'label' }}
                    value={measure.field || undefined}
                    onChange={(field: string) => setMeasure(index, { ...measure, field })}
                    options={fieldOptions((field) => measure.agg === 'distinct' || field.type === 'number' || ((measure.agg === 'min' || measure.agg === 'max') && field.type === 'date'))}
                  />
                )}
                {measure.agg !== 'count' && measure.agg !== 'distinct' && (
                  <Checkbox
                    checked={!!measure.duration}
                    onChange={(event) => setMeasure(index, event.target.checked ? { agg: measure.agg, duration: { from: '', to: '', unit: 'hour' } } : { agg: measure.agg, field: '' })}
                  >
                    {t('useDuration')}
                  </Checkbox>
                )}
                {measure.duration && (
                  <Space wrap>
                    <Select
                      style={{ width: 150 }}
                      placeholder={t('durationFrom')}
                      value={measure.duration.from || undefined}
                      onChange={(from: string) => setMeasure(index, { ...measure, duration: { ...measure.duration!, from } })}
                      options={fieldOptions((field) => field.type === 'date')}
                    />
                    <Select
                      style={{ width: 150 }}
                      placeholder={t('durationTo')}
                      value={measure.duration.to || undefined}
                      onChange={(to: string) => setMeasure(index, { ...measure, duration: { ...measure.duration!, to } })}
                      options={fieldOptions((field) => field.type === 'date')}
                    />
                    <Select
                      style={{ width: 90 }}
                      value={measure.duration.unit ?? 'hour'}
                      onChange={(unit: DurationUnit) => setMeasure(index, { ...measure, duration: { ...measure.duration!, unit } })}
                      options={[
                        { value: 'minute', label: en ? 'minutes' : '分钟' },
                        { value: 'hour', label: en ? 'hours' : '小时' },
                        { value: 'day', label: en ? 'days' : '天' },
                      ]}
                    />
                  </Space>
                )}
                {measures.length > 1 && <Button type="text" icon={<DeleteOutlined />} aria-label="remove" onClick={() => set({ measures: measures.filter((_, i) => i !== index) })} />}
              </Space>
            ))}
            {measures.length < 4 && (type === 'bar' || type === 'line' || type === 'area') && (
              <Button size="small" icon={<PlusOutlined />} onClick={() => set({ measures: [...measures, { agg: 'count' }] })}>
                {t('addMeasure')}
              </Button>
            )}
          </Space>
        </Form.Item>
      )}
      <Form.Item label={t('filters')} validateStatus={messageAt(details, '/filters') ? 'error' : undefined} help={messageAt(details, '/filters')}>
        <Space orientation="vertical" style={{ width: '100%' }}>
          {filters.map((filter, index) => {
            const field = fieldOf(filter.field);
            const needsValue = filter.op !== 'empty' && filter.op !== 'notEmpty';
            return (
              <Space key={index} wrap>
                <Select
                  data-testid={`filter-field-${index}`}
                  style={{ width: 160 }}
                  showSearch={{ optionFilterProp: 'label' }}
                  value={filter.field || undefined}
                  onChange={(name: string) => setFilter(index, { field: name, op: filter.op, value: undefined })}
                  options={fieldOptions()}
                />
                <Select
                  style={{ width: 100 }}
                  value={filter.op}
                  onChange={(op: FilterOp) => setFilter(index, { ...filter, op, value: filterValue(field, op, valueText(filter.value)) as QueryFilter['value'] })}
                  options={OPS.map((op) => ({ value: op.value, label: (en ? OP_LABELS_EN : OP_LABELS_ZH)[op.value] ?? op.label }))}
                />
                {needsValue &&
                  (field?.options && (filter.op === 'eq' || filter.op === 'ne' || filter.op === 'in') ? (
                    <Select
                      data-testid={`filter-value-${index}`}
                      style={{ minWidth: 160 }}
                      mode={filter.op === 'in' ? 'multiple' : undefined}
                      value={filter.value as string | string[] | undefined}
                      onChange={(value: string | string[]) => setFilter(index, { ...filter, value })}
                      options={field.options}
                    />
                  ) : (
                    <Input
                      data-testid={`filter-value-${index}`}
                      style={{ width: 180 }}
                      placeholder={filter.op === 'between' ? (field?.type === 'date' ? '2026-01-01, 2026-03-31' : '1, 10') : filter.op === 'in' ? 'a, b' : t('value')}
                      defaultValue={valueText(filter.value)}
                      onBlur={(event) => setFilter(index, { ...filter, value: filterValue(field, filter.op, event.target.value) as QueryFilter['value'] })}
                    />
                  ))}
                <Button type="text" icon={<DeleteOutlined />} aria-label="remove" onClick={() => set({ filters: filters.filter((_, i) => i !== index) })} />
              </Space>
            );
          })}
          {filters.length < 20 && (
            <Button size="small" icon={<PlusOutlined />} onClick={() => set({ filters: [...filters, { field: '', op: 'eq' }] })} data-testid="add-filter">
              {t('addFilter')}
            </Button>
          )}
        </Space>
      </Form.Item>
      {type !== 'table' && type !== 'kpi' && type !== 'gauge' && (
        <Space wrap>
          <Form.Item label={t('sort')} validateStatus={messageAt(details, '/sort') ? 'error' : undefined} help={messageAt(details, '/sort')}>
            <Select
              style={{ width: 180 }}
              value={sortValue}
              onChange={(value: string) => {
                if (!value) return set({ sort: [] });
                const [by, direction] = value.split(':') as ['measure' | 'dimension', string];
                set({ sort: [{ by, index: 0, desc: direction === 'desc' }] });
              }}
              options={[
                { value: '', label: t('sortNone') },
                { value: 'measure:desc', label: t('sortMeasureDesc') },
                { value: 'measure:asc', label: t('sortMeasureAsc') },
                { value: 'dimension:asc', label: t('sortDimension') },
              ]}
            />
          </Form.Item>
          <Form.Item label={t('limit')} validateStatus={messageAt(details, '/limit') ? 'error' : undefined} help={messageAt(details, '/limit')}>
            <InputNumber min={1} max={1000} value={query.limit} onChange={(limit) => set({ limit: limit ?? undefined })} />
          </Form.Item>
        </Space>
      )}
      {messageAt(details, '/source') && <Typography.Text type="danger">{messageAt(details, '/source')}</Typography.Text>}
    </>
  );
}
