/** Marks one of the caller's notifications read; another user's answers 404 like a missing one (ids reveal nothing). */
import { NotFoundError } from '../errors.ts';
import { UUID_PATTERN } from '../identity/org.ts';
import { markNotificationRead as markRead, type NotificationView } from '../store/notifications.ts';
import { runCommand, type CommandDeps } from './runCommand.ts';

export async function markNotificationRead(deps: CommandDeps, input: { id: string; username: string }): Promise<NotificationView> {
  const found = UUID_PATTERN.test(input.id) ? await runCommand(deps, ({ trx }) => markRead(trx, input.id, input.username)) : undefined;
  if (!found) throw new NotFoundError(`No notification ${input.id}`);
  return found;
}
