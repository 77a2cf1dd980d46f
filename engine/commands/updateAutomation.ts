/** Replaces an automation (an admin); 404 when there is none with that id. */
import { parseAutomation } from '../automations/definition.ts';
import { NotFoundError } from '../errors.ts';
import { UUID_PATTERN } from '../identity/org.ts';
import { updateAutomation as storeAutomation } from '../store/automations.ts';
import { runCommand, type CommandDeps } from './runCommand.ts';

export async function updateAutomation(deps: CommandDeps, input: { id: string; body: unknown }) {
  // A malformed id names nothing: 404 before the body is looked at, as for a missing one.
  if (!UUID_PATTERN.test(input.id)) throw new NotFoundError(`No automation ${input.id}`);
  const automation = parseAutomation(input.body);
  const updated = await runCommand(deps, ({ trx }) => storeAutomation(trx, input.id, automation));
  if (!updated) throw new NotFoundError(`No automation ${input.id}`);
  return updated;
}
