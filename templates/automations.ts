/**
 * A template app's automations (`templates/<app>/automations.json`: a list of bodies exactly as
 * `POST /api/automations` takes them), installed at bootstrap inside its transaction. The
 * automation's name is its identity: one of that name already there — the template's from an
 * earlier start, or an admin's edited or disabled copy — is left alone, so restarts install
 * nothing twice and an admin's change is kept. Each is checked by the same parser as the API,
 * so a broken template fails the start loudly instead of failing runs later.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Knex } from 'knex';
import { parseAutomation } from '../engine/automations/definition.ts';
import { rescheduleAutomation } from '../engine/automations/tick.ts';
import { insertAutomation } from '../engine/store/automations.ts';
import { templatesDir } from './app.ts';

export function readTemplateAutomations(appKey: string): unknown[] {
  const file = path.join(templatesDir, appKey, 'automations.json');
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as unknown[]) : [];
}

/** Names of the automations installed now. */
export async function installTemplateAutomations(db: Knex, appKey: string, now: Date): Promise<string[]> {
  const installed: string[] = [];
  for (const body of readTemplateAutomations(appKey)) {
    const automation = parseAutomation(body);
    if (await db('automations').where({ name: automation.name }).first('id')) continue;
    const created = await insertAutomation(db, automation);
    // A schedule gets its first tick in the same transaction, as when an admin creates one.
    await rescheduleAutomation(db, created, now);
    installed.push(automation.name);
  }
  return installed;
}
