/** Stores a new automation (an admin; the body is checked by `parseAutomation`); a schedule gets its first tick. */
import { parseAutomation } from '../automations/definition.ts';
import { rescheduleAutomation } from '../automations/tick.ts';
import { getAutomation, insertAutomation } from '../store/automations.ts';
import { runCommand, type CommandDeps } from './runCommand.ts';

export async function createAutomation(deps: CommandDeps, input: { body: unknown }) {
  const automation = parseAutomation(input.body);
  return runCommand(deps, async ({ trx }) => {
    const created = await insertAutomation(trx, automation);
    await rescheduleAutomation(trx, created, deps.clock());
    return (await getAutomation(trx, created.id))!;
  });
}
