/**
 * Notifications as a list, newest first: unread ones highlighted with a dot, the time
 * relative to now, the body as plain text. Clicking one marks it read and opens what it
 * links to (the task, instance or record). Used by the bell's dropdown and the full page.
 */
import { Badge, Button, Empty, Flex, Spin, Typography } from 'antd';
import { useNavigate } from 'react-router';
import { useMessages } from '../i18n/i18n.tsx';
import { useFormat } from '../i18n/format.ts';
import { notificationMessages } from './messages.ts';
import { internalLink, markRead, plainText, type NotificationItem } from './store.ts';
import './notifications.css';

export function NotificationList({
  items,
  loading,
  onOpened,
  onChanged,
}: {
  items: NotificationItem[];
  loading?: boolean;
  /** Called after a click took the user away (e.g. to close the dropdown). */
  onOpened?: () => void;
  /** Called after one was marked read here (the page reloads its own page of them). */
  onChanged?: () => void;
}) {
  const t = useMessages(notificationMessages);
  const format = useFormat();
  const navigate = useNavigate();

  const open = async (item: NotificationItem) => {
    if (!item.readAt) await markRead(item.id).catch(() => undefined);
    onChanged?.();
    const link = internalLink(item.link);
    if (link) {
      onOpened?.();
      navigate(link);
    }
  };
  const read = async (item: NotificationItem) => {
    await markRead(item.id).catch(() => undefined);
    onChanged?.();
  };

  const row = (item: NotificationItem) => (
    <div
      key={item.id}
      role="listitem"
      className={item.readAt ? 'notification-item' : 'notification-item notification-unread'}
      data-testid={`notification-item-${item.id}`}
      data-unread={item.readAt ? 'false' : 'true'}
      onClick={() => void open(item)}
    >
      <Flex vertical gap={2} style={{ minWidth: 0, flex: 1 }}>
        <Flex gap={6} align="center" style={{ minWidth: 0 }}>
          {item.readAt ? null : <Badge status="processing" title={t('unread')} />}
          <Typography.Text strong={!item.readAt} ellipsis={{ tooltip: item.title }}>
            {item.title}
          </Typography.Text>
        </Flex>
        {item.body ? (
          <Typography.Text type="secondary" ellipsis style={{ fontSize: 12 }}>
            {plainText(item.body)}
          </Typography.Text>
        ) : null}
        <Typography.Text type="secondary" style={{ fontSize: 12 }} title={format.dateTime(item.createdAt)}>
          {format.relative(item.createdAt)}
        </Typography.Text>
      </Flex>
      {item.readAt ? null : (
        <Button
          type="link"
          size="small"
          data-testid={`notification-read-${item.id}`}
          onClick={(event) => {
            event.stopPropagation();
            void read(item);
          }}
        >
          {t('markRead')}
        </Button>
      )}
    </div>
  );

  return (
    <Spin spinning={!!loading}>
      <div role="list" className="notification-list">
        {items.length === 0 && !loading ? <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('empty')} /> : items.map(row)}
      </div>
    </Spin>
  );
}
