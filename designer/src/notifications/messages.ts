/** zh-CN / en texts of the notification centre. */
export const notificationMessages = {
  zh: {
    bell: '消息通知',
    title: '消息通知',
    unreadCount: '{count} 条未读',
    readAll: '全部已读',
    viewAll: '查看全部',
    empty: '暂无消息',
    unread: '未读',
    markRead: '标为已读',
    open: '查看',
    onlyUnread: '只看未读',
    failed: '加载失败：{error}',
  },
  en: {
    bell: 'Notifications',
    title: 'Notifications',
    unreadCount: '{count} unread',
    readAll: 'Mark all read',
    viewAll: 'View all',
    empty: 'No notifications',
    unread: 'Unread',
    markRead: 'Mark read',
    open: 'Open',
    onlyUnread: 'Unread only',
    failed: 'Could not load: {error}',
  },
};
