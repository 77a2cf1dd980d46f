/**
 * The bell in the header: the unread count, a dropdown with the newest notifications (mark
 * one or all read, open one, view all), and the live arrival of a new one over the socket
 * with a toast that opens what it links to. It lives in the shell, so it hears every page.
 */
import { BellOutlined } from '@ant-design/icons';
import { Badge, Button, Flex, Popover, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useNavigate } from 'react-router';
import { useOpenToast } from '../app/useOpenToast.tsx';
import { useUser } from '../auth/session.tsx';
import { useMessages } from '../i18n/i18n.tsx';
import { useRealtime, useRealtimeStatus } from '../realtime/socket.tsx';
import { notificationMessages } from './messages.ts';
import { NotificationList } from './NotificationList.tsx';
import { applyRead, internalLink, markAllRead, markRead, plainText, refreshNotifications, useNotifications } from './store.ts';

// A page may mount the bell twice (e.g. while the layout switches): announce each one once.
const announced = new Set<string>();

export function NotificationBell() {
  const t = useMessages(notificationMessages);
  const user = useUser();
  const state = useNotifications(user.username);
  const [open, setOpen] = useState(false);
  const openToast = useOpenToast();
  const navigate = useNavigate();
  const { connected } = useRealtimeStatus();

  // Reads in another tab or device, live.
  useRealtime('notification.read', applyRead);
  // What the socket could not say: arrivals and reads while it was down.
  useEffect(() => {
    if (connected) void refreshNotifications();
  }, [connected]);
  useEffect(() => {
    const refresh = () => document.visibilityState === 'visible' && void refreshNotifications();
    document.addEventListener('visibilitychange', refresh);
    window.addEventListener('focus', refresh);
    return () => {
      document.removeEventListener('visibilitychange', refresh);
      window.removeEventListener('focus', refresh);
    };
  }, []);

  useRealtime('notification', (event) => {
    void refreshNotifications();
    if (event.username !== user.username || announced.has(event.id)) return;
    announced.add(event.id);
    openToast({
      key: `notification-${event.id}`,
      title: event.title,
      description: event.body ? plainText(event.body) : undefined,
      icon: <BellOutlined style={{ color: '#1677ff' }} />,
      className: 'notification-toast',
      to: internalLink(event.link),
      openLabel: t('open'),
      openTestId: 'notification-toast-open',
      onOpen: () => void markRead(event.id).catch(() => undefined),
    });
  });

  const unread = state?.unread ?? 0;
  const content = (
    <div className="notification-dropdown" data-testid="notification-dropdown">
      <Flex justify="space-between" align="center" style={{ padding: '0 8px 8px' }}>
        <Typography.Text strong>
          {t('title')}
          {unread ? <Typography.Text type="secondary"> · {t('unreadCount', { count: unread })}</Typography.Text> : null}
        </Typography.Text>
        <Button type="link" size="small" disabled={!unread} onClick={() => void markAllRead().catch(() => undefined)} data-testid="notification-read-all">
          {t('readAll')}
        </Button>
      </Flex>
      <NotificationList items={state?.items ?? []} loading={!state} onOpened={() => setOpen(false)} />
      <Flex justify="center" style={{ paddingTop: 8, borderTop: '1px solid #f0f0f0' }}>
        <Button
          type="link"
          size="small"
          data-testid="notification-view-all"
          onClick={() => {
            setOpen(false);
            navigate('/notifications');
          }}
        >
          {t('viewAll')}
        </Button>
      </Flex>
    </div>
  );

  return (
    <Popover
      content={content}
      trigger="click"
      placement="bottomRight"
      open={open}
      onOpenChange={(next) => {
        setOpen(next);
        if (next) void refreshNotifications();
      }}
    >
      <Button type="text" aria-label={t('bell')} title={t('bell')} data-testid="notification-bell">
        <Badge count={unread} size="small" offset={[4, -2]} title={String(unread)} data-testid="notification-count" data-count={unread}>
          <BellOutlined style={{ fontSize: 18 }} />
        </Badge>
      </Button>
    </Popover>
  );
}
