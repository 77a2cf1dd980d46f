/**
 * `/forms/:key/records`: a form's data — its fields as columns in form order, newest first,
 * sorted by any column on the server (numbers and dates as such), filtered per field in the
 * words people read (RecordFilters.tsx), with the process status of flow-form records.
 */
import { useEffect, useMemo, useState } from 'react';
import { Alert, Button, Card, Space, Table } from 'antd';
import type { SorterResult, SortOrder } from 'antd/es/table/interface';
import { DownloadOutlined, PlusOutlined } from '@ant-design/icons';
import { useNavigate, useParams } from 'react-router';
import { pickText, useLocale, useMessages, type LocalizedText } from '../../i18n/i18n.tsx';
import { useFormat } from '../../i18n/format.ts';
import { formsApi, formTitle, type FormVersion, type RecordEntry } from '../api.ts';
import { formsMessages } from '../i18n.ts';
import { displayValue } from './display.ts';
import { recordFields, sortable } from './fields.ts';
import { recordMessages } from './i18n.ts';
import { ProcessStatus } from './ProcessStatus.tsx';
import { useSession } from '../../auth/session.tsx';
import { PublicLinksButton } from '../../publicLinks/PublicLinksButton.tsx';
import { filterParams, RecordFilters, type FilterState } from './RecordFilters.tsx';
import { useMyAccess } from '../../access/useMyAccess.ts';
import { query } from '../../api/client.ts';
import { ExportXlsxButton } from '../../imports/ExportXlsxButton.tsx';
import { ImportButton } from '../../imports/ImportButton.tsx';

const PAGE_SIZE = 20;
/** Field columns shown; the filters cover every field. */
const COLUMNS = 6;

interface Sort {
  key: string;
  descending: boolean;
}

export function RecordsPage() {
  const { key = '' } = useParams();
  const t = useMessages(formsMessages);
  const tr = useMessages(recordMessages);
  const format = useFormat();
  const { locale } = useLocale();
  const navigate = useNavigate();
  const isAdminUser = useSession().user?.role === 'admin';
  const [form, setForm] = useState<FormVersion | null>(null);
  const [page, setPage] = useState(1);
  const [filters, setFilters] = useState<FilterState>({});
  const [sort, setSort] = useState<Sort>({ key: 'createdAt', descending: true });
  const [result, setResult] = useState<{ items: RecordEntry[]; total: number } | null>(null);
  const [error, setError] = useState<string | null>(null);
  /** Bumped after an import: the list loads again. */
  const [reloads, setReloads] = useState(0);
  const rights = useMyAccess(key);

  useEffect(() => {
    formsApi.get(key).then(setForm, (e: Error) => setError(e.message));
  }, [key]);

  // A field the reader may not see is no column and no filter (the server refuses filters on it).
  const fields = useMemo(() => (form ? recordFields(form, locale).filter((field) => rights.sees(field.name)) : []), [form, locale, rights.sees]);
  const filterable = useMemo(() => fields.filter((field) => rights.mayQuery(field.name)), [fields, rights.mayQuery]);
  const params = useMemo(() => filterParams(fields, filters), [fields, filters]);
  const sortParam = `${sort.descending ? '-' : ''}${sort.key}`;

  useEffect(() => {
    if (!form) return;
    let current = true;
    setError(null);
    formsApi.records(key, { ...params, sort: sortParam, page, pageSize: PAGE_SIZE }).then(
      (answer) => current && setResult(answer),
      (e: Error) => current && setError(e.message),
    );
    return () => {
      current = false;
    };
  }, [form, key, page, params, sortParam, reloads]);

  const order = (column: string): SortOrder => (sort.key === column ? (sort.descending ? 'descend' : 'ascend') : null);
  const hasProcess = result?.items.some((item) => item.process !== null) ?? false;

  const onTableChange = (_pagination: unknown, _filters: unknown, sorter: SorterResult<RecordEntry> | SorterResult<RecordEntry>[]) => {
    const one = Array.isArray(sorter) ? sorter[0] : sorter;
    // Clearing a sort goes back to newest first.
    if (!one?.order || !one.columnKey) setSort({ key: 'createdAt', descending: true });
    else setSort({ key: String(one.columnKey), descending: one.order === 'descend' });
    setPage(1);
  };

  return (
    <Card
      title={form ? `${pickText(formTitle(form) as LocalizedText, locale)} · ${t('records')}` : t('records')}
      extra={
        <Space>
          {isAdminUser && form && <PublicLinksButton formKey={key} formTitle={pickText(formTitle(form) as LocalizedText, locale)} />}
          {rights.may('export') && (
            <Button icon={<DownloadOutlined />} href={`/api/forms/${encodeURIComponent(key)}/records/export${query({ ...params, sort: sortParam })}`} data-testid="records-export">
              {tr('export')}
            </Button>
          )}
          {rights.may('export') && <ExportXlsxButton formKey={key} query={query({ ...params, sort: sortParam })} />}
          {rights.may('import') && <ImportButton formKey={key} onImported={() => setReloads((n) => n + 1)} />}
          {rights.may('add') && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => navigate(`/forms/${key}/records/new`)} data-testid="records-new">
              {t('newRecord')}
            </Button>
          )}
        </Space>
      }
    >
      {error && <Alert type="error" title={t('loadFailed')} description={error} style={{ marginBottom: 12 }} data-testid="records-error" />}
      <RecordFilters
        fields={filterable}
        state={filters}
        onChange={(next) => {
          setFilters(next);
          setPage(1);
        }}
      />
      <Table<RecordEntry>
        rowKey="id"
        size="middle"
        loading={!result && !error}
        dataSource={result?.items ?? []}
        locale={{ emptyText: t('noRecords') }}
        data-testid="records-table"
        // The "click to sort" hint only over the arrows, not over the column title.
        showSorterTooltip={{ target: 'sorter-icon' }}
        onChange={onTableChange}
        onRow={(record) => ({ onClick: () => navigate(`/forms/${key}/records/${record.id}`), style: { cursor: 'pointer' }, 'data-testid': `record-row-${record.id}` }) as React.HTMLAttributes<HTMLElement>}
        pagination={{ current: page, pageSize: PAGE_SIZE, total: result?.total ?? 0, onChange: setPage, showSizeChanger: false }}
        columns={[
          ...fields.slice(0, COLUMNS).map((f) => ({
            title: <span data-testid={`records-column-${f.name}`}>{f.title}</span>,
            key: f.name,
            sorter: sortable(f) && rights.mayQuery(f.name),
            sortOrder: order(f.name),
            render: (_: unknown, r: RecordEntry) => displayValue(r.data[f.name], f.schema, f.ui, locale),
          })),
          ...(hasProcess
            ? [{ title: tr('process'), key: 'process', render: (_: unknown, r: RecordEntry) => <ProcessStatus process={r.process} testid={`record-process-${r.id}`} /> }]
            : []),
          {
            title: <span data-testid="records-column-createdAt">{t('createdAt')}</span>,
            key: 'createdAt',
            sorter: true,
            sortOrder: order('createdAt'),
            render: (_: unknown, r: RecordEntry) => format.dateTime(r.createdAt),
          },
          { title: t('version'), key: 'v', render: (_: unknown, r: RecordEntry) => `v${r.formVersion}` },
        ]}
      />
    </Card>
  );
}
