/** Changes a user: name, role, password, departments, active (an admin; engine/identity/org.ts). */
import type { MessageLocale } from '../forms/messages.ts';
import { changeUser as updateUser } from '../identity/org.ts';
import { runCommand, type CommandDeps } from './runCommand.ts';

export async function changeUser(deps: CommandDeps, input: { id: string; body: unknown; locale: MessageLocale }) {
  return runCommand(deps, ({ trx }) => updateUser(trx, input.id, input.body, input.locale));
}
