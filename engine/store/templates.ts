/** Queries on `message_templates` and `print_templates`. */
import type { Knex } from 'knex';

export type Channel = 'inApp' | 'email' | 'chatRobot';

export interface MessageTemplate {
  key: string;
  channel: Channel;
  subject: string;
  body: string;
  config: Record<string, string>;
  updatedAt: string;
}

export interface PrintTemplate {
  key: string;
  formKey: string;
  title: string;
  body: string;
  updatedAt: string;
}

const toMessage = (row: any): MessageTemplate => ({
  key: row.key,
  channel: row.channel,
  subject: row.subject,
  body: row.body,
  config: row.config ?? {},
  updatedAt: row.updated_at.toISOString(),
});

const toPrint = (row: any): PrintTemplate => ({
  key: row.key,
  formKey: row.form_key,
  title: row.title,
  body: row.body,
  updatedAt: row.updated_at.toISOString(),
});

export async function getMessageTemplate(db: Knex, key: string): Promise<MessageTemplate | undefined> {
  const row = await db('message_templates').where({ key }).first();
  return row ? toMessage(row) : undefined;
}

export async function listMessageTemplates(db: Knex): Promise<MessageTemplate[]> {
  return (await db('message_templates').orderBy('key')).map(toMessage);
}

export async function upsertMessageTemplate(db: Knex, t: Omit<MessageTemplate, 'updatedAt'>, onlyIfNew = false): Promise<MessageTemplate | undefined> {
  const query = db('message_templates')
    .insert({ key: t.key, channel: t.channel, subject: t.subject, body: t.body, config: JSON.stringify(t.config) })
    .onConflict('key');
  const rows = onlyIfNew
    ? await query.ignore().returning('*')
    : await query.merge({ channel: t.channel, subject: t.subject, body: t.body, config: JSON.stringify(t.config), updated_at: db.fn.now() }).returning('*');
  return rows[0] ? toMessage(rows[0]) : undefined;
}

export async function getPrintTemplate(db: Knex, key: string): Promise<PrintTemplate | undefined> {
  const row = await db('print_templates').where({ key }).first();
  return row ? toPrint(row) : undefined;
}

export async function listPrintTemplates(db: Knex, formKey?: string): Promise<PrintTemplate[]> {
  const query = db('print_templates').orderBy('key');
  if (formKey) query.where({ form_key: formKey });
  return (await query).map(toPrint);
}

export async function upsertPrintTemplate(db: Knex, t: Omit<PrintTemplate, 'updatedAt'>, onlyIfNew = false): Promise<PrintTemplate | undefined> {
  const query = db('print_templates').insert({ key: t.key, form_key: t.formKey, title: t.title, body: t.body }).onConflict('key');
  const rows = onlyIfNew
    ? await query.ignore().returning('*')
    : await query.merge({ form_key: t.formKey, title: t.title, body: t.body, updated_at: db.fn.now() }).returning('*');
  return rows[0] ? toPrint(rows[0]) : undefined;
}
