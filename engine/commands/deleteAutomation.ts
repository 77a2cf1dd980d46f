/** Deletes an automation (an admin); 404 when there is none with that id. */
import { NotFoundError } from '../errors.ts';
import { UUID_PATTERN } from '../identity/org.ts';
import { deleteAutomation as removeAutomation } from '../store/automations.ts';
import { runCommand, type CommandDeps } from './runCommand.ts';

export async function deleteAutomation(deps: CommandDeps, input: { id: string }): Promise<void> {
  if (!UUID_PATTERN.test(input.id)) throw new NotFoundError(`No automation ${input.id}`);
  if (!(await runCommand(deps, ({ trx }) => removeAutomation(trx, input.id)))) throw new NotFoundError(`No automation ${input.id}`);
}
