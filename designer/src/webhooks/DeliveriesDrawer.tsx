/**
 * A subscription's delivery log: newest first, each delivery's tries in its expanded row, a
 * re-send button per delivery. Refreshes itself every two seconds while open, so a delivery
 * and its retries appear as they happen.
 */
import { ReloadOutlined } from '@ant-design/icons';
import { App, Button, Drawer, Space, Table, Tag, Typography } from 'antd';
import { useEffect } from 'react';
import { errorText, useTime } from '../admin/shared.tsx';
import { call } from '../api/client.ts';
import type { ApiResponse } from '../api/types.ts';
import { useLoad } from '../api/useLoad.ts';
import { useMessages } from '../i18n/i18n.tsx';
import { webhookMessages, type WebhookMessageKey } from './messages.ts';

type Delivery = ApiResponse<'listWebhookDeliveries'>[number];

const STATUS_COLOR: Record<Delivery['status'], string> = { pending: 'default', retrying: 'orange', succeeded: 'green', failed: 'red' };

export function DeliveriesDrawer({ subscription, onClose }: { subscription: { id: string; name: string } | null; onClose(): void }) {
  const t = useMessages(webhookMessages);
  const time = useTime();
  const { message } = App.useApp();
  const id = subscription?.id;
  const deliveries = useLoad(() => (id ? call('listWebhookDeliveries', { path: { id }, query: { limit: 50 } }) : Promise.resolve([])), [id]);
  const { reload } = deliveries;
  useEffect(() => {
    if (!id) return;
    const timer = setInterval(() => void reload(), 2000);
    return () => clearInterval(timer);
  }, [id, reload]);

  const resend = async (delivery: Delivery) => {
    try {
      await call('resendWebhookDelivery', { path: { id: id!, deliveryId: delivery.id } });
      message.success(t('resent'));
      await reload();
    } catch (error) {
      message.error(t('failed', { reason: errorText(error) }));
    }
  };
  const statusLabel = (status: Delivery['status']) => t(status === 'failed' ? 'failedStatus' : status);

  return (
    <Drawer open={subscription !== null} onClose={onClose} size="large" title={`${t('deliveries')} · ${subscription?.name ?? ''}`}>
      <Space orientation="vertical" style={{ width: '100%' }} data-testid="webhook-deliveries">
        <Button icon={<ReloadOutlined />} onClick={() => void reload()}>
          {t('refresh')}
        </Button>
        <Table<Delivery>
          rowKey="id"
          size="small"
          dataSource={deliveries.data ?? []}
          pagination={false}
          locale={{ emptyText: t('noDeliveries') }}
          expandable={{
            expandedRowRender: (delivery) => (
              <Space orientation="vertical" size={2}>
                {delivery.attemptLog.map((attempt) => (
                  <Typography.Text key={attempt.number} type={attempt.error ? 'danger' : undefined} data-testid="webhook-attempt">
                    {t('attemptLog', { n: attempt.number, code: attempt.statusCode ?? t('noAnswer'), ms: attempt.durationMs })}
                    {/* With a status code the code says it; the stored error text matters when nothing answered. */}
                    {attempt.error && attempt.statusCode === null ? ` · ${attempt.error}` : ''} · {time(attempt.startedAt)}
                  </Typography.Text>
                ))}
              </Space>
            ),
          }}
          columns={[
            { title: t('time'), dataIndex: 'createdAt', render: (value: string) => time(value) },
            { title: t('events'), dataIndex: 'event', render: (event: string) => t(event as WebhookMessageKey) },
            {
              title: t('status'),
              dataIndex: 'status',
              render: (status: Delivery['status']) => (
                <Tag color={STATUS_COLOR[status]} data-testid="webhook-delivery-status">
                  {statusLabel(status)}
                </Tag>
              ),
            },
            { title: t('attempts'), dataIndex: 'attempts', render: (n: number) => <span data-testid="webhook-delivery-attempts">{n}</span> },
            { title: t('code'), dataIndex: 'lastStatusCode', render: (code: number | null) => code ?? '—' },
            {
              title: t('actions'),
              render: (_, delivery) => (
                <Button size="small" onClick={() => void resend(delivery)} data-testid="webhook-resend">
                  {t('resend')}
                </Button>
              ),
            },
          ]}
        />
      </Space>
    </Drawer>
  );
}
