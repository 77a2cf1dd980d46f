/**
 * 部门队列: tickets routed to one of the user's departments (GET /api/departments/:id/queue).
 * A `ticket.routed` pins the new ticket to the top with a highlight and a toast; any
 * `ticket.updated` reloads. Claim / hand back / close answer 409 when someone was faster.
 */
import { App, Empty, Flex, Result, Segmented, Select, Spin, Typography } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { api, ApiError, query } from '../api/client.ts';
import type { Department, Page } from '../api/types.ts';
import { useUser } from '../auth/session.tsx';
import { pickText, useLocale, useMessages } from '../i18n/i18n.tsx';
import { useLoad } from '../api/useLoad.ts';
import { useRealtime } from '../realtime/socket.tsx';
import { TicketCard, type Ticket } from './TicketCard.tsx';
import type { FormInfo } from './TicketSummary.tsx';

const messages = {
  zh: {
    title: '部门队列',
    none: '您不属于任何部门，没有队列',
    empty: '队列里没有工单',
    open: '未关闭',
    queued: '待认领',
    claimed: '已认领',
    closed: '已关闭',
    routed: '新工单进入 {department}',
    claim: '已认领',
    'hand-back': '已退回队列',
    close: '已关闭',
    taken: '手慢了：此工单已被他人认领或已变更',
    failed: '操作失败：{error}',
    loadFailed: '加载失败：{error}',
  },
  en: {
    title: 'Department queue',
    none: 'You belong to no department, so there is no queue',
    empty: 'The queue is empty',
    open: 'Open',
    queued: 'Queued',
    claimed: 'Claimed',
    closed: 'Closed',
    routed: 'New ticket for {department}',
    claim: 'Claimed',
    'hand-back': 'Handed back to the queue',
    close: 'Closed',
    taken: 'Too late: someone else claimed or changed this ticket first',
    failed: 'Failed: {error}',
    loadFailed: 'Could not load: {error}',
  },
};

type Status = 'open' | 'queued' | 'claimed' | 'closed';
export type TicketAction = 'claim' | 'hand-back' | 'close';
const forms = new Map<string, Promise<FormInfo | undefined>>();
const formInfo = (key: string) => {
  if (!forms.has(key)) forms.set(key, api.get<FormInfo>(`/forms/${encodeURIComponent(key)}`).catch(() => undefined));
  return forms.get(key)!;
};

export function QueuePage() {
  const t = useMessages(messages);
  const { locale } = useLocale();
  const user = useUser();
  const { message, notification } = App.useApp();
  const departments = useLoad(() => api.get<Department[]>('/departments'), []);
  const mine = useMemo(() => (departments.data ?? []).filter((department) => user.departmentIds.includes(department.id)), [departments.data, user.departmentIds]);
  const [selected, setSelected] = useState<string | undefined>(user.departmentIds[0]);
  const [status, setStatus] = useState<Status>('open');
  const [fresh, setFresh] = useState<string[]>([]);
  const [busy, setBusy] = useState<string | null>(null);
  const [formsByKey, setForms] = useState<Record<string, FormInfo | undefined>>({});
  const tickets = useLoad(
    () =>
      selected
        ? api.get<Page<Ticket>>(`/departments/${selected}/queue${query({ status: status === 'open' ? undefined : status, pageSize: 100 })}`)
        : Promise.resolve({ items: [], total: 0 }),
    [selected, status],
  );

  useEffect(() => {
    for (const key of new Set((tickets.data?.items ?? []).map((ticket) => ticket.formKey))) {
      if (!(key in formsByKey)) void formInfo(key).then((form) => setForms((all) => ({ ...all, [key]: form })));
    }
  }, [tickets.data, formsByKey]);

  const nameOf = (id: string) => {
    const department = departments.data?.find((candidate) => candidate.id === id);
    return department ? (locale === 'en' && department.nameEn) || department.name : id;
  };

  useRealtime('ticket.routed', (event) => {
    if (!user.departmentIds.includes(event.departmentId)) return;
    void formInfo(event.formKey).then((form) =>
      notification.info({
        key: `ticket-${event.ticketId}`,
        title: t('routed', { department: nameOf(event.departmentId) }),
        description: pickText(form?.title, locale, event.formKey),
        placement: 'topRight',
      }),
    );
    if (event.departmentId === selected) {
      setFresh((ids) => [event.ticketId, ...ids.filter((id) => id !== event.ticketId)]);
      tickets.reload();
    }
  });
  useRealtime('ticket.updated', (event) => {
    if (event.departmentId === selected) tickets.reload();
  });

  const act = async (ticket: Ticket, action: TicketAction) => {
    setBusy(ticket.id);
    try {
      await api.post(`/tickets/${ticket.id}/${action}`);
      message.success(t(action));
    } catch (err) {
      if (err instanceof ApiError && err.status === 409) message.warning(t('taken'));
      else message.error(t('failed', { error: err instanceof Error ? err.message : String(err) }));
    } finally {
      setBusy(null);
      tickets.reload();
    }
  };

  if (user.departmentIds.length === 0) return <Result status="info" title={t('none')} />;
  // Live arrivals first (newest on top), then the queue in arrival order.
  const items = [...(tickets.data?.items ?? [])].sort((a, b) => {
    const rank = (ticket: Ticket) => (fresh.includes(ticket.id) ? fresh.indexOf(ticket.id) : fresh.length);
    return rank(a) - rank(b);
  });

  return (
    <Flex vertical gap={12} data-testid="queue-page">
      <Typography.Title level={4} style={{ margin: 0 }}>
        {t('title')}
      </Typography.Title>
      <Flex gap={8} wrap>
        <Select
          value={selected}
          onChange={(id) => {
            setSelected(id);
            setFresh([]);
          }}
          style={{ minWidth: 160 }}
          data-testid="queue-department"
          options={(mine.length ? mine : user.departmentIds.map((id) => ({ id, name: id }))).map((department) => ({ value: department.id, label: nameOf(department.id) }))}
        />
        <Segmented<Status>
          value={status}
          onChange={setStatus}
          data-testid="queue-status"
          options={(['open', 'queued', 'claimed', 'closed'] as Status[]).map((value) => ({ value, label: t(value) }))}
        />
      </Flex>
      {tickets.error && !tickets.data ? <Typography.Text type="danger">{t('loadFailed', { error: tickets.error.message })}</Typography.Text> : null}
      <Spin spinning={tickets.loading}>
        <Flex vertical gap={8} data-testid="queue-list">
          {items.length === 0 && !tickets.loading ? <Empty description={t('empty')} /> : null}
          {items.map((ticket) => (
            <TicketCard
              key={ticket.id}
              ticket={ticket}
              form={formsByKey[ticket.formKey]}
              fresh={fresh.includes(ticket.id)}
              busy={busy === ticket.id}
              onAction={(action) => void act(ticket, action)}
            />
          ))}
        </Flex>
      </Spin>
    </Flex>
  );
}
