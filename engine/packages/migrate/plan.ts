/**
 * Which running instances of one process version can move to another version, and why the
 * others cannot. Read-only: `migrateInstances` (engine/commands/migrateInstances.ts) checks
 * each instance again under its lock, since tokens may move between plan and migration.
 */
import type { Db } from '../../db/connection.ts';
import { NotFoundError, ValidationError } from '../../errors.ts';
import { definitionById, type LoadedDefinition } from '../../store/definitions.ts';
import { checkInstanceCompatibility } from './compatibility.ts';
import { definitionIdOfVersion, runningInstancesOf, waitsOfInstances } from './queries.ts';

/** Most instances one plan looks at (and one migration call moves). */
export const MAX_MIGRATION_INSTANCES = 1000;

export interface MigrationCandidate {
  instanceId: string;
  businessKey: string | null;
  /** Flow nodes its tokens wait at. */
  waitingAt: string[];
}

export interface BlockedInstance extends MigrationCandidate {
  /** One sentence per obstacle, e.g. "waits at 'approve_manager' which the new version does not have". */
  reasons: string[];
}

export interface MigrationPlan {
  processKey: string;
  from: { id: string; version: number };
  to: { id: string; version: number };
  movable: MigrationCandidate[];
  notMovable: BlockedInstance[];
  /** More running instances than MAX_MIGRATION_INSTANCES: only the oldest were planned. */
  truncated: boolean;
}

export interface MigrationVersions {
  from: LoadedDefinition;
  to: LoadedDefinition;
}

function badVersion(field: 'from' | 'to', message: string): ValidationError {
  return new ValidationError(message, [{ pointer: `/${field}`, message }], 'migration_version_invalid');
}

/** Both versions of `processKey`, loaded; 404 for an unknown key or version, 422 for a wrong order. */
export async function loadMigrationVersions(db: Db, processKey: string, fromVersion: number, toVersion: number): Promise<MigrationVersions> {
  for (const [field, version] of [['from', fromVersion], ['to', toVersion]] as const) {
    if (!Number.isSafeInteger(version) || version < 1) throw badVersion(field, `${field} must be a version number (1, 2, …), got ${version}`);
  }
  if (toVersion <= fromVersion) throw badVersion('to', `to (${toVersion}) must be a later version than from (${fromVersion})`);
  const load = async (version: number) => {
    const id = await definitionIdOfVersion(db, processKey, version);
    const definition = id ? await definitionById(db, id) : null;
    if (!definition) throw new NotFoundError(`Process "${processKey}" has no version ${version}`);
    return definition;
  };
  return { from: await load(fromVersion), to: await load(toVersion) };
}

export async function planInstanceMigration(db: Db, processKey: string, fromVersion: number, toVersion: number): Promise<MigrationPlan> {
  const { from, to } = await loadMigrationVersions(db, processKey, fromVersion, toVersion);
  return planBetween(db, { from, to });
}

/** The plan for the given versions, optionally only for some instances. */
export async function planBetween(db: Db, versions: MigrationVersions, instanceIds?: string[]): Promise<MigrationPlan> {
  const { from, to } = versions;
  const running = await runningInstancesOf(db, from.id, { limit: MAX_MIGRATION_INSTANCES + 1, ids: instanceIds });
  const truncated = running.length > MAX_MIGRATION_INSTANCES;
  const planned = running.slice(0, MAX_MIGRATION_INSTANCES);
  const waits = await waitsOfInstances(db, planned.map((instance) => instance.id));
  const plan: MigrationPlan = {
    processKey: from.key,
    from: { id: from.id, version: from.version },
    to: { id: to.id, version: to.version },
    movable: [],
    notMovable: [],
    truncated,
  };
  for (const instance of planned) {
    const { waitingAt, reasons } = checkInstanceCompatibility(instance.state, waits.get(instance.id) ?? [], from.process, to.process);
    const candidate = { instanceId: instance.id, businessKey: instance.businessKey, waitingAt };
    if (reasons.length === 0) plan.movable.push(candidate);
    else plan.notMovable.push({ ...candidate, reasons });
  }
  return plan;
}
