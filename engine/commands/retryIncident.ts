/**
 * An admin's "retry": the incident's job gets `retries` new attempts and is due now, the
 * incident is resolved, and the instance is `active` again unless other incidents remain.
 * A running executor is woken by the NOTIFY (delivered at commit) and runs the job.
 */
import { ConflictError, NotFoundError } from '../errors.ts';
import { countOpenIncidents, lockIncident, resolveIncidents } from '../store/incidents.ts';
import { lockInstance, setInstanceStatus } from '../store/instances.ts';
import { lockJob, notifyJobs, rearmJob } from '../store/jobs.ts';
import { runCommand, type CommandDeps } from './runCommand.ts';

export interface RetryIncidentResult {
  incidentId: string;
  jobId: string | null;
  instanceId: string;
  status: string;
}

export async function retryIncident(deps: CommandDeps, incidentId: string, retries = 1): Promise<RetryIncidentResult> {
  const now = deps.clock();
  return runCommand(deps, async ({ trx }, scope) => {
    const incident = await lockIncident(trx, incidentId);
    if (!incident) throw new NotFoundError(`Incident ${incidentId} does not exist`);
    if (incident.resolvedAt) throw new ConflictError(`Incident ${incidentId} is already resolved`, 'incident_resolved');
    // Lock order instance → job, like every command, so a concurrent step cannot deadlock us.
    // The row lock only: the instance's state does not change, so the unit of work does not load it.
    const instance = await lockInstance(trx, incident.instanceId);
    if (incident.jobId && (await lockJob(trx, incident.jobId))) {
      await rearmJob(trx, incident.jobId, Math.max(1, retries), now);
      await notifyJobs(trx);
    }
    await resolveIncidents(trx, [incident.id], now);
    let status = instance?.status ?? 'active';
    if (status === 'incident' && (await countOpenIncidents(trx, incident.instanceId)) === 0) {
      status = 'active';
      await setInstanceStatus(trx, incident.instanceId, status);
    }
    scope.emit({ type: 'instance.updated', rooms: [], payload: { instanceId: incident.instanceId, status } });
    return { incidentId, jobId: incident.jobId, instanceId: incident.instanceId, status };
  });
}
