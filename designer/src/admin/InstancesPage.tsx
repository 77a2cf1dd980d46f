/**
 * 流程实例: running and finished process instances (GET /api/instances), filtered by status
 * and process, paged on the server. A row opens the instance page.
 */
import { ReloadOutlined } from '@ant-design/icons';
import { Alert, Button, Select, Space, Table, Tag, Typography } from 'antd';
import { useNavigate, useSearchParams } from 'react-router';
import { api, call, query } from '../api/client.ts';
import type { ApiResponse, Page } from '../api/types.ts';

export type InstanceItem = ApiResponse<'listInstances'>['items'][number];
import { useMessages } from '../i18n/i18n.tsx';
import { links } from './links.ts';
import { errorText, useTime } from './shared.tsx';
import { useLoad } from '../api/useLoad.ts';


const messages = {
  zh: {
    title: '流程实例',
    status: '状态',
    allStatus: '全部状态',
    definition: '流程',
    allDefinitions: '全部流程',
    active: '运行中',
    completed: '已完成',
    terminated: '已终止',
    incident: '异常',
    businessKey: '业务键',
    startedBy: '发起人',
    startedAt: '发起时间',
    endedAt: '结束时间',
    id: '实例',
    reload: '刷新',
    empty: '没有符合条件的流程实例',
    total: '共 {n} 个',
    loadFailed: '加载流程实例失败',
  },
  en: {
    title: 'Process instances',
    status: 'Status',
    allStatus: 'All states',
    definition: 'Process',
    allDefinitions: 'All processes',
    active: 'Running',
    completed: 'Completed',
    terminated: 'Terminated',
    incident: 'Incident',
    businessKey: 'Business key',
    startedBy: 'Started by',
    startedAt: 'Started',
    endedAt: 'Ended',
    id: 'Instance',
    reload: 'Reload',
    empty: 'No process instances match',
    total: '{n} in all',
    loadFailed: 'Could not load the instances',
  },
};

const STATUS_COLORS = { active: 'processing', completed: 'success', terminated: 'default', incident: 'error' } as const;

export function InstancesPage() {
  const t = useMessages(messages);
  const time = useTime();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const status = params.get('status') ?? undefined;
  const definitionKey = params.get('definitionKey') ?? undefined;
  const page = Number(params.get('page') ?? 1) || 1;
  const pageSize = Number(params.get('pageSize') ?? 20) || 20;

  const definitions = useLoad(() => call('listDefinitions', { query: { latest: 'true' } }), []);
  const instances = useLoad(
    () => api.get<Page<InstanceItem>>(`/instances${query({ status, definitionKey, page, pageSize })}`),
    [status, definitionKey, page, pageSize],
  );

  // Filters live in the URL, so a reload or a shared link shows the same list.
  const update = (changes: Record<string, string | number | undefined>) => {
    const next = new URLSearchParams(params);
    for (const [name, value] of Object.entries(changes)) {
      if (value === undefined || value === '') next.delete(name);
      else next.set(name, String(value));
    }
    setParams(next);
  };
  const statusLabel = (value: InstanceItem['status']) => t(value);

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }} data-testid="admin-instances">
      <Typography.Title level={3} style={{ margin: 0 }}>
        {t('title')}
      </Typography.Title>
      <Space wrap>
        <Select
          allowClear
          style={{ width: 160 }}
          placeholder={t('allStatus')}
          value={status}
          data-testid="instances-status-filter"
          onChange={(value?: string) => update({ status: value, page: undefined })}
          options={(['active', 'incident', 'completed', 'terminated'] as const).map((value) => ({ value, label: statusLabel(value) }))}
        />
        <Select
          allowClear
          showSearch
          style={{ width: 260 }}
          placeholder={t('allDefinitions')}
          value={definitionKey}
          loading={definitions.loading}
          optionFilterProp="label"
          data-testid="instances-definition-filter"
          onChange={(value?: string) => update({ definitionKey: value, page: undefined })}
          options={(definitions.data ?? []).map((d) => ({ value: d.key, label: d.name ? `${d.name}（${d.key}）` : d.key }))}
        />
        <Button icon={<ReloadOutlined />} onClick={() => void instances.reload()} data-testid="instances-reload">
          {t('reload')}
        </Button>
      </Space>
      {instances.error ? <Alert type="error" showIcon title={t('loadFailed')} description={errorText(instances.error)} /> : null}
      <Table<InstanceItem>
        rowKey="id"
        loading={instances.loading}
        dataSource={instances.data?.items ?? []}
        locale={{ emptyText: t('empty') }}
        data-testid="instances-table"
        onRow={(item) =>
          ({ onClick: () => navigate(links.instance(item.id)), style: { cursor: 'pointer' }, 'data-testid': `instance-row-${item.id}` }) as object
        }
        pagination={{
          current: page,
          pageSize,
          total: instances.data?.total ?? 0,
          showSizeChanger: true,
          pageSizeOptions: [10, 20, 50, 100],
          showTotal: (n) => <span data-testid="instances-total">{t('total', { n })}</span>,
          onChange: (nextPage, nextSize) => update({ page: nextSize !== pageSize ? 1 : nextPage, pageSize: nextSize }),
        }}
        columns={[
          {
            title: t('definition'),
            render: (_, item) => (
              <Space orientation="vertical" size={0}>
                <Typography.Text strong>{item.definitionName ?? item.definitionKey}</Typography.Text>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {item.definitionKey} v{item.definitionVersion}
                </Typography.Text>
              </Space>
            ),
          },
          { title: t('status'), dataIndex: 'status', render: (value: InstanceItem['status']) => <Tag color={STATUS_COLORS[value]}>{statusLabel(value)}</Tag> },
          { title: t('businessKey'), dataIndex: 'businessKey', render: (value: string | null) => value ?? '—' },
          { title: t('startedBy'), dataIndex: 'startedBy', render: (value: string | null) => value ?? '—' },
          { title: t('startedAt'), dataIndex: 'startedAt', render: (value: string) => time(value) },
          { title: t('endedAt'), dataIndex: 'endedAt', render: (value: string | null) => time(value) },
          { title: t('id'), dataIndex: 'id', render: (value: string) => (
              // Copying the id must not open the instance.
              <span onClick={(event) => event.stopPropagation()}>
                <Typography.Text type="secondary" copyable={{ text: value }}>
                  {value.slice(0, 8)}
                </Typography.Text>
              </span>
            ),
          },
        ]}
      />
    </Space>
  );
}
