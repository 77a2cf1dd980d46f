/** Marks one of the caller's CC (抄送) entries read; someone else's answers 404 like a missing one. */
import type { AuthUser } from '../identity/types.ts';
import { readCc } from '../inbox/inbox.ts';
import { runCommand, type CommandDeps } from './runCommand.ts';

export async function markCcRead(deps: CommandDeps, input: { user: AuthUser; id: string }): Promise<{ id: string; readAt: string }> {
  return runCommand(deps, ({ trx }) => readCc(trx, input.user, input.id));
}
