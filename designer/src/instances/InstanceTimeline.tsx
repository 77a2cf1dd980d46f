/**
 * 历史: who did what and when on an instance — the task action log (`/actions`: approve,
 * reject, transfer, return, withdraw…) merged with the nodes it passed (`/history`).
 */
import { Empty, Spin, Timeline, Typography } from 'antd';
import { api } from '../api/client.ts';
import { useLocale, useMessages } from '../i18n/i18n.tsx';
import { formatTime, useDisplayName } from './data.ts';
import { useLoad } from '../api/useLoad.ts';
import type { HistoryEntry, TaskAction } from '../api/types.ts';

const messages = {
  zh: {
    empty: '暂无记录',
    startedFlow: '流程发起',
    endedFlow: '流程结束',
    entered: '到达「{name}」',
    left: '完成「{name}」',
    cancelled: '取消「{name}」',
    submit: '提交',
    complete: '办理',
    approve: '同意',
    reject: '拒绝',
    return: '退回',
    transfer: '转交',
    withdraw: '撤回',
    claim: '认领',
    add_signer: '加签',
    skip: '自动跳过',
    fallback: '无审批人，转交管理员',
    message: '发送消息',
    signal: '发送信号',
    record_update: '修改数据',
    record_delete: '删除数据',
    to: '给 {name}',
  },
  en: {
    empty: 'Nothing yet',
    startedFlow: 'Process started',
    endedFlow: 'Process ended',
    entered: 'Reached "{name}"',
    left: 'Finished "{name}"',
    cancelled: 'Cancelled "{name}"',
    submit: 'Submitted',
    complete: 'Completed',
    approve: 'Approved',
    reject: 'Rejected',
    return: 'Returned',
    transfer: 'Transferred',
    withdraw: 'Withdrawn',
    claim: 'Claimed',
    add_signer: 'Added a signer',
    skip: 'Skipped automatically',
    fallback: 'No approver; sent to the admin',
    message: 'Sent a message',
    signal: 'Sent a signal',
    record_update: 'Changed the record',
    record_delete: 'Deleted the record',
    to: 'to {name}',
  },
};

type Key = keyof typeof messages.zh;
const ACTION_COLORS: Record<string, string> = { approve: 'green', complete: 'green', submit: 'blue', reject: 'red', withdraw: 'gray', return: 'orange' };
// Nodes worth showing in the log; gateways and events only add noise.
const SHOWN_TYPES = new Set(['userTask', 'task', 'manualTask', 'callActivity', 'subProcess']);

interface Row {
  at: string;
  color: string;
  title: string;
  comment?: string | null;
  testid: string;
}

export function InstanceTimeline({ instanceId, refreshKey = 0 }: { instanceId: string; refreshKey?: number }) {
  const t = useMessages(messages);
  const { locale } = useLocale();
  const name = useDisplayName();
  const loaded = useLoad(
    () =>
      Promise.all([
        api.get<TaskAction[]>(`/instances/${instanceId}/actions`).catch(() => [] as TaskAction[]),
        api.get<HistoryEntry[]>(`/instances/${instanceId}/history`),
      ]),
    [instanceId, refreshKey],
  );
  if (!loaded.data) return loaded.loading ? <Spin /> : <Empty description={t('empty')} />;
  const [actions, history] = loaded.data;

  const rows: Row[] = [];
  for (const entry of history) {
    if (entry.elementType === 'startEvent' && entry === history[0]) {
      rows.push({ at: entry.startedAt, color: 'blue', title: t('startedFlow'), testid: `history-node-${entry.elementId}` });
    } else if (entry.elementType === 'endEvent' && entry.endedAt && entry === history[history.length - 1]) {
      rows.push({ at: entry.endedAt, color: 'green', title: t('endedFlow'), testid: `history-node-${entry.elementId}` });
    }
    if (!SHOWN_TYPES.has(entry.elementType)) continue;
    const label = entry.elementName || entry.elementId;
    rows.push({ at: entry.startedAt, color: 'blue', title: t('entered', { name: label }), testid: `history-node-${entry.elementId}` });
  }
  for (const action of actions) {
    const verb = action.action in messages.zh ? t(action.action as Key) : action.action;
    const target = typeof action.details.to === 'string' ? ` ${t('to', { name: name(action.details.to) })}` : '';
    rows.push({
      at: action.createdAt,
      color: ACTION_COLORS[action.action] ?? 'blue',
      title: `${name(action.actor)} · ${verb}${target}`,
      comment: action.comment,
      testid: `history-action-${action.seq}`,
    });
  }
  rows.sort((a, b) => a.at.localeCompare(b.at));
  if (rows.length === 0) return <Empty description={t('empty')} />;

  return (
    <Timeline
      data-testid="instance-history"
      items={rows.map((row) => ({
        key: row.testid,
        color: row.color,
        content: (
          <div data-testid={row.testid}>
            <Typography.Text strong>{row.title}</Typography.Text>
            <div>
              <Typography.Text type="secondary">{formatTime(row.at, locale)}</Typography.Text>
            </div>
            {row.comment ? <Typography.Paragraph style={{ margin: 0 }}>“{row.comment}”</Typography.Paragraph> : null}
          </div>
        ),
      }))}
    />
  );
}
