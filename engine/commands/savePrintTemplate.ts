/** Stores a print template (an admin; engine/printing/print.ts checks and sanitises it). */
import { savePrintTemplate as storeTemplate } from '../printing/print.ts';
import { runCommand, type CommandDeps } from './runCommand.ts';

export async function savePrintTemplate(deps: CommandDeps, input: { key: string; body: unknown }) {
  return runCommand(deps, ({ trx }) => storeTemplate(trx, input.key, input.body));
}
