/**
 * Creates a plain record of a form (`POST /api/forms/:key/records`): validated against the
 * form's latest version, its automations queued, and routed to a department queue — record
 * and ticket commit together (a routed record is never queue-less); events after the commit.
 */
import { createRecord as storeRecord } from '../forms/records.ts';
import type { MessageLocale } from '../forms/messages.ts';
import type { AuthUser } from '../identity/types.ts';
import { routeRecord, type RuleErrorReporter } from '../routing/route.ts';
import type { RecordView } from '../store/records.ts';
import { runCommand, type CommandDeps } from './runCommand.ts';

export interface CreateRecordInput {
  formKey: string;
  data: unknown;
  user: AuthUser;
  locale: MessageLocale;
  /** A routing rule that fails to evaluate counts as false; this hears about it. */
  onRuleError: RuleErrorReporter;
}

export async function createRecord(deps: CommandDeps, input: CreateRecordInput): Promise<RecordView> {
  return runCommand(deps, async ({ trx }, scope) => {
    const record = await storeRecord(trx, input.formKey, input.data, input.user, input.locale);
    scope.emit(...(await routeRecord(trx, record, input.onRuleError)));
    return record;
  });
}
