/** Replaces a form's routing: the default department and the whole ordered rule list (an admin; engine/routing/rules.ts). */
import type { ConditionLocale } from '../expressions/fieldConditions.ts';
import { saveRouting as storeRouting, type RoutingView } from '../routing/rules.ts';
import { runCommand, type CommandDeps } from './runCommand.ts';

export interface SaveRoutingInput {
  formKey: string;
  body: unknown;
  updatedBy: string | null;
  /** The language of the 422's messages (Accept-Language); zh-CN when absent. */
  locale?: ConditionLocale;
}

export async function saveRouting(deps: CommandDeps, input: SaveRoutingInput): Promise<RoutingView> {
  return runCommand(deps, ({ trx }) => storeRouting(trx, input.formKey, input.body, input.updatedBy, input.locale));
}
