/**
 * 异常: incidents — job-driven steps that ran out of retries — with their job, message and
 * instance. 重试 gives the job a new attempt (POST /api/incidents/:id/retry); the list
 * refreshes itself when an instance changes (`instance.updated`). Above it, the job
 * executor's state (ExecutorHealthPanel): a stalled executor opens no incidents at all.
 */
import { ReloadOutlined, RedoOutlined } from '@ant-design/icons';
import { Alert, App, Button, Space, Switch, Table, Tag, Tooltip, Typography } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import { api, query } from '../api/client.ts';
import type { Incident, Job } from '../api/types.ts';
import { useMessages } from '../i18n/i18n.tsx';
import { useRealtime } from '../realtime/socket.tsx';
import { ExecutorHealthPanel } from './ExecutorHealthPanel.tsx';
import { links } from './links.ts';
import { errorText, useTime } from './shared.tsx';
import { useLoad } from '../api/useLoad.ts';


const messages = {
  zh: {
    title: '异常',
    intro: '自动执行的步骤（定时器、Webhook、邮件、机器人消息等）多次重试仍失败时产生异常。排除原因后点“重试”，该步骤会再执行一次。',
    showResolved: '显示已解决',
    reload: '刷新',
    instance: '流程实例',
    element: '节点',
    job: '作业',
    attempts: '已尝试 {n} 次',
    message: '错误信息',
    createdAt: '发生时间',
    resolvedAt: '已解决',
    retry: '重试',
    retried: '已重新排队执行',
    retryFailed: '重试失败：{reason}',
    empty: '没有未解决的异常',
    loadFailed: '加载异常失败',
    open: '未解决',
  },
  en: {
    title: 'Incidents',
    intro: 'An automatic step (timer, webhook, e-mail, chat robot…) that still fails after all its retries opens an incident. Fix the cause, then retry: the step runs once more.',
    showResolved: 'Show resolved',
    reload: 'Reload',
    instance: 'Instance',
    element: 'Step',
    job: 'Job',
    attempts: '{n} attempts',
    message: 'Error',
    createdAt: 'Opened',
    resolvedAt: 'Resolved',
    retry: 'Retry',
    retried: 'Queued for another attempt',
    retryFailed: 'Retry failed: {reason}',
    empty: 'No open incidents',
    loadFailed: 'Could not load the incidents',
    open: 'open',
  },
};

export function IncidentsPage() {
  const t = useMessages(messages);
  const { message } = App.useApp();
  const time = useTime();
  const [includeResolved, setIncludeResolved] = useState(false);
  const [retrying, setRetrying] = useState<Set<string>>(new Set());
  const incidents = useLoad(async () => {
    const [list, jobs] = await Promise.all([
      api.get<Incident[]>(`/incidents${query({ includeResolved: includeResolved || undefined })}`),
      api.get<Job[]>('/jobs').catch(() => [] as Job[]),
    ]);
    const jobById = new Map(jobs.map((job) => [job.id, job]));
    return list.map((incident) => ({ ...incident, job: incident.jobId ? jobById.get(incident.jobId) : undefined }));
  }, [includeResolved]);

  useRealtime('instance.updated', () => void incidents.reload());

  const retry = async (incident: Incident) => {
    setRetrying((current) => new Set(current).add(incident.id));
    try {
      await api.post(`/incidents/${incident.id}/retry`, {});
      message.success(t('retried'));
      await incidents.reload();
    } catch (error) {
      message.error(t('retryFailed', { reason: errorText(error) }));
    } finally {
      setRetrying((current) => {
        const next = new Set(current);
        next.delete(incident.id);
        return next;
      });
    }
  };

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }} data-testid="admin-incidents">
      <div>
        <Typography.Title level={3}>{t('title')}</Typography.Title>
        <Typography.Text type="secondary">{t('intro')}</Typography.Text>
      </div>
      <ExecutorHealthPanel />
      <Space>
        <Switch checked={includeResolved} onChange={setIncludeResolved} data-testid="incidents-show-resolved" />
        <span>{t('showResolved')}</span>
        <Button icon={<ReloadOutlined />} onClick={() => void incidents.reload()} data-testid="incidents-reload">
          {t('reload')}
        </Button>
      </Space>
      {incidents.error ? <Alert type="error" showIcon title={t('loadFailed')} description={errorText(incidents.error)} /> : null}
      <Table
        rowKey="id"
        loading={incidents.loading}
        dataSource={incidents.data ?? []}
        locale={{ emptyText: t('empty') }}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        data-testid="incidents-table"
        onRow={(incident) => ({ 'data-testid': `incident-row-${incident.id}` }) as object}
        columns={[
          {
            title: t('instance'),
            dataIndex: 'instanceId',
            render: (id: string) => (
              <Link to={links.instance(id)} data-testid={`incident-instance-${id}`}>
                {id.slice(0, 8)}
              </Link>
            ),
          },
          { title: t('element'), dataIndex: 'elementId', render: (value: string | null) => (value ? <Typography.Text code>{value}</Typography.Text> : '—') },
          {
            title: t('job'),
            render: (_, incident) =>
              incident.job ? (
                <Space orientation="vertical" size={0}>
                  <Tag>{incident.job.type}</Tag>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {t('attempts', { n: incident.job.attempts })}
                  </Typography.Text>
                </Space>
              ) : (
                <Typography.Text type="secondary">{incident.jobId?.slice(0, 8) ?? '—'}</Typography.Text>
              ),
          },
          {
            title: t('message'),
            dataIndex: 'message',
            render: (value: string) => (
              <Typography.Paragraph type="danger" ellipsis={{ rows: 2, expandable: true }} style={{ margin: 0, maxWidth: 420 }}>
                {value}
              </Typography.Paragraph>
            ),
          },
          { title: t('createdAt'), dataIndex: 'createdAt', render: (value: string) => time(value) },
          {
            title: '',
            width: 110,
            render: (_, incident) =>
              incident.resolvedAt ? (
                <Tooltip title={time(incident.resolvedAt)}>
                  <Tag color="green">{t('resolvedAt')}</Tag>
                </Tooltip>
              ) : (
                <Button
                  type="primary"
                  size="small"
                  icon={<RedoOutlined />}
                  loading={retrying.has(incident.id)}
                  onClick={() => void retry(incident)}
                  data-testid={`incident-retry-${incident.id}`}
                >
                  {t('retry')}
                </Button>
              ),
          },
        ]}
      />
    </Space>
  );
}
