/** Replaces a department's members (an admin; engine/identity/org.ts). */
import type { MessageLocale } from '../forms/messages.ts';
import { setDepartmentMembers as replaceMembers } from '../identity/org.ts';
import { runCommand, type CommandDeps } from './runCommand.ts';

export async function setDepartmentMembers(deps: CommandDeps, input: { id: string; body: unknown; locale: MessageLocale }) {
  return runCommand(deps, ({ trx }) => replaceMembers(trx, input.id, input.body, input.locale));
}
