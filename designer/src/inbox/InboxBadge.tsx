/**
 * The 待办 badge beside the 工作台 menu entry. It lives in the shell on every page, so it is
 * also where new work is announced: a `task.assigned` for the current user refreshes the
 * counts and shows a "新待办" toast saying what the task is about (the row's summary from
 * `GET /api/inbox/todo?taskId=`, and its deadline) with an 打开 button.
 */
import { Badge } from 'antd';
import { useOpenToast } from '../app/useOpenToast.tsx';
import { call } from '../api/client.ts';
import { useUser } from '../auth/session.tsx';
import { useMessages } from '../i18n/i18n.tsx';
import { useRealtime } from '../realtime/socket.tsx';
import type { SocketEvents } from '../api/types.ts';
import { useFormat } from '../i18n/format.ts';
import { refreshCounts, useInboxCounts } from './counts.ts';
import { useSummaryText } from './InboxSummary.tsx';

const messages = {
  zh: { newTask: '新待办: {name}', open: '打开', unnamed: '未命名任务', due: '截止 {time}' },
  en: { newTask: 'New task: {name}', open: 'Open', unnamed: 'Untitled task', due: 'Due {time}' },
};

export type TaskAssigned = SocketEvents['task.assigned'];

// The menu may render its labels twice (e.g. a collapsed menu's tooltip): announce once.
const announced = new Set<string>();

export function InboxBadge() {
  const t = useMessages(messages);
  const user = useUser();
  const counts = useInboxCounts(user.username);
  const openToast = useOpenToast();
  const format = useFormat();
  const summaryText = useSummaryText();

  const concernsMe = (event: TaskAssigned) =>
    event.assignee === user.username ||
    (!event.assignee &&
      ((event.candidateUsers ?? []).includes(user.username) || (event.candidateGroups ?? []).some((group) => user.groups.includes(group))));

  useRealtime('task.assigned', (event) => {
    void refreshCounts();
    if (!concernsMe(event) || announced.has(event.taskId)) return;
    announced.add(event.taskId);
    // The task as this user's 待办 row: its summary and deadline; gone already (someone else claimed it) → no toast.
    void call('listInbox', { path: { box: 'todo' }, query: { taskId: event.taskId } })
      .then(({ items: [task] }) => {
        if (!task) return;
        const about = summaryText(task.summary);
        const due = task.dueAt ? t('due', { time: format.dateTime(task.dueAt) }) : '';
        openToast({
          key: `task-${task.id}`,
          title: t('newTask', { name: task.name || t('unnamed') }),
          description: about || due ? <span data-testid="new-task-summary">{[about, due].filter(Boolean).join(' · ')}</span> : undefined,
          to: `/tasks/${task.id}`,
          openLabel: t('open'),
          openTestId: 'new-task-open',
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
