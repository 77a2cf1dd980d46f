/**
 * The records behind a chart, paged from `POST /api/charts/rows` (the same source and filters
 * as the chart, so the rows are the ones it counted, as the caller may see them). Used by the
 * detail-table widget and the drill-down drawer. Columns follow the source's fields in form
 * order; a record links to its page, a process row to its instance.
 */
import { Alert, Table, Typography } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import { useLoad } from '../api/useLoad.ts';
import { useMessages } from '../i18n/i18n.tsx';
import { dashboardsApi } from './api.ts';
import { messages } from './messages.ts';
import type { ChartSource, QueryFilter } from './model.ts';
import { fieldValueLabel, useSourceFields, type SourceField } from './sourceFields.ts';
import { useLocale } from '../i18n/i18n.tsx';

type Item = Record<string, unknown>;

const isObject = (value: unknown): value is Item => !!value && typeof value === 'object' && !Array.isArray(value);
/** A row's field values: a sub-form row's `row` (its record's fields as `_parent.x`), a record's `data`, or the item itself for process rows. */
const valuesOf = (item: Item): Item => {
  if (isObject(item.row)) return { ...item.row, ...(isObject(item.data) ? Object.fromEntries(Object.entries(item.data).map(([key, value]) => [`_parent.${key}`, value])) : {}) };
  return isObject(item.data) ? item.data : item;
};

/** The fields to show: the source's fields that occur in the page, then any other keys, at most 12. */
export function detailColumns(items: Item[], fields: SourceField[]): { name: string; title: string }[] {
  const present = new Set(items.flatMap((item) => Object.keys(valuesOf(item))));
  const known = fields.filter((field) => present.has(field.name) && !field.subForm).map((field) => ({ name: field.name, title: field.title }));
  const hidden = new Set(['id', 'data', 'formKey', 'formVersion', 'instanceId']);
  const extra = [...present].filter((name) => !hidden.has(name) && !fields.some((field) => field.name === name)).map((name) => ({ name, title: name }));
  return [...known, ...(known.length ? [] : extra)].slice(0, 12);
}

function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

export function DetailTable({ source, filters, refreshTick = 0, compact = false }: { source: ChartSource; filters: QueryFilter[]; refreshTick?: number; compact?: boolean }) {
  const t = useMessages(messages);
  const { locale } = useLocale();
  const [page, setPage] = useState(1);
  const pageSize = compact ? 5 : 10;
  const key = JSON.stringify({ source, filters });
  const answer = useLoad(() => dashboardsApi.rows(source, filters, page, pageSize), [key, page, refreshTick]);
  const { fields } = useSourceFields(source);
  const items = answer.data?.items ?? [];
  const columns = detailColumns(items, fields).map((column, index) => ({
    key: column.name,
    title: column.title,
    render: (_: unknown, item: Item) => {
      const value = valuesOf(item)[column.name];
      const field = fields.find((candidate) => candidate.name === column.name);
      const text = value === null || value === undefined ? '' : field ? fieldValueLabel(field, value, locale) : cellText(value);
      if (index > 0 || typeof item.id !== 'string') return text;
      const href =
        source.kind === 'records' ? `/forms/${source.formKey}/records/${item.id}` : source.kind === 'instances' ? `/instances/${item.id}` : item.instanceId ? `/instances/${String(item.instanceId)}` : null;
      return href ? <Link to={href}>{text || '—'}</Link> : text;
    },
  }));
  if (answer.error) return <Alert type="error" showIcon title={t('loadFailed', { error: answer.error.message })} />;
  return (
    <Table
      size="small"
      data-testid="detail-table"
      rowKey={(item: Item) => String(item.id ?? JSON.stringify(item))}
      loading={answer.loading}
      columns={columns}
      dataSource={items}
      onRow={() => ({ 'data-testid': 'detail-row' }) as React.HTMLAttributes<HTMLElement>}
      pagination={{ current: page, pageSize, total: answer.data?.total ?? 0, onChange: setPage, size: 'small', showTotal: (total) => t('records', { total }), showSizeChanger: false }}
      footer={compact ? undefined : () => <Typography.Text type="secondary" data-testid="detail-total">{t('records', { total: answer.data?.total ?? 0 })}</Typography.Text>}
    />
  );
}
