/**
 * `/forms/:key/records`: a form's data — the first few fields as columns, newest first,
 * paged on the server, with a "contains" filter on one chosen text field.
 */
import { useEffect, useMemo, useState } from 'react';
import { Alert, Button, Card, Input, Select, Space, Table } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useNavigate, useParams } from 'react-router';
import { pickText, useLocale, useMessages, type LocalizedText } from '../../i18n/i18n.tsx';
import { formsApi, formTitle, type FormRecord, type FormVersion } from '../api.ts';
import { formsMessages } from '../i18n.ts';
import { displayValue } from './display.ts';

const PAGE_SIZE = 20;
const COLUMNS = 5;

export function RecordsPage() {
  const { key = '' } = useParams();
  const t = useMessages(formsMessages);
  const { locale } = useLocale();
  const navigate = useNavigate();
  const [form, setForm] = useState<FormVersion | null>(null);
  const [page, setPage] = useState(1);
  const [filterField, setFilterField] = useState<string | undefined>();
  const [filter, setFilter] = useState('');
  const [result, setResult] = useState<{ items: FormRecord[]; total: number } | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    formsApi.get(key).then(setForm, (e: Error) => setError(e.message));
  }, [key]);

  const fields = useMemo(() => {
    if (!form) return [];
    const properties = (form.schema.properties ?? {}) as Record<string, Record<string, unknown>>;
    const order = (form.uiSchema['ui:order'] as string[] | undefined)?.filter((k) => k in properties) ?? [];
    return [...order, ...Object.keys(properties).filter((k) => !order.includes(k))].map((name) => ({
      name,
      schema: properties[name],
      title: pickText((form.uiSchema[name] as Record<string, unknown> | undefined)?.['ui:title'] as LocalizedText, locale, name),
    }));
  }, [form, locale]);
  const textFields = fields.filter((f) => f.schema.type === 'string');
  const activeFilter = filterField ?? textFields[0]?.name;

  useEffect(() => {
    if (!form) return;
    setResult(null);
    const params: Record<string, string | number | undefined> = { page, pageSize: PAGE_SIZE };
    if (filter.trim() && activeFilter) params[`filter[${activeFilter}][contains]`] = filter.trim();
    formsApi.records(key, params).then(setResult, (e: Error) => setError(e.message));
  }, [form, key, page, filter, activeFilter]);

  return (
    <Card
      title={form ? `${pickText(formTitle(form) as LocalizedText, locale)} · ${t('records')}` : t('records')}
      extra={
        <Button type="primary" icon={<PlusOutlined />} onClick={() => navigate(`/forms/${key}/records/new`)} data-testid="records-new">
          {t('newRecord')}
        </Button>
      }
    >
      {error && <Alert type="error" title={t('loadFailed')} description={error} style={{ marginBottom: 12 }} />}
      <Space.Compact style={{ marginBottom: 12 }}>
        <Select style={{ width: 160 }} value={activeFilter} placeholder={t('filterField')} data-testid="records-filter-field" options={textFields.map((f) => ({ value: f.name, label: f.title }))} onChange={(v) => { setFilterField(v); setPage(1); }} />
        <Input.Search style={{ width: 280 }} allowClear placeholder={t('filterPlaceholder')} data-testid="records-filter" onSearch={(v) => { setFilter(v); setPage(1); }} />
      </Space.Compact>
      <Table<FormRecord>
        rowKey="id"
        size="middle"
        loading={!result && !error}
        dataSource={result?.items ?? []}
        locale={{ emptyText: t('noRecords') }}
        onRow={(record) => ({ onClick: () => navigate(`/forms/${key}/records/${record.id}`), style: { cursor: 'pointer' }, 'data-testid': `record-row-${record.id}` }) as React.HTMLAttributes<HTMLElement>}
        pagination={{ current: page, pageSize: PAGE_SIZE, total: result?.total ?? 0, onChange: setPage, showSizeChanger: false }}
        columns={[
          ...fields.slice(0, COLUMNS).map((f) => ({ title: f.title, key: f.name, render: (_: unknown, r: FormRecord) => displayValue(r.data[f.name], f.schema, form?.uiSchema[f.name], locale) })),
          { title: t('createdAt'), key: 'createdAt', render: (_: unknown, r: FormRecord) => new Date(r.createdAt).toLocaleString(locale) },
          { title: t('version'), key: 'v', render: (_: unknown, r: FormRecord) => `v${r.formVersion}` },
        ]}
      />
    </Card>
  );
}
