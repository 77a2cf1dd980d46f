/** One queue ticket: its record in brief, who holds it, where its process is, and the actions the user may take. */
import { Button, Card, Drawer, Flex, Popconfirm, Tag, Typography } from 'antd';
import type { ButtonProps } from 'antd';
import { useState } from 'react';
import type { ApiResponse } from '../api/types.ts';
import { useUser } from '../auth/session.tsx';
import { FormRenderer } from '../forms/renderer/FormRenderer.tsx';
import { pickText, useLocale, useMessages } from '../i18n/i18n.tsx';
import { formatTime, useDisplayName, useUsers } from '../instances/data.ts';
import type { TicketAction } from './QueuePage.tsx';
import { TicketProcess } from './TicketProcess.tsx';
import { TicketSummary, type FormInfo } from './TicketSummary.tsx';
import './queue.css';

const messages = {
  zh: {
    queued: '待认领',
    claimed: '{name} 已认领',
    closed: '已关闭',
    claim: '认领',
    handBack: '退回队列',
    close: '关闭',
    closeConfirm: '确定关闭此工单？',
    details: '详情',
    routedAt: '进入队列 {time}',
    by: '提交人 {name}',
    isNew: '新',
  },
  en: {
    queued: 'Queued',
    claimed: 'Claimed by {name}',
    closed: 'Closed',
    claim: 'Claim',
    handBack: 'Hand back',
    close: 'Close',
    closeConfirm: 'Close this ticket?',
    details: 'Details',
    routedAt: 'Queued {time}',
    by: 'by {name}',
    isNew: 'New',
  },
};

/** A ticket of the queue with its record (GET /api/departments/:id/queue). */
export type Ticket = ApiResponse<'departmentQueue'>['items'][number];

interface Props {
  ticket: Ticket;
  form: FormInfo | undefined;
  fresh: boolean;
  busy: boolean;
  onAction(action: TicketAction): void;
}

export function TicketCard({ ticket, form, fresh, busy, onAction }: Props) {
  const t = useMessages(messages);
  const { locale } = useLocale();
  const user = useUser();
  const person = useDisplayName();
  const users = useUsers();
  const [open, setOpen] = useState(false);
  const mine = ticket.claimedBy === user.username;
  const admin = user.role === 'admin';
  const creator = users.find((candidate) => candidate.id === ticket.record.createdBy);

  const status =
    ticket.status === 'queued' ? (
      <Tag color="gold">{t('queued')}</Tag>
    ) : ticket.status === 'claimed' ? (
      <Tag color="blue">{t('claimed', { name: person(ticket.claimedBy) })}</Tag>
    ) : (
      <Tag>{t('closed')}</Tag>
    );

  return (
    <Card size="small" className={fresh ? 'lz-ticket-fresh' : undefined} data-testid={`queue-row-${ticket.id}`} data-status={ticket.status}>
      <Flex justify="space-between" align="start" wrap gap={8}>
        <Flex vertical gap={4} style={{ minWidth: 0, flex: 1 }}>
          <Flex gap={6} align="center" wrap>
            {fresh ? <Tag color="red">{t('isNew')}</Tag> : null}
            <Typography.Text strong>{pickText(form?.title, locale, ticket.formKey)}</Typography.Text>
            {status}
          </Flex>
          <TicketSummary form={form} data={ticket.record.data} />
          <TicketProcess ticket={ticket} />
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('routedAt', { time: formatTime(ticket.routedAt, locale) })}
            {creator ? ` · ${t('by', { name: creator.displayName || creator.username })}` : ''}
          </Typography.Text>
        </Flex>
        <Flex gap={6} wrap>
          <Button size="small" onClick={() => setOpen(true)} data-testid={`queue-details-${ticket.id}`}>
            {t('details')}
          </Button>
          {ticket.status === 'queued' ? (
            <Button size="small" type="primary" loading={busy} onClick={() => onAction('claim')} data-testid={`queue-claim-${ticket.id}`}>
              {t('claim')}
            </Button>
          ) : null}
          {ticket.status === 'claimed' && mine ? (
            <Button size="small" loading={busy} onClick={() => onAction('hand-back')} data-testid={`queue-handback-${ticket.id}`}>
              {t('handBack')}
            </Button>
          ) : null}
          {/* A ticket that follows its process closes with it, not by hand. */}
          {!ticket.followsProcess && (ticket.status === 'queued' || (ticket.status === 'claimed' && (mine || admin))) ? (
            <Popconfirm title={t('closeConfirm')} onConfirm={() => onAction('close')} okButtonProps={{ 'data-testid': `queue-close-confirm-${ticket.id}` } as ButtonProps}>
              <Button size="small" danger loading={busy} data-testid={`queue-close-${ticket.id}`}>
                {t('close')}
              </Button>
            </Popconfirm>
          ) : null}
        </Flex>
      </Flex>
      <Drawer open={open} onClose={() => setOpen(false)} title={pickText(form?.title, locale, ticket.formKey)} size="large" destroyOnHidden>
        {form ? (
          <FormRenderer schema={form.schema as Record<string, unknown>} uiSchema={form.uiSchema} formData={ticket.record.data} readOnly onSubmit={() => undefined} />
        ) : (
          <pre>{JSON.stringify(ticket.record.data, null, 2)}</pre>
        )}
      </Drawer>
    </Card>
  );
}
