/**
 * Admin editing of message templates: parse the request body, compile subject and body
 * (422 with handlebars' message when they do not compile), store.
 */
import type { Knex } from 'knex';
import { NotFoundError, ValidationError } from '../errors.ts';
import { getMessageTemplate, upsertMessageTemplate, type Channel, type MessageTemplate } from '../store/templates.ts';
import { compileOrThrow } from './handlebars.ts';

const CHANNELS: Channel[] = ['inApp', 'email', 'chatRobot'];
export const TEMPLATE_KEY = /^[a-z0-9][a-z0-9_.-]{0,99}$/i;

function text(value: unknown, pointer: string, required: boolean): string {
  if (value === undefined && !required) return '';
  if (typeof value !== 'string' || (required && value.trim() === '')) {
    throw new ValidationError(`"${pointer.slice(1)}" must be a${required ? ' non-empty' : ''} string`, [{ pointer, message: 'must be a string' }]);
  }
  return value;
}

export function parseMessageTemplate(key: string, body: unknown): Omit<MessageTemplate, 'updatedAt'> {
  if (!TEMPLATE_KEY.test(key)) throw new ValidationError(`Invalid template key "${key}"`, [{ pointer: '/key', message: 'letters, digits, _ . -' }]);
  const input = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  const channel = input.channel as Channel;
  if (!CHANNELS.includes(channel)) {
    throw new ValidationError(`"channel" must be one of ${CHANNELS.join(', ')}`, [{ pointer: '/channel', message: 'unknown channel' }]);
  }
  const template = { key, channel, subject: text(input.subject, '/subject', false), body: text(input.body, '/body', true), config: {} as Record<string, string> };
  if (input.config !== undefined) {
    if (!input.config || typeof input.config !== 'object' || Array.isArray(input.config)) {
      throw new ValidationError('"config" must be an object of strings', [{ pointer: '/config', message: 'must be an object' }]);
    }
    for (const [name, value] of Object.entries(input.config)) template.config[name] = String(value);
  }
  // In-app messages are shown as HTML: raw output would let record data inject markup.
  const refuseTripleStash = channel === 'inApp';
  compileOrThrow(template.subject, '/subject', { refuseTripleStash });
  compileOrThrow(template.body, '/body', { refuseTripleStash });
  return template;
}

export async function saveMessageTemplate(db: Knex, key: string, body: unknown): Promise<MessageTemplate> {
  return (await upsertMessageTemplate(db, parseMessageTemplate(key, body)))!;
}

export async function readMessageTemplate(db: Knex, key: string): Promise<MessageTemplate> {
  const template = await getMessageTemplate(db, key);
  if (!template) throw new NotFoundError(`No message template "${key}"`);
  return template;
}
