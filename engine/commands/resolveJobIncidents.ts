/**
 * A dead job run by hand that now succeeded: its open incidents are resolved, and the instance
 * goes back to `active` when no other incident holds it (`instance.updated` after the commit).
 */
import { countOpenIncidents, openIncidentsOfJob, resolveIncidents } from '../store/incidents.ts';
import { lockInstance, setInstanceStatus } from '../store/instances.ts';
import { runCommand, type CommandDeps } from './runCommand.ts';

export async function resolveJobIncidents(deps: CommandDeps, jobId: string, instanceId: string): Promise<void> {
  const now = deps.clock();
  await runCommand(deps, async (_uow, scope) => {
    const instance = await lockInstance(scope.trx, instanceId);
    const open = await openIncidentsOfJob(scope.trx, jobId);
    if (!instance || open.length === 0) return;
    await resolveIncidents(scope.trx, open.map((incident) => incident.id), now);
    let status = instance.status;
    if (status === 'incident' && (await countOpenIncidents(scope.trx, instance.id)) === 0) {
      status = 'active';
      await setInstanceStatus(scope.trx, instance.id, 'active');
    }
    scope.emit({ type: 'instance.updated', rooms: [], payload: { instanceId: instance.id, status } });
  });
}
