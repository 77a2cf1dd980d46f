/** Stores a new automation (an admin; the body is checked by `parseAutomation`). */
import { parseAutomation } from '../automations/definition.ts';
import { insertAutomation } from '../store/automations.ts';
import { runCommand, type CommandDeps } from './runCommand.ts';

export async function createAutomation(deps: CommandDeps, input: { body: unknown }) {
  const automation = parseAutomation(input.body);
  return runCommand(deps, ({ trx }) => insertAutomation(trx, automation));
}
