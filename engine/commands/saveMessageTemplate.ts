/** Stores a message template (an admin; engine/notifications/templates.ts checks it). */
import { saveMessageTemplate as storeTemplate } from '../notifications/templates.ts';
import type { MessageTemplate } from '../store/templates.ts';
import { runCommand, type CommandDeps } from './runCommand.ts';

export async function saveMessageTemplate(deps: CommandDeps, input: { key: string; body: unknown }): Promise<MessageTemplate> {
  return runCommand(deps, ({ trx }) => storeTemplate(trx, input.key, input.body));
}
