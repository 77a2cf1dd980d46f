/**
 * Replaces a record's data (`PUT /api/forms/:key/records/:id`), validated against the form's
 * latest version, which the record moves to. Its creator or an admin only; a flow-form
 * record changes only through its process (engine/forms/flowRecordGuard.ts).
 */
import { replaceRecord } from '../forms/records.ts';
import type { MessageLocale } from '../forms/messages.ts';
import type { AuthUser } from '../identity/types.ts';
import type { RecordView } from '../store/records.ts';
import { runCommand, type CommandDeps } from './runCommand.ts';

export interface UpdateRecordInput {
  formKey: string;
  id: string;
  data: unknown;
  user: AuthUser;
  locale: MessageLocale;
}

export async function updateRecord(deps: CommandDeps, input: UpdateRecordInput): Promise<RecordView> {
  return runCommand(deps, ({ trx }) => replaceRecord(trx, input.formKey, input.id, input.data, input.user, input.locale));
}
