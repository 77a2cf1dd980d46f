/**
 * Marks one of the caller's notifications read; another user's answers 404 like a missing one
 * (ids reveal nothing). Publishes `notification.read` so the caller's other tabs and devices
 * mark it read too.
 */
import { NotFoundError } from '../errors.ts';
import { UUID_PATTERN } from '../identity/org.ts';
import { markNotificationRead as markRead, unreadNotificationCount, type NotificationView } from '../store/notifications.ts';
import { runCommand, type CommandDeps } from './runCommand.ts';

export async function markNotificationRead(deps: CommandDeps, input: { id: string; username: string }): Promise<NotificationView> {
  const found = UUID_PATTERN.test(input.id)
    ? await runCommand(deps, async ({ trx }, scope) => {
        const read = await markRead(trx, input.id, input.username);
        if (read) {
          const unread = await unreadNotificationCount(trx, input.username);
          scope.emit({ type: 'notification.read', rooms: [], payload: { username: input.username, notificationId: read.id, readAt: read.readAt!, unread } });
        }
        return read;
      })
    : undefined;
  if (!found) throw new NotFoundError(`No notification ${input.id}`);
  return found;
}
