/** Creates a department (an admin; engine/identity/org.ts). */
import type { MessageLocale } from '../forms/messages.ts';
import { createDepartment as insertDepartment } from '../identity/org.ts';
import { runCommand, type CommandDeps } from './runCommand.ts';

export async function createDepartment(deps: CommandDeps, input: { body: unknown; locale: MessageLocale }) {
  return runCommand(deps, ({ trx }) => insertDepartment(trx, input.body, input.locale));
}
