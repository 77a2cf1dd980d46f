/** Saves a form: a new version of its JSON Schema (an admin; the input is checked by `parseFormInput`). */
import { parseFormInput, saveForm as storeForm } from '../forms/forms.ts';
import type { MessageLocale } from '../forms/messages.ts';
import { runCommand, type CommandDeps } from './runCommand.ts';

export async function saveForm(
  deps: CommandDeps,
  input: { body: unknown; locale: MessageLocale; createdBy: string | null },
): Promise<{ key: string; version: number }> {
  const form = parseFormInput(input.body, input.locale);
  return runCommand(deps, ({ trx }) => storeForm(trx, form, input.createdBy));
}
