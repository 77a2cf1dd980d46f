/** Renames a department, moves it under another or changes its head (an admin; engine/identity/org.ts). */
import type { MessageLocale } from '../forms/messages.ts';
import { changeDepartment as updateDepartment } from '../identity/org.ts';
import { runCommand, type CommandDeps } from './runCommand.ts';

export async function changeDepartment(deps: CommandDeps, input: { id: string; body: unknown; locale: MessageLocale }) {
  return runCommand(deps, ({ trx }) => updateDepartment(trx, input.id, input.body, input.locale));
}
