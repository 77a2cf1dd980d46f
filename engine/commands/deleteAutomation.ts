/** Deletes an automation (an admin) with its schedule's tick jobs; 404 when there is none with that id. */
import { NotFoundError } from '../errors.ts';
import { UUID_PATTERN } from '../identity/org.ts';
import { deleteAutomation as removeAutomation } from '../store/automations.ts';
import { deleteTickJobs } from '../store/automationTicks.ts';
import { runCommand, type CommandDeps } from './runCommand.ts';

export async function deleteAutomation(deps: CommandDeps, input: { id: string }): Promise<void> {
  if (!UUID_PATTERN.test(input.id)) throw new NotFoundError(`No automation ${input.id}`);
  const removed = await runCommand(deps, async ({ trx }) => {
    await deleteTickJobs(trx, input.id);
    return removeAutomation(trx, input.id);
  });
  if (!removed) throw new NotFoundError(`No automation ${input.id}`);
}
