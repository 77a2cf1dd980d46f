/**
 * One inbox box as a paged, searchable table (cards on a phone). Rows open the task
 * (待办) or the instance (the other boxes); opening a CC entry marks it read. Each row says
 * what it is about (the process's summary fields, InboxSummary.tsx); 待办 shows deadlines,
 * flags overdue ones and sorts by arrival or deadline on the server (`sort=`).
 */
import { Button, Card, Empty, Flex, Grid, Input, Pagination, Space, Spin, Table, Tag, Typography } from 'antd';
import { FileExcelOutlined } from '@ant-design/icons';
import type { ColumnsType, SorterResult, SortOrder } from 'antd/es/table/interface';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { api, query } from '../api/client.ts';
import type { InboxItem, Page } from '../api/types.ts';
import { useMessages } from '../i18n/i18n.tsx';
import { useFormat } from '../i18n/format.ts';
import { useDisplayName, useProcessName } from '../instances/data.ts';
import { useLoad } from '../api/useLoad.ts';
import { StatusTag } from '../instances/StatusTag.tsx';
import { refreshCounts, type Box } from './counts.ts';
import { InboxSummary } from './InboxSummary.tsx';
import './inbox.css';

const messages = {
  zh: {
    search: '搜索任务名称或业务编号',
    task: '任务',
    process: '流程',
    summary: '摘要',
    arrived: '到达时间',
    due: '截止时间',
    finished: '办理时间',
    started: '发起时间',
    ended: '结束时间',
    status: '状态',
    from: '抄送人',
    comment: '附言',
    sentAt: '抄送时间',
    handle: '办理',
    view: '查看',
    overdue: '已超时',
    unread: '未读',
    empty: '暂无数据',
    emptyTodo: '没有待办，休息一下吧',
    failed: '加载失败：{error}',
    exportXlsx: '导出 Excel',
    exportCsv: 'CSV',
  },
  en: {
    search: 'Search by task name or business key',
    task: 'Task',
    process: 'Process',
    summary: 'Summary',
    arrived: 'Arrived',
    due: 'Due',
    finished: 'Done at',
    started: 'Started',
    ended: 'Ended',
    status: 'Status',
    from: 'From',
    comment: 'Note',
    sentAt: 'Sent at',
    handle: 'Handle',
    view: 'View',
    overdue: 'Overdue',
    unread: 'Unread',
    empty: 'Nothing here',
    emptyTodo: 'Nothing to do right now',
    failed: 'Could not load: {error}',
    exportXlsx: 'Export Excel',
    exportCsv: 'CSV',
  },
};


const PAGE_SIZE = 20;

/** The server's sort values (GET /api/inbox/{box}?sort=); '' is the box's own order. */
type Sort = '' | 'createdAt' | '-createdAt' | 'dueAt' | '-dueAt';

