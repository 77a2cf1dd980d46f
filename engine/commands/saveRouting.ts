/** Replaces a form's routing: the default department and the whole ordered rule list (an admin; engine/routing/rules.ts). */
import { saveRouting as storeRouting, type RoutingView } from '../routing/rules.ts';
import { runCommand, type CommandDeps } from './runCommand.ts';

export async function saveRouting(deps: CommandDeps, input: { formKey: string; body: unknown; updatedBy: string | null }): Promise<RoutingView> {
  return runCommand(deps, ({ trx }) => storeRouting(trx, input.formKey, input.body, input.updatedBy));
}
