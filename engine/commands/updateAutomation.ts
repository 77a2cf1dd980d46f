/**
 * Replaces an automation (an admin); 404 when there is none with that id. Its pending
 * schedule tick is replaced in the same transaction (none when disabled or no longer scheduled).
 */
import { parseAutomation } from '../automations/definition.ts';
import { NotFoundError } from '../errors.ts';
import { UUID_PATTERN } from '../identity/org.ts';
import { rescheduleAutomation } from '../automations/tick.ts';
import { getAutomation, updateAutomation as storeAutomation } from '../store/automations.ts';
import { runCommand, type CommandDeps } from './runCommand.ts';

export async function updateAutomation(deps: CommandDeps, input: { id: string; body: unknown }) {
  // A malformed id names nothing: 404 before the body is looked at, as for a missing one.
  if (!UUID_PATTERN.test(input.id)) throw new NotFoundError(`No automation ${input.id}`);
  const automation = parseAutomation(input.body);
  const updated = await runCommand(deps, async ({ trx }) => {
    const stored = await storeAutomation(trx, input.id, automation);
    if (!stored) return undefined;
    await rescheduleAutomation(trx, stored, deps.clock());
    return getAutomation(trx, stored.id);
  });
  if (!updated) throw new NotFoundError(`No automation ${input.id}`);
  return updated;
}
