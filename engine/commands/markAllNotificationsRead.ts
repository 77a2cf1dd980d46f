/** Marks every unread notification of the caller read, in one statement; answers how many it marked. */
import { markAllNotificationsRead as markAll } from '../store/notifications.ts';
import { runCommand, type CommandDeps } from './runCommand.ts';

export async function markAllNotificationsRead(deps: CommandDeps, input: { username: string }): Promise<{ marked: number; unread: 0 }> {
  const marked = await runCommand(deps, ({ trx }) => markAll(trx, input.username));
  return { marked, unread: 0 };
}
