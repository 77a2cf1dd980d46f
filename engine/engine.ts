/**
 * The engine's public face: commands that change state and queries that read it.
 * `server/` calls only this; tests may too. No HTTP here.
 */
import type { Db } from './db/connection.ts';
import { NotFoundError } from './errors.ts';
import type { EventBus } from './events.ts';
import type { AuthUser } from './identity/types.ts';
import { assertMayReadInstance, mayReadInstance } from './identity/instanceAccess.ts';
import { deployDefinitions } from './commands/deploy.ts';
import { broadcastSignal, correlateMessage, type MessageInput, type SignalInput } from './commands/eventCommands.ts';
import { retryIncident } from './commands/jobCommands.ts';
import type { CommandDeps } from './commands/runCommand.ts';
import { startInstance, type StartInstanceInput } from './commands/startInstance.ts';
import { claimTask, completeTask, type TaskDataValidator, type TaskDecision } from './commands/taskCommands.ts';
import { returnTask, transferTask, withdrawInstance, type TaskActionInput } from './commands/taskActions.ts';
import { instanceApprovals, taskApproval } from './approval/progress.ts';
import { addSigner, type AddSignerInput } from './commands/addSigner.ts';
import { taskForm } from './approval/taskForm.ts';
import { definitionXml, listDefinitions } from './store/definitions.ts';
import { instanceHistory } from './store/history.ts';
import { findInstance } from './store/instances.ts';
import { listJobs } from './store/jobs.ts';
import { listIncidents } from './store/incidents.ts';
import { createJobExecutor, type JobExecutorOptions } from './jobs/executor.ts';
import { executeJobNow, type JobRunSettings } from './jobs/runJob.ts';
import { findTask, listTaskActions, queryOpenTasks, type TaskQuery, type TaskRow } from './store/tasks.ts';

export interface EngineOptions {
  db: Db;
  events: EventBus;
  /** Injectable for tests of timers. */
  clock?: () => Date;
  validateTaskData?: TaskDataValidator;
}

export interface InstanceView {
  id: string;
  definitionId: string;
  definitionKey: string;
  businessKey: string | null;
  /** Username of who started it (null for timer, message and signal starts). */
  startedBy: string | null;
  status: string;
  variables: Record<string, unknown>;
  activeElementIds: string[];
  parentInstanceId: string | null;
  startedAt: Date;
  endedAt: Date | null;
  incidents: Array<{ id: string; elementId: string | null; message: string; createdAt: Date }>;
}

export function createEngine(options: EngineOptions) {
  const deps: CommandDeps & { validateTaskData?: TaskDataValidator } = {
    db: options.db,
    events: options.events,
    clock: options.clock ?? (() => new Date()),
    validateTaskData: options.validateTaskData,
  };
  const { db } = options;

  return {
    deps,
    deploy: (xml: string, deployedBy: string | null = null) => deployDefinitions(db, xml, deployedBy, deps.clock()),
    listDefinitions: (latestOnly = false) => listDefinitions(db, { latestOnly }),
    definitionXml: (id: string) => definitionXml(db, id),
    startInstance: (input: StartInstanceInput) => startInstance(deps, input),
    completeTask: (input: {
      taskId: string;
      variables: Record<string, unknown>;
      actor: AuthUser;
      comment?: string | null;
      decision?: TaskDecision;
    }) => completeTask(deps, input),
    transferTask: (input: TaskActionInput & { to: string }) => transferTask(deps, input),
    returnTask: (input: TaskActionInput & { toElementId: string }) => returnTask(deps, input),
    withdrawInstance: (input: { instanceId: string; actor: AuthUser; comment?: string | null }) => withdrawInstance(deps, input),
    /** The task's form, data (hidden fields removed), field permissions and allowed actions. */
    taskForm: (task: TaskRow) => taskForm(db, task),
    /** 加签: `before` holds the caller's task until the added user approves; `after` approves and adds. */
    addSigner: (input: AddSignerInput) => addSigner(deps, input),
    /** Progress of the approval node the task belongs to (null when it is not one, or decided). */
    taskApproval: (task: TaskRow) => taskApproval(db, task),
    /** Progress of every approval node running in the instance. */
    instanceApprovals: (instanceId: string) => instanceApprovals(db, instanceId),
    /** The instance's task actions in order (approve, reject, transfer, return, …). */
    taskActions: (instanceId: string) => listTaskActions(db, instanceId),
    claimTask: (input: { taskId: string; actor: AuthUser }) => claimTask(deps, input),
    /** With `caller` (from outside) the model's liuzhuan:access / liuzhuan:variables apply (commands/eventAccess.ts). */
    correlateMessage: (input: MessageInput) => correlateMessage(deps, input),
    broadcastSignal: (input: SignalInput) => broadcastSignal(deps, input),
    /** Runs a job now (admin), through the executor's code path and failure policy. */
    executeJob: (jobId: string, settings?: Partial<JobRunSettings>) => executeJobNow(deps, jobId, settings),
    listIncidents: (query: { instanceId?: string; includeResolved?: boolean } = {}) => listIncidents(db, query),
    /** Gives the incident's job `retries` new attempts, due now; resolves the incident. */
    retryIncident: (incidentId: string, retries?: number) => retryIncident(deps, incidentId, retries),
    /** A job executor over this engine's database, event bus and clock. */
    createJobExecutor: (options: Omit<JobExecutorOptions, 'db' | 'events' | 'clock'> = {}) =>
      createJobExecutor({ ...options, db, events: deps.events, clock: deps.clock }),
    listJobs: (query: { instanceId?: string }) => listJobs(db, query),
    findTask: (id: string) => findTask(db, id),
    queryTasks: (query: TaskQuery) => queryOpenTasks(db, query),
    history: (instanceId: string) => instanceHistory(db, instanceId),
    /** Whether the user may read the instance: an admin or involved in it (engine/identity/instanceAccess.ts). */
    mayReadInstance: (user: AuthUser, instanceId: string) => mayReadInstance(db, user, instanceId),
    /** 404 unless the user may read the instance (an uninvolved reader learns nothing, not even that it exists). */
    assertMayReadInstance: (user: AuthUser, instanceId: string) => assertMayReadInstance(db, user, instanceId),

    async getInstance(id: string): Promise<InstanceView> {
      const row = await findInstance(db, id);
      if (!row) throw new NotFoundError(`Process instance ${id} does not exist`);
      const activeElementIds: string[] = [];
      for (const execution of row.state.executions) {
        if (execution.parentId !== null && !activeElementIds.includes(execution.elementId)) {
          activeElementIds.push(execution.elementId);
        }
      }
      const incidents = await db('incidents').where({ instance_id: id }).whereNull('resolved_at').orderBy('created_at');
      return {
        id: row.id,
        definitionId: row.definitionId,
        definitionKey: row.definitionKey,
        businessKey: row.businessKey,
        startedBy: row.startedBy ?? null,
        status: row.status,
        variables: row.variables,
        activeElementIds,
        parentInstanceId: row.parentInstanceId,
        startedAt: row.startedAt,
        endedAt: row.endedAt,
        incidents: incidents.map((incident: any) => ({
          id: incident.id,
          elementId: incident.element_id,
          message: incident.message,
          createdAt: incident.created_at,
        })),
      };
    },
  };
}

export type Engine = ReturnType<typeof createEngine>;