export function InboxList({ box, refreshKey }: { box: Box; refreshKey: number }) {
  const t = useMessages(messages);
  const format = useFormat();
  const navigate = useNavigate();
  const phone = !Grid.useBreakpoint().md;
  const processName = useProcessName();
  const person = useDisplayName();
  const [page, setPage] = useState(1);
  const [q, setQ] = useState('');
  const [sort, setSort] = useState<Sort>('');
  const list = useLoad(() => api.get<Page<InboxItem>>(`/inbox/${box}${query({ page, pageSize: PAGE_SIZE, q, sort })}`), [box, page, q, sort, refreshKey]);
  const sortOrder = (column: 'createdAt' | 'dueAt'): SortOrder => (sort === column ? 'ascend' : sort === `-${column}` ? 'descend' : null);

  const open = (item: InboxItem) => {
    if (box === 'todo' && item.taskId) return navigate(`/tasks/${item.taskId}`);
    if (box === 'cc' && !item.readAt) void api.post(`/inbox/cc/${item.id}/read`).then(() => refreshCounts()).catch(() => undefined);
    navigate(`/instances/${item.instanceId}`);
  };
  const title = (item: InboxItem) => (box === 'started' ? processName(item.definitionKey) : item.name || processName(item.definitionKey));
  const overdue = (item: InboxItem) => box === 'todo' && item.dueAt && new Date(item.dueAt) < new Date();
  const due = (item: InboxItem) =>
    item.dueAt ? (
      <span data-testid={`inbox-due-${item.id}`}>
        <Typography.Text type={overdue(item) ? 'danger' : undefined} title={format.relative(item.dueAt)}>
          {format.dateTime(item.dueAt)}
        </Typography.Text>{' '}
        {overdue(item) ? (
          <Tag color="red" data-testid={`inbox-overdue-${item.id}`}>
            {t('overdue')}
          </Tag>
        ) : (
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {format.relative(item.dueAt)}
          </Typography.Text>
        )}
      </span>
    ) : (
      '—'
    );
  const openButton = (item: InboxItem) => (
    <Button type={box === 'todo' ? 'primary' : 'link'} size="small" onClick={() => open(item)} data-testid={`inbox-open-${item.id}`}>
      {box === 'todo' ? t('handle') : t('view')}
    </Button>
  );

  const columns: ColumnsType<InboxItem> = [
    {
      key: 'name',
      title: box === 'started' ? t('process') : t('task'),
      render: (_, item) => (
        <Typography.Link onClick={() => open(item)}>
          {box === 'cc' && !item.readAt ? <Tag color="gold">{t('unread')}</Tag> : null}
          {title(item)}
        </Typography.Link>
      ),
    },
    ...(box !== 'started' ? [{ key: 'process', title: t('process'), render: (_: unknown, item: InboxItem) => processName(item.definitionKey) }] : []),
    { key: 'summary', title: t('summary'), render: (_, item) => <InboxSummary summary={item.summary} fallback={item.businessKey} /> },
    ...(box === 'cc'
      ? [
          { key: 'from', title: t('from'), render: (_: unknown, item: InboxItem) => person(item.from) },
          { key: 'comment', title: t('comment'), render: (_: unknown, item: InboxItem) => item.comment || '—' },
        ]
      : []),
    ...(box === 'started' ? [{ key: 'status', title: t('status'), render: (_: unknown, item: InboxItem) => <StatusTag status={item.status ?? ''} /> }] : []),
    {
      key: 'time',
      title: { todo: t('arrived'), done: t('finished'), started: t('started'), cc: t('sentAt') }[box],
      render: (_, item) => format.dateTime(box === 'done' ? item.endedAt : item.createdAt),
      ...(box === 'todo' ? { sorter: true, sortOrder: sortOrder('createdAt') } : {}),
    },
    ...(box === 'todo'
      ? [
          {
            key: 'due',
            title: <span data-testid="inbox-sort-due">{t('due')}</span>,
            render: (_: unknown, item: InboxItem) => due(item),
            sorter: true,
            sortOrder: sortOrder('dueAt'),
          },
        ]
      : []),
    { key: 'open', title: '', align: 'right', render: (_, item) => openButton(item) },
  ];

  const items = list.data?.items ?? [];
  const empty = <Empty description={box === 'todo' ? t('emptyTodo') : t('empty')} />;
  const onSort = (sorter: SorterResult<InboxItem> | SorterResult<InboxItem>[]) => {
    const one = Array.isArray(sorter) ? sorter[0] : sorter;
    const column = one?.columnKey === 'due' ? 'dueAt' : one?.columnKey === 'time' ? 'createdAt' : null;
    setPage(1);
    setSort(!column || !one?.order ? '' : one.order === 'descend' ? `-${column}` : column);
  };
  const onSearch = (value: string) => {
    setPage(1);
    setQ(value.trim());
  };

  // 已办 and 我发起的 download as the list shows them (its search and sort), streamed by the server.
  const exportUrl = (format: 'xlsx' | 'csv') => `/api/inbox/${box}/export${query({ q, sort, format, timezoneOffset: new Date().getTimezoneOffset() })}`;
  const exportButtons =
    box === 'done' || box === 'started' ? (
      <Space.Compact>
        <Button icon={<FileExcelOutlined />} href={exportUrl('xlsx')} data-testid={`inbox-export-${box}`}>
          {t('exportXlsx')}
        </Button>
        <Button href={exportUrl('csv')} data-testid={`inbox-export-csv-${box}`}>
          {t('exportCsv')}
        </Button>
      </Space.Compact>
    ) : null;

  return (
    <Flex vertical gap={12}>
      <Flex gap={8} wrap justify="space-between">
        <Input.Search allowClear placeholder={t('search')} onSearch={onSearch} style={{ maxWidth: 360 }} data-testid="inbox-search" />
        {exportButtons}
      </Flex>
      {list.error && !list.data ? <Typography.Text type="danger">{t('failed', { error: list.error.message })}</Typography.Text> : null}
      {phone ? (
        <Spin spinning={list.loading}>
          <Flex vertical gap={8} data-testid={`inbox-list-${box}`}>
            {items.length === 0 && !list.loading ? empty : null}
            {items.map((item) => (
              <Card key={item.id} size="small" hoverable onClick={() => open(item)} data-testid={`inbox-row-${item.taskId ?? item.id}`}>
                <Flex justify="space-between" align="start" gap={8}>
                  <Typography.Text strong>
                    {box === 'cc' && !item.readAt ? <Tag color="gold">{t('unread')}</Tag> : null}
                    {title(item)}
                  </Typography.Text>
                  {box === 'started' ? <StatusTag status={item.status ?? ''} /> : null}
                </Flex>
                {item.summary?.length ? (
                  <div style={{ fontSize: 12 }}>
                    <InboxSummary summary={item.summary} />
                  </div>
                ) : null}
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {box !== 'started' ? `${processName(item.definitionKey)} · ` : ''}
                  {format.dateTime(box === 'done' ? item.endedAt : item.createdAt)}
                  {box === 'cc' ? ` · ${person(item.from)}` : ''}
                </Typography.Text>
                {box === 'todo' && item.dueAt ? <div style={{ fontSize: 12 }}>{t('due')}: {due(item)}</div> : null}
              </Card>
            ))}
            {list.data && list.data.total > PAGE_SIZE ? (
              <Pagination simple current={page} pageSize={PAGE_SIZE} total={list.data.total} onChange={setPage} />
            ) : null}
          </Flex>
        </Spin>
      ) : (
        <Table<InboxItem>
          data-testid={`inbox-list-${box}`}
          rowKey="id"
          size="middle"
          loading={list.loading}
          columns={columns}
          dataSource={items}
          locale={{ emptyText: empty }}
          onRow={(item) => ({ 'data-testid': `inbox-row-${item.taskId ?? item.id}` }) as React.HTMLAttributes<HTMLElement>}
          onChange={(_pagination, _filters, sorter, extra) => extra.action === 'sort' && onSort(sorter)}
          pagination={{ current: page, pageSize: PAGE_SIZE, total: list.data?.total ?? 0, onChange: setPage, showSizeChanger: false, hideOnSinglePage: true }}
        />
      )}
    </Flex>
  );
}
