/**
 * Installs a template app's message templates (`<app>/notifications/templates.json` + one
 * `.hbs` body per entry) and print templates (`<app>/print/templates.json`). Each goes
 * through the same checks as an admin's save, so a broken file fails the start loudly;
 * a key that already exists is left alone, so an admin's edits survive restarts.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Knex } from 'knex';
import { parsePrintTemplate } from '../printing/print.ts';
import { upsertMessageTemplate, upsertPrintTemplate } from '../store/templates.ts';
import { parseMessageTemplate } from './templates.ts';

interface Entry {
  key: string;
  file: string;
  [name: string]: unknown;
}

function entries(dir: string): Array<Entry & { body: string }> {
  const manifest = path.join(dir, 'templates.json');
  if (!existsSync(manifest)) return [];
  return (JSON.parse(readFileSync(manifest, 'utf8')) as Entry[]).map((entry) => ({
    ...entry,
    body: readFileSync(path.join(dir, entry.file), 'utf8'),
  }));
}

export async function installAppTemplates(db: Knex, appDir: string): Promise<{ messages: string[]; print: string[] }> {
  const installed = { messages: [] as string[], print: [] as string[] };
  for (const entry of entries(path.join(appDir, 'notifications'))) {
    if (await upsertMessageTemplate(db, parseMessageTemplate(entry.key, entry), true)) installed.messages.push(entry.key);
  }
  for (const entry of entries(path.join(appDir, 'print'))) {
    if (await upsertPrintTemplate(db, parsePrintTemplate(entry.key, entry), true)) installed.print.push(entry.key);
  }
  return installed;
}
