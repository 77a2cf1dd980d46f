/**
 * The 待办 badge beside the 工作台 menu entry. It lives in the shell on every page, so it is
 * also where new work is announced: a `task.assigned` for the current user refreshes the
 * counts and shows a "新待办" toast with an 打开 button.
 */
import { Badge, Button } from 'antd';
import { App } from 'antd';
import { useNavigate } from 'react-router';
import { api } from '../api/client.ts';
import { useUser } from '../auth/session.tsx';
import { useMessages } from '../i18n/i18n.tsx';
import { useRealtime } from '../realtime/socket.tsx';
import type { SocketEvents, Task } from '../api/types.ts';
import { refreshCounts, useInboxCounts } from './counts.ts';

const messages = {
  zh: { newTask: '新待办: {name}', open: '打开', unnamed: '未命名任务' },
  en: { newTask: 'New task: {name}', open: 'Open', unnamed: 'Untitled task' },
};

export type TaskAssigned = SocketEvents['task.assigned'];

// The menu may render its labels twice (e.g. a collapsed menu's tooltip): announce once.
const announced = new Set<string>();

export function InboxBadge() {
  const t = useMessages(messages);
  const user = useUser();
  const counts = useInboxCounts(user.username);
  const { notification } = App.useApp();
  const navigate = useNavigate();

  const concernsMe = (event: TaskAssigned) =>
    event.assignee === user.username ||
    (!event.assignee &&
      ((event.candidateUsers ?? []).includes(user.username) || (event.candidateGroups ?? []).some((group) => user.groups.includes(group))));

  useRealtime('task.assigned', (event) => {
    void refreshCounts();
    if (!concernsMe(event) || announced.has(event.taskId)) return;
    announced.add(event.taskId);
    void api
      .get<Task>(`/tasks/${event.taskId}`)
      .then((task) => {
        const key = `task-${task.id}`;
        notification.info({
          key,
          title: t('newTask', { name: task.name || t('unnamed') }),
          placement: 'topRight',
          actions: (
            <Button
              type="primary"
              size="small"
              data-testid="new-task-open"
              onClick={() => {
                notification.destroy(key);
                navigate(`/tasks/${task.id}`);
              }}
            >
              {t('open')}
            </Button>
          ),
        });
      })
      .catch(() => undefined);
  });
  useRealtime('task.updated', () => void refreshCounts());
  useRealtime('cc.created', () => void refreshCounts());
  useRealtime('instance.updated', () => void refreshCounts());

  const todo = counts?.todo ?? 0;
  return <Badge count={todo} size="small" offset={[4, -2]} data-testid="inbox-badge" title={String(todo)} />;
}
