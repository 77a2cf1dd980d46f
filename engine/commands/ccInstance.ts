/**
 * CC (抄送): sends an instance to each named user's 抄送 box (engine/inbox/inbox.ts checks
 * the caller may read the instance and the users exist); one `cc.created` event per
 * recipient after the commit.
 */
import type { AuthUser } from '../identity/types.ts';
import { ccInstance as insertCc } from '../inbox/inbox.ts';
import { runCommand, type CommandDeps } from './runCommand.ts';

export async function ccInstance(
  deps: CommandDeps,
  input: { user: AuthUser; instanceId: string; body: unknown },
): Promise<{ id: string; username: string }[]> {
  return runCommand(deps, async ({ trx }, scope) => {
    const { entries, events } = await insertCc(trx, input.user, input.instanceId, input.body);
    scope.emit(...events);
    return entries;
  });
}
