/**
 * Moves running instances of one process version to a later version (instance migration).
 * One transaction per instance: an instance that changed since the plan, or that another
 * migration moved first, is skipped with its reason while the others still move. Each
 * instance is locked as every command locks it (uow.load), so a concurrent task completion
 * either finishes before (and the instance is checked as it then is) or waits for the move.
 * Tokens, tasks, jobs and subscriptions refer to elements by id and stay as they are; only
 * the instance's definition changes, and open tasks take the new version's name and form.
 */
import { ValidationError } from '../errors.ts';
import { checkInstanceCompatibility } from '../packages/migrate/compatibility.ts';
import { loadMigrationVersions, MAX_MIGRATION_INSTANCES, type MigrationVersions } from '../packages/migrate/plan.ts';
import { retitleOpenTasks, runningInstancesOf, setInstanceDefinition, waitsOfInstances } from '../packages/migrate/queries.ts';
import type { CompiledProcess } from '../bpmn/model.ts';
import type { InstanceState } from '../runtime/state.ts';
import { runCommand, type CommandDeps } from './runCommand.ts';

export interface MigrateInstancesInput {
  processKey: string;
  fromVersion: number;
  toVersion: number;
  /** Only these instances (at most MAX_MIGRATION_INSTANCES); absent: every running instance of `fromVersion`, oldest first, up to that many. */
  instanceIds?: string[];
}

export interface MigrateInstancesResult {
  from: { id: string; version: number };
  to: { id: string; version: number };
  migrated: Array<{ instanceId: string }>;
  skipped: Array<{ instanceId: string; reasons: string[] }>;
  /** More running instances were left than one call moves: call again. */
  truncated: boolean;
}

export async function migrateInstances(deps: CommandDeps, input: MigrateInstancesInput): Promise<MigrateInstancesResult> {
  if (input.instanceIds && input.instanceIds.length > MAX_MIGRATION_INSTANCES) {
    const message = `instanceIds lists ${input.instanceIds.length} instances; at most ${MAX_MIGRATION_INSTANCES} move in one call`;
    throw new ValidationError(message, [{ pointer: '/instanceIds', message }], 'too_many_instances');
  }
  const versions = await loadMigrationVersions(deps.db, input.processKey, input.fromVersion, input.toVersion);
  const running = await runningInstancesOf(deps.db, versions.from.id, { limit: MAX_MIGRATION_INSTANCES + 1, ids: input.instanceIds });
  const result: MigrateInstancesResult = {
    from: { id: versions.from.id, version: versions.from.version },
    to: { id: versions.to.id, version: versions.to.version },
    migrated: [],
    skipped: [],
    truncated: running.length > MAX_MIGRATION_INSTANCES,
  };
  const runningIds = new Set(running.map((instance) => instance.id));
  for (const id of new Set(input.instanceIds ?? [])) {
    if (!runningIds.has(id)) result.skipped.push({ instanceId: id, reasons: [`is not a running instance of version ${input.fromVersion}`] });
  }
  for (const instance of running.slice(0, MAX_MIGRATION_INSTANCES)) {
    const reasons = await migrateOne(deps, versions, instance.id);
    if (reasons.length === 0) result.migrated.push({ instanceId: instance.id });
    else result.skipped.push({ instanceId: instance.id, reasons });
  }
  return result;
}

/** Moves one instance in its own transaction; the reasons it could not move, or none. */
async function migrateOne(deps: CommandDeps, versions: MigrationVersions, instanceId: string): Promise<string[]> {
  const { from, to } = versions;
  return runCommand(deps, async (uow, scope) => {
    const run = await uow.load(instanceId);
    // Checked again under the lock: a concurrent command may have moved its tokens or the instance.
    if (run.record.definitionId !== from.id) return [`is no longer on version ${from.version}`];
    if (run.record.status !== 'active' && run.record.status !== 'incident') return [`is ${run.record.status}`];
    const waits = (await waitsOfInstances(scope.trx, [instanceId])).get(instanceId) ?? [];
    const { reasons } = checkInstanceCompatibility(run.state, waits, from.process, to.process);
    if (reasons.length > 0) return reasons;
    await setInstanceDefinition(scope.trx, instanceId, to.id);
    await retitleOpenTasks(scope.trx, instanceId, userTasksWaitedAt(run.state, from.process, to.process));
    run.emit({ type: 'instance.updated', rooms: [], payload: { instanceId, status: run.record.status } });
    return [];
  });
}

/** The user tasks tokens wait at whose name or form the new version changed. */
function userTasksWaitedAt(state: InstanceState, from: CompiledProcess, to: CompiledProcess) {
  const changed: Array<{ elementId: string; name: string | null; formKey: string | null }> = [];
  for (const elementId of new Set(state.executions.map((execution) => execution.elementId))) {
    const before = from.nodes[elementId];
    const after = to.nodes[elementId];
    if (after?.type !== 'userTask' || !before) continue;
    // A name with an expression (`审批 ${loopCounter}`) was evaluated per task: keep what it gave.
    const plainName = !after.name || !/[$#]\{/.test(after.name);
    if (before.name === after.name && before.userTask?.formKey === after.userTask?.formKey) continue;
    if (!plainName) continue;
    changed.push({ elementId, name: after.name ?? null, formKey: after.userTask?.formKey ?? null });
  }
  return changed;
}
