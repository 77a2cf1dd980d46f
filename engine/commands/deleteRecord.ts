/**
 * Deletes a record (`DELETE /api/forms/:key/records/:id`): its creator or an admin only; a
 * flow-form record changes only through its process (engine/forms/flowRecordGuard.ts).
 */
import { removeRecord } from '../forms/records.ts';
import type { AuthUser } from '../identity/types.ts';
import { runCommand, type CommandDeps } from './runCommand.ts';

export async function deleteRecord(deps: CommandDeps, input: { formKey: string; id: string; user: AuthUser }): Promise<void> {
  await runCommand(deps, ({ trx }) => removeRecord(trx, input.formKey, input.id, input.user));
}
