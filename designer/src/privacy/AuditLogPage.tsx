/**
 * 审计日志 (admins): the append-only log of unmasks, exports, erasures, permission, role and user
 * changes (GET /api/audit), filtered by actor, action, form, period and text, 20 a page, newest
 * first; 导出 CSV downloads what the filters select (GET /api/audit/export, itself logged).
 */
import { DownloadOutlined, ReloadOutlined } from '@ant-design/icons';
import { Alert, Button, DatePicker, Input, Select, Space, Table, Tag, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useMemo, useState } from 'react';
import { errorText, useOrganisation, useTime } from '../admin/shared.tsx';
import { useLoad } from '../api/useLoad.ts';
import { formsApi, formTitle } from '../forms/api.ts';
import { pickText, useLocale, useMessages, type LocalizedText } from '../i18n/i18n.tsx';
import { privacyApi, type AuditEntry, type AuditQuery } from './api.ts';
import { privacyMessages, type PrivacyMessageKey } from './messages.ts';

const PAGE_SIZE = 20;
/** The actions the filter offers by name; any other stored action still shows as its code. */
const ACTIONS = [
  'record.unmask',
  'record.export',
  'record.import',
  'task.export',
  'record.print',
  'permission.change',
  'role.change',
  'user.change',
  'privacy.search',
  'privacy.export',
  'privacy.erase',
  'retention.run',
  'retention.change',
  'audit.export',
] as const;

export function AuditLogPage() {
  const t = useMessages(privacyMessages);
  const { locale } = useLocale();
  const time = useTime();
  const org = useOrganisation();
  const forms = useLoad(() => formsApi.list(), []);
  const [filters, setFilters] = useState<AuditQuery>({});
  const [text, setText] = useState('');
  const [range, setRange] = useState<[Dayjs | null, Dayjs | null] | null>(null);
  const [page, setPage] = useState(1);
  const params = useMemo<AuditQuery>(
    () => ({
      ...filters,
      q: text.trim() || undefined,
      from: range?.[0]?.startOf('day').toISOString(),
      to: range?.[1]?.endOf('day').toISOString(),
    }),
    [filters, text, range],
  );
  const entries = useLoad(() => privacyApi.audit({ ...params, page, pageSize: PAGE_SIZE }), [params, page]);

  const actionLabel = (action: string) => ((ACTIONS as readonly string[]).includes(action) ? t(action as PrivacyMessageKey) : action);
  const formName = (key: string | null) => {
    if (!key) return '—';
    const form = forms.data?.find((f) => f.key === key);
    return form ? pickText(formTitle(form) as LocalizedText, locale) : key;
  };
  const change = (patch: Partial<AuditQuery>) => {
    setFilters((current) => ({ ...current, ...patch }));
    setPage(1);
  };

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }} data-testid="audit-log">
      <Space style={{ justifyContent: 'space-between', width: '100%' }}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('auditTitle')}
        </Typography.Title>
        <Space>
          <Button icon={<ReloadOutlined />} onClick={() => void entries.reload()} data-testid="audit-reload" />
          <Button icon={<DownloadOutlined />} href={privacyApi.auditExportUrl(params)} data-testid="audit-export">
            {t('exportCsv')}
          </Button>
        </Space>
      </Space>
      <Typography.Paragraph type="secondary" style={{ margin: 0 }}>{t('auditIntro')}</Typography.Paragraph>
      <Space wrap>
        <Select
          allowClear
          style={{ width: 180 }}
          placeholder={t('actor')}
          value={filters.actor}
          onChange={(actor?: string) => change({ actor })}
          showSearch={{ optionFilterProp: 'label' }}
          options={(org.data?.users ?? []).map((user) => ({ value: user.username, label: `${user.displayName}（${user.username}）` }))}
          data-testid="audit-filter-actor"
        />
        <Select
          allowClear
          style={{ width: 170 }}
          placeholder={t('anyAction')}
          value={filters.action}
          onChange={(action?: string) => change({ action })}
          options={ACTIONS.map((action) => ({ value: action, label: t(action) }))}
          data-testid="audit-filter-action"
        />
        <Select
          allowClear
          style={{ width: 180 }}
          placeholder={t('anyForm')}
          value={filters.formKey}
          onChange={(formKey?: string) => change({ formKey })}
          showSearch={{ optionFilterProp: 'label' }}
          options={(forms.data ?? []).map((form) => ({ value: form.key, label: pickText(formTitle(form) as LocalizedText, locale) }))}
          data-testid="audit-filter-form"
        />
        <DatePicker.RangePicker
          allowEmpty={[true, true]}
          value={range}
          onChange={(next) => {
            setRange(next);
            setPage(1);
          }}
          data-testid="audit-filter-range"
        />
        <Input.Search
          allowClear
          style={{ width: 220 }}
          placeholder={t('searchText')}
          onSearch={(value) => {
            setText(value);
            setPage(1);
          }}
          data-testid="audit-filter-text"
        />
      </Space>
      {entries.error ? <Alert type="error" showIcon title={t('loadFailed')} description={errorText(entries.error)} /> : null}
      <Table<AuditEntry>
        rowKey="id"
        size="small"
        // Fixed columns: a long details JSON is cut to one line (full text in its tooltip).
        tableLayout="fixed"
        loading={entries.loading}
        dataSource={entries.data?.items ?? []}
        locale={{ emptyText: t('empty') }}
        data-testid="audit-table"
        onRow={(entry) => ({ 'data-testid': `audit-row-${entry.action}` }) as React.HTMLAttributes<HTMLElement>}
        pagination={{ current: page, pageSize: PAGE_SIZE, total: entries.data?.total ?? 0, onChange: setPage, showSizeChanger: false }}
        columns={[
          { title: t('at'), dataIndex: 'at', width: 160, render: (at: string) => time(at) },
          { title: t('actor'), dataIndex: 'actor', width: 120 },
          { title: t('action'), dataIndex: 'action', width: 130, render: (action: string) => <Tag color={action.startsWith('privacy') || action === 'record.unmask' ? 'orange' : 'blue'}>{actionLabel(action)}</Tag> },
          { title: t('form'), dataIndex: 'formKey', width: 140, ellipsis: true, render: (key: string | null) => formName(key) },
          { title: t('subject'), dataIndex: 'subject', width: 180, ellipsis: true, render: (subject: string | null, entry) => subject ?? entry.recordId ?? '—' },
          {
            title: t('details'),
            dataIndex: 'details',
            render: (details: Record<string, unknown>) => (
              <Typography.Text type="secondary" style={{ fontSize: 12, width: '100%' }} ellipsis={{ tooltip: JSON.stringify(details) }}>
                {Object.keys(details ?? {}).length ? JSON.stringify(details) : ''}
              </Typography.Text>
            ),
          },
          { title: t('ip'), dataIndex: 'ip', width: 120, render: (ip: string | null) => ip ?? '—' },
        ]}
      />
    </Space>
  );
}
