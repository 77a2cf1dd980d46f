/**
 * The engine's public face: commands that change state and queries that read it.
 * `server/` calls only this; tests may too. No HTTP here.
 */
import type { Db } from './db/connection.ts';
import { NotFoundError } from './errors.ts';
import type { EventBus } from './events.ts';
import type { AuthUser } from './identity/types.ts';
import { deployDefinitions } from './commands/deploy.ts';
import { broadcastSignal, correlateMessage, type MessageInput } from './commands/eventCommands.ts';
import { executeJob } from './commands/jobCommands.ts';
import type { CommandDeps } from './commands/runCommand.ts';
import { startInstance, type StartInstanceInput } from './commands/startInstance.ts';
import { claimTask, completeTask, type TaskDataValidator } from './commands/taskCommands.ts';
import { definitionXml, listDefinitions } from './store/definitions.ts';
import { instanceHistory } from './store/history.ts';
import { findInstance } from './store/instances.ts';
import { listJobs } from './store/jobs.ts';
import { findTask, queryOpenTasks, type TaskQuery } from './store/tasks.ts';

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
    completeTask: (input: { taskId: string; variables: Record<string, unknown>; actor: AuthUser; comment?: string | null }) =>
      completeTask(deps, input),
    claimTask: (input: { taskId: string; actor: AuthUser }) => claimTask(deps, input),
    correlateMessage: (input: MessageInput) => correlateMessage(deps, input),
    broadcastSignal: (input: { signalName: string; variables?: Record<string, unknown>; actor?: string | null }) =>
      broadcastSignal(deps, input),
    executeJob: (jobId: string) => executeJob(deps, jobId),
    listJobs: (query: { instanceId?: string }) => listJobs(db, query),
    findTask: (id: string) => findTask(db, id),
    queryTasks: (query: TaskQuery) => queryOpenTasks(db, query),
    history: (instanceId: string) => instanceHistory(db, instanceId),

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
