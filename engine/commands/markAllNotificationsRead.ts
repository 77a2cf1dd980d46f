/**
 * Marks every unread notification of the caller read, in one statement; answers how many it
 * marked. When it marked any, publishes `notification.read` (notificationId null: all) so the
 * caller's other tabs and devices clear their bell too.
 */
import { markAllNotificationsRead as markAll } from '../store/notifications.ts';
import { runCommand, type CommandDeps } from './runCommand.ts';

export async function markAllNotificationsRead(deps: CommandDeps, input: { username: string }): Promise<{ marked: number; unread: 0 }> {
  const marked = await runCommand(deps, async ({ trx }, scope) => {
    const { marked, readAt } = await markAll(trx, input.username);
    if (readAt) scope.emit({ type: 'notification.read', rooms: [], payload: { username: input.username, notificationId: null, readAt, unread: 0 } });
    return marked;
  });
  return { marked, unread: 0 };
}
