/**
 * The job executor's state above the incidents list (from GET /api/health, refreshed every
 * 15 s): timers, reminders, e-mails, webhooks and automations all run through it, so a
 * stalled executor or a growing backlog must be visible to the admin, not only in logs.
 */
import { Alert, Descriptions } from 'antd';
import { useEffect } from 'react';
import { api } from '../api/client.ts';
import type { ApiResponse } from '../api/types.ts';

export type Health = ApiResponse<'getHealth'>;
import { useMessages } from '../i18n/i18n.tsx';
import { errorText, useTime } from './shared.tsx';
import { useLoad } from '../api/useLoad.ts';


const REFRESH_MS = 15_000;

const messages = {
  zh: {
    title: '作业执行器',
    running: '运行中',
    stopped: '已停止',
    stalled: '已停滞',
    runningHint: '定时器、提醒、邮件、Webhook 和智能助手正在按时执行。',
    behindHint: '有 {due} 个到期作业在排队，最早的已延迟 {late}。',
    stoppedHint: '本节点的作业执行器没有运行：定时器、提醒、邮件、Webhook 和智能助手不会执行。请重启服务。',
    stalledHint: '到期作业已等待 {late}，而执行器长时间没有领取新作业：定时器、提醒、邮件、Webhook 和智能助手都停了。请重启服务并查看日志。',
    state: '状态',
    busy: '执行中 / 并发上限',
    queued: '已领取待执行',
    due: '到期未执行',
    oldest: '最早到期作业延迟',
    lastLease: '最近一次领取作业',
    loadFailed: '无法获取执行器状态',
    seconds: '{n} 秒',
    minutes: '{m} 分 {s} 秒',
    hours: '{h} 小时 {m} 分',
  },
  en: {
    title: 'Job executor',
    running: 'Running',
    stopped: 'Stopped',
    stalled: 'Stalled',
    runningHint: 'Timers, reminders, e-mails, webhooks and automations run on time.',
    behindHint: '{due} due jobs are waiting; the oldest is {late} late.',
    stoppedHint: "This node's job executor is not running: timers, reminders, e-mails, webhooks and automations do not run. Restart the server.",
    stalledHint:
      'Due jobs have waited {late} while the executor has not taken any work for long: timers, reminders, e-mails, webhooks and automations have stopped. Restart the server and check its log.',
    state: 'State',
    busy: 'Running / limit',
    queued: 'Taken, waiting for a slot',
    due: 'Due, not yet running',
    oldest: 'Oldest due job is late by',
    lastLease: 'Last looked for work',
    loadFailed: 'Could not read the executor state',
    seconds: '{n} s',
    minutes: '{m} min {s} s',
    hours: '{h} h {m} min',
  },
};

export function ExecutorHealthPanel() {
  const t = useMessages(messages);
  const time = useTime();
  const health = useLoad(() => api.get<Health>('/health'), []);
  useEffect(() => {
    const timer = setInterval(() => void health.reload(), REFRESH_MS);
    return () => clearInterval(timer);
  }, [health.reload]);

  const duration = (ms: number) => {
    const seconds = Math.round(ms / 1000);
    if (seconds < 60) return t('seconds', { n: seconds });
    if (seconds < 3600) return t('minutes', { m: Math.floor(seconds / 60), s: seconds % 60 });
    return t('hours', { h: Math.floor(seconds / 3600), m: Math.floor((seconds % 3600) / 60) });
  };

  if (health.error) {
    return <Alert type="error" showIcon title={t('loadFailed')} description={errorText(health.error)} data-testid="executor-health" />;
  }
  const data = health.data;
  if (!data) return null;
  const { executor, jobs } = data;
  const late = duration(jobs?.oldestDueLatenessMs ?? 0);
  const behind = (jobs?.due ?? 0) > 0;
  const hint =
    executor.state === 'stalled'
      ? t('stalledHint', { late })
      : executor.state === 'stopped'
        ? t('stoppedHint')
        : behind
          ? t('behindHint', { due: jobs!.due, late })
          : t('runningHint');
  const type = executor.state === 'running' ? (data.status === 'ok' && !behind ? 'success' : 'warning') : 'error';

  return (
    <Alert
      type={type}
      showIcon
      data-testid="executor-health"
      title={`${t('title')}: ${t(executor.state)}`}
      description={
        <>
          <div data-testid="executor-health-hint">{hint}</div>
          <Descriptions size="small" column={{ xs: 1, sm: 2, lg: 3 }} style={{ marginTop: 8 }}>
            <Descriptions.Item label={t('state')}>
              <span data-testid="executor-state">{t(executor.state)}</span>
            </Descriptions.Item>
            <Descriptions.Item label={t('busy')}>
              {executor.running} / {executor.maxConcurrency}
            </Descriptions.Item>
            <Descriptions.Item label={t('queued')}>{executor.queued}</Descriptions.Item>
            <Descriptions.Item label={t('due')}>
              <span data-testid="executor-due">{jobs?.due ?? '—'}</span>
            </Descriptions.Item>
            <Descriptions.Item label={t('oldest')}>{behind ? late : '—'}</Descriptions.Item>
            <Descriptions.Item label={t('lastLease')}>{time(executor.lastLeaseAt)}</Descriptions.Item>
          </Descriptions>
        </>
      }
    />
  );
}
