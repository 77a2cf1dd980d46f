/** 消息通知: every notification of the caller, newest first, paged; unread only on request. */
import { Button, Card, Flex, Pagination, Switch, Typography } from 'antd';
import { useState } from 'react';
import { call } from '../api/client.ts';
import { useLoad } from '../api/useLoad.ts';
import { useUser } from '../auth/session.tsx';
import { useMessages } from '../i18n/i18n.tsx';
import { useRealtime } from '../realtime/socket.tsx';
import { notificationMessages } from './messages.ts';
import { NotificationList } from './NotificationList.tsx';
import { markAllRead, useNotifications } from './store.ts';

const PAGE_SIZE = 20;

export function NotificationsPage() {
  const t = useMessages(notificationMessages);
  const user = useUser();
  const shared = useNotifications(user.username);
  const [page, setPage] = useState(1);
  const [unreadOnly, setUnreadOnly] = useState(false);
  const list = useLoad(
    () => call('listNotifications', { query: { limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE, ...(unreadOnly ? { unread: 'true' as const } : {}) } }),
    [page, unreadOnly],
  );
  useRealtime('notification', () => void list.reload());
  useRealtime('notification.read', () => void list.reload());
  const unread = shared?.unread ?? list.data?.unread ?? 0;

  return (
    <div data-testid="notifications-page">
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Typography.Title level={4} style={{ marginTop: 0 }}>
          {t('title')} {unread ? <Typography.Text type="secondary">({t('unreadCount', { count: unread })})</Typography.Text> : null}
        </Typography.Title>
        <Flex gap={12} align="center">
          <label>
            <Switch
              size="small"
              checked={unreadOnly}
              onChange={(value) => {
                setPage(1);
                setUnreadOnly(value);
              }}
              data-testid="notifications-unread-only"
            />{' '}
            {t('onlyUnread')}
          </label>
          <Button disabled={!unread} onClick={() => void markAllRead().then(() => list.reload(), () => undefined)} data-testid="notifications-read-all">
            {t('readAll')}
          </Button>
        </Flex>
      </Flex>
      {list.error && !list.data ? <Typography.Text type="danger">{t('failed', { error: list.error.message })}</Typography.Text> : null}
      <Card size="small">
        <NotificationList items={list.data?.items ?? []} loading={list.loading && !list.data} onChanged={() => void list.reload()} />
      </Card>
      {list.data && list.data.total > PAGE_SIZE ? (
        <Flex justify="end" style={{ marginTop: 12 }}>
          <Pagination current={page} pageSize={PAGE_SIZE} total={list.data.total} onChange={setPage} showSizeChanger={false} />
        </Flex>
      ) : null}
    </div>
  );
}
