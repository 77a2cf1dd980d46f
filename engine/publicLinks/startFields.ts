/**
 * A start link (a flow form's public link) fills the form as the process's start event lets
 * it: fields the start event hides or makes read-only are the process's to fill (a
 * complaint's status, its handler), so the page leaves them off and an answer's values for
 * them are dropped rather than refused.
 */
import { fieldPermissionsOf } from '../approval/nodeSettings.ts';
import type { Db } from '../db/connection.ts';
import { boundDefinition } from '../forms/flowQueries.ts';
import { startNodeOf } from '../forms/flowForms.ts';

export async function fieldsClosedAtStart(db: Db, formKey: string): Promise<string[]> {
  const definition = await boundDefinition(db, formKey);
  const start = definition ? startNodeOf(definition.process) : undefined;
  if (!start) return [];
  return Object.entries(fieldPermissionsOf(start))
    .filter(([, access]) => access === 'hidden' || access === 'readonly')
    .map(([name]) => name);
}
