/** Creates a user (an admin; engine/identity/org.ts checks the body and the password policy). */
import type { MessageLocale } from '../forms/messages.ts';
import { createUser as insertUser } from '../identity/org.ts';
import { runCommand, type CommandDeps } from './runCommand.ts';

export async function createUser(deps: CommandDeps, input: { body: unknown; locale: MessageLocale }) {
  return runCommand(deps, ({ trx }) => insertUser(trx, input.body, input.locale));
}
