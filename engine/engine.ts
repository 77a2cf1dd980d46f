/**
 * The engine's public face: commands that change state and queries that read it. `server/`
 * calls only this (and the types, errors and input parsers of engine/api.ts); tests may too.
 * No HTTP here.
 *
 * Every command is one file in engine/commands/ and runs through the one command executor
 * (engine/commands/runCommand.ts): one transaction, the unit of work, events after commit.
 * Queries read through the pool, one statement at a time, never inside a transaction.
 */
import type { Writable } from 'node:stream';
import type { Db } from './db/connection.ts';
import { NotFoundError, ForbiddenError } from './errors.ts';
import type { EventBus } from './events.ts';
import { installFeatures } from './features.ts';
import type { AuthUser } from './identity/types.ts';
import { assertMayReadInstance, mayReadInstance } from './identity/instanceAccess.ts';
import { addSigner, type AddSignerInput } from './commands/addSigner.ts';
import { broadcastSignal, type SignalInput } from './commands/broadcastSignal.ts';
import { ccInstance } from './commands/ccInstance.ts';
import { changeDepartment } from './commands/changeDepartment.ts';
import { changeUser } from './commands/changeUser.ts';
import { claimTask } from './commands/claimTask.ts';
import { claimTicket } from './commands/claimTicket.ts';
import { closeTicket } from './commands/closeTicket.ts';
import { completeTask, type CompleteTaskInput, type TaskDataValidator } from './commands/completeTask.ts';
import { correlateMessage, type MessageInput } from './commands/correlateMessage.ts';
import { createAutomation } from './commands/createAutomation.ts';
import { createDepartment } from './commands/createDepartment.ts';
import { createRecord, type CreateRecordInput } from './commands/createRecord.ts';
import { createUser } from './commands/createUser.ts';
import { deleteAutomation } from './commands/deleteAutomation.ts';
import { deleteRecord } from './commands/deleteRecord.ts';
import { deployDefinition } from './commands/deployDefinition.ts';
import { handBackTicket } from './commands/handBackTicket.ts';
import { markCcRead } from './commands/markCcRead.ts';
import { markAllNotificationsRead } from './commands/markAllNotificationsRead.ts';
import { markNotificationRead } from './commands/markNotificationRead.ts';
import { retryIncident } from './commands/retryIncident.ts';
import { returnTask } from './commands/returnTask.ts';
import type { CommandDeps } from './commands/runCommand.ts';
import { saveForm } from './commands/saveForm.ts';
import { saveMessageTemplate } from './commands/saveMessageTemplate.ts';
import { savePrintTemplate } from './commands/savePrintTemplate.ts';
import { saveRouting, type SaveRoutingInput } from './commands/saveRouting.ts';
import { setDepartmentMembers } from './commands/setDepartmentMembers.ts';
import { startInstanceForUser, type UserStartInput } from './commands/startInstanceForUser.ts';
import { startInstance, type StartInstanceInput } from './commands/startInstance.ts';
import { submitFlowForm, type FlowSubmission } from './commands/submitFlowForm.ts';
import { startFromRecord, type StartFromRecordInput } from './commands/startFromRecord.ts';
import { transferTask, type TaskActionInput } from './commands/transferTask.ts';
import { updateAutomation } from './commands/updateAutomation.ts';
import { updateRecord, type UpdateRecordInput } from './commands/updateRecord.ts';
import { runTiering } from './tiering/run.ts';
import { publicLinkApi } from './publicLinks/api.ts';
import { accessApi } from './access/api.ts';
import { analyticsApi } from './analytics/api.ts';
import { importsApi } from './imports/api.ts';
import { privacyApi } from './privacy/api.ts';
import { webhookApi } from './webhooks/api.ts';
import { packagesApi } from './packages/api.ts';
import { tieringSourceOf } from './tiering/source.ts';
import { withdrawInstance } from './commands/withdrawInstance.ts';
import { migrateInstances, type MigrateInstancesInput } from './commands/migrateInstances.ts';
import { planInstanceMigration } from './packages/migrate/plan.ts';
import { mayWorkOn } from './commands/shared/taskAccess.ts';
import { instanceApprovals, taskApproval } from './approval/progress.ts';
import { taskForm } from './approval/taskForm.ts';
import { getAutomation, listAutomationRuns, listAutomations } from './store/automations.ts';
import { appDefinitions, appFormFacts } from './store/apps.ts';
import { definitionXml, latestDefinition, listDefinitions } from './store/definitions.ts';
import { listDepartments } from './store/departments.ts';
import { instanceHistory } from './store/history.ts';
import { listIncidents, openIncidentsOfInstance } from './store/incidents.ts';
import type { BoxFilter } from './store/inbox.ts';
import { listInstancePage, type InstanceListFilter } from './store/instanceList.ts';
import { findInstance } from './store/instances.ts';
import { listJobs } from './store/jobs.ts';
import { listNotifications } from './store/notifications.ts';
import { recordOfInstance } from './store/records.ts';
import { listMessageTemplates, listPrintTemplates } from './store/templates.ts';
import { findTask, listTaskActions, queryOpenTasks, type TaskQuery, type TaskRow } from './store/tasks.ts';
import { listUsers } from './store/users.ts';
import { UUID_PATTERN } from './identity/org.ts';
import { login, logout } from './identity/sessions.ts';
import { inboxCounts, listInbox } from './inbox/inbox.ts';
import { exportInbox, type TaskExportStart, type TaskListFormat } from './inbox/export.ts';
import type { Paging } from './inbox/paging.ts';
import { readRecord } from './forms/records.ts';
import { listRecordEntries, recordDetail } from './forms/recordFacts.ts';
import { getForm, listForms } from './forms/forms.ts';
import { flowStartForm, listFlowForms } from './forms/flowForms.ts';
import { recordStartOptions } from './forms/recordStarts.ts';
import type { MessageLocale } from './forms/messages.ts';
import { jobBacklog } from './jobs/health.ts';
import { migrationDrift } from './consistency/migrationDrift.ts';
import { databaseSettingWarnings } from './consistency/databaseSettings.ts';
import { createJobExecutor, type JobExecutorOptions } from './jobs/executor.ts';
import { executeJobNow, type JobRunSettings } from './jobs/runJob.ts';
import { readMessageTemplate } from './notifications/templates.ts';
import { printRecord, readPrintTemplate } from './printing/print.ts';
import { readRouting } from './routing/rules.ts';
import { departmentQueue } from './routing/tickets.ts';

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
  // Features register with the core's extension points once per process (engine/features.ts).
  installFeatures();
  const deps: CommandDeps & { validateTaskData?: TaskDataValidator } = {
    db: options.db,
    events: options.events,
    clock: options.clock ?? (() => new Date()),
    validateTaskData: options.validateTaskData,
  };
  const { db } = options;

  /** The task if `user` may work on it: 404 when there is none, 403 when it is someone else's. */
  async function taskFor(user: AuthUser, id: string): Promise<TaskRow> {
    const task = await findTask(db, id);
    if (!task) throw new NotFoundError(`Task ${id} does not exist`);
    if (!mayWorkOn(task, user)) throw new ForbiddenError(`Task ${task.id} is not assigned to you`);
    return task;
  }

  return {
    deps,

    // ---- commands: one file each in engine/commands/, all through runCommand -------------
    deploy: (xml: string, deployedBy: string | null = null) => deployDefinition(deps, xml, deployedBy),
    startInstance: (input: StartInstanceInput) => startInstance(deps, input),
    /** A form-bound process starts as a submission of its form; null when the latest version is bound to none. */
    startInstanceForUser: (input: UserStartInput) => startInstanceForUser(deps, input),
    completeTask: (input: CompleteTaskInput) => completeTask(deps, input),
    claimTask: (input: { taskId: string; actor: AuthUser }) => claimTask(deps, input),
    transferTask: (input: TaskActionInput & { to: string }) => transferTask(deps, input),
    returnTask: (input: TaskActionInput & { toElementId: string }) => returnTask(deps, input),
    /** 加签: `before` holds the caller's task until the added user approves; `after` approves and adds. */
    addSigner: (input: AddSignerInput) => addSigner(deps, input),
    withdrawInstance: (input: { instanceId: string; actor: AuthUser; comment?: string | null }) => withdrawInstance(deps, input),
    /** Moves running instances of one version to a later one where their waits still exist (engine/packages/migrate/). */
    migrateInstances: (input: MigrateInstancesInput) => migrateInstances(deps, input),
    /** With `caller` (from outside) the model's liuzhuan:access / liuzhuan:variables apply (commands/shared/eventAccess.ts). */
    correlateMessage: (input: MessageInput) => correlateMessage(deps, input),
    broadcastSignal: (input: SignalInput) => broadcastSignal(deps, input),
    /** Runs a job now (admin), through the executor's code path and failure policy. */
    executeJob: (jobId: string, settings?: Partial<JobRunSettings>) => executeJobNow(deps, jobId, settings),
    /** Gives the incident's job `retries` new attempts, due now; resolves the incident. */
    retryIncident: (incidentId: string, retries?: number) => retryIncident(deps, incidentId, retries),
    submitFlowForm: (input: FlowSubmission) => submitFlowForm(deps, input),
    /** A process that starts from records of a form, started from one (business key = the record). */
    startFromRecord: (input: StartFromRecordInput) => startFromRecord(deps, input),
    createRecord: (input: CreateRecordInput) => createRecord(deps, input),
    updateRecord: (input: UpdateRecordInput) => updateRecord(deps, input),
    deleteRecord: (input: { formKey: string; id: string; user: AuthUser }) => deleteRecord(deps, input),
    /** Recomputes the app's customer tiers (ABC, RFM) and writes them through updateRecord, attributed to `actor`. */
    /** Public links (外链): the public page, its answer, a form's published links (engine/publicLinks/). */
    publicLinks: publicLinkApi(deps),
    /** Data permissions (权限组), roles, the caller's rights and the CSV export (engine/access/). */
    access: accessApi(db),
    /** Personal data: unmask, the data subject's search/export/erase, retention, the audit log (engine/privacy/, engine/audit/). */
    privacy: privacyApi(db, deps.clock),
    /** Dashboards, chart queries and the process heat map (engine/analytics/). */
    analytics: analyticsApi(db, deps.clock),
    /** Record imports from .xlsx/.csv and the .xlsx export (engine/imports/). */
    imports: importsApi(deps),
    /** Outgoing webhook subscriptions with their delivery log, incoming hooks that start a flow (engine/webhooks/). */
    webhooks: webhookApi(deps),
    /** App packages: export an installed app, preview and import a package file (engine/packages/). */
    packages: packagesApi(deps),
    runTiering: async (input: { app: string; actor: AuthUser }) => {
      const source = tieringSourceOf(input.app);
      if (!source) throw new NotFoundError(`App "${input.app}" has no customer tiering`);
      return runTiering(deps, source, input.actor);
    },
    /** Whether the app has customer tiering (runTiering). */
    hasTiering: (app: string) => tieringSourceOf(app) !== undefined,
    ccInstance: (input: { user: AuthUser; instanceId: string; body: unknown }) => ccInstance(deps, input),
    markCcRead: (input: { user: AuthUser; id: string }) => markCcRead(deps, input),
    claimTicket: (input: { user: AuthUser; ticketId: string }) => claimTicket(deps, input),
    handBackTicket: (input: { user: AuthUser; ticketId: string }) => handBackTicket(deps, input),
    closeTicket: (input: { user: AuthUser; ticketId: string }) => closeTicket(deps, input),
    saveForm: (input: { body: unknown; locale: MessageLocale; createdBy: string | null }) => saveForm(deps, input),
    saveRouting: (input: SaveRoutingInput) => saveRouting(deps, input),
    createAutomation: (input: { body: unknown }) => createAutomation(deps, input),
    updateAutomation: (input: { id: string; body: unknown }) => updateAutomation(deps, input),
    deleteAutomation: (input: { id: string }) => deleteAutomation(deps, input),
    markNotificationRead: (input: { id: string; username: string }) => markNotificationRead(deps, input),
    markAllNotificationsRead: (input: { username: string }) => markAllNotificationsRead(deps, input),
    saveMessageTemplate: (input: { key: string; body: unknown }) => saveMessageTemplate(deps, input),
    savePrintTemplate: (input: { key: string; body: unknown }) => savePrintTemplate(deps, input),
    createUser: (input: { body: unknown; locale: MessageLocale }) => createUser(deps, input),
    changeUser: (input: { id: string; body: unknown; locale: MessageLocale }) => changeUser(deps, input),
    createDepartment: (input: { body: unknown; locale: MessageLocale }) => createDepartment(deps, input),
    changeDepartment: (input: { id: string; body: unknown; locale: MessageLocale }) => changeDepartment(deps, input),
    setDepartmentMembers: (input: { id: string; body: unknown; locale: MessageLocale }) => setDepartmentMembers(deps, input),
    /**
     * Sessions are identity bookkeeping, not engine state: no events, and the password check
     * must not hold a pooled connection in a transaction while it hashes (engine/identity/sessions.ts).
     */
    login: (body: unknown, locale: MessageLocale) => login(db, body, locale),
    logout: (token: string) => logout(db, token),

    // ---- queries ------------------------------------------------------------------------
    listDefinitions: (latestOnly = false) => listDefinitions(db, { latestOnly }),
    definitionXml: (id: string) => definitionXml(db, id),
    latestDefinition: (key: string) => latestDefinition(db, key),
    /** Which running instances of `fromVersion` can move to `toVersion`, and why the others cannot. */
    planInstanceMigration: (key: string, fromVersion: number, toVersion: number) => planInstanceMigration(db, key, fromVersion, toVersion),
    /** The task's form, data (hidden fields removed), field permissions and allowed actions. */
    taskForm: (task: TaskRow, viewer?: AuthUser) => taskForm(db, task, viewer),
    /** Progress of the approval node the task belongs to (null when it is not one, or decided). */
    taskApproval: (task: TaskRow) => taskApproval(db, task),
    /** Progress of every approval node running in the instance. */
    instanceApprovals: (instanceId: string) => instanceApprovals(db, instanceId),
    /** The instance's task actions in order (approve, reject, transfer, return, …). */
    taskActions: (instanceId: string) => listTaskActions(db, instanceId),
    findTask: (id: string) => findTask(db, id),
    queryTasks: (query: TaskQuery) => queryOpenTasks(db, query),
    /** Open tasks `user` could work on (admins: all). */
    tasksFor: async (user: AuthUser, query: TaskQuery) => (await queryOpenTasks(db, query)).filter((task) => mayWorkOn(task, user)),
    taskFor,
    history: (instanceId: string) => instanceHistory(db, instanceId),
    listIncidents: (query: { instanceId?: string; includeResolved?: boolean } = {}) => listIncidents(db, query),
    listJobs: (query: { instanceId?: string }) => listJobs(db, query),
    /** The due backlog and its lateness (health); also the database reachability probe. */
    jobBacklog: (now: Date) => jobBacklog(db, now),
    /** Applied migrations against this build's list (readiness). */
    migrationDrift: () => migrationDrift(db),
    /** PostgreSQL settings the engine runs badly without, as lines for the operator's log (a node's start). */
    databaseSettingWarnings: () => databaseSettingWarnings(db),
    /** A job executor over this engine's database, event bus and clock. */
    createJobExecutor: (options: Omit<JobExecutorOptions, 'db' | 'events' | 'clock'> = {}) =>
      createJobExecutor({ ...options, db, events: deps.events, clock: deps.clock }),
    /** Whether the user may read the instance: an admin or involved in it (engine/identity/instanceAccess.ts). */
    mayReadInstance: (user: AuthUser, instanceId: string) => mayReadInstance(db, user, instanceId),
    /** 404 unless the user may read the instance (an uninvolved reader learns nothing, not even that it exists). */
    assertMayReadInstance: (user: AuthUser, instanceId: string) => assertMayReadInstance(db, user, instanceId),
    /** Flow forms: the record an instance was started from, if any. */
    recordOfInstance: (instanceId: string) => recordOfInstance(db, instanceId),
    listInstances: (filter: InstanceListFilter) => listInstancePage(db, filter),
    listFlowForms: () => listFlowForms(db),
    flowStartForm: (formKey: string) => flowStartForm(db, formKey),
    /** The processes a record can start (404 when `user` may not read it). */
    recordStartOptions: async (user: AuthUser, formKey: string, recordId: string) => {
      await readRecord(db, formKey, recordId, user);
      return recordStartOptions(db, formKey, recordId);
    },
    listForms: () => listForms(db),
    getForm: (key: string, version?: unknown) => getForm(db, key, version),
    /** Records of a form; a non-admin `reader` sees flow records only of instances they may read. */
    listRecords: (formKey: string, params: Iterable<[string, string]>, reader?: AuthUser) => listRecordEntries(db, formKey, params, reader),
    /** One record; with a `reader`, a flow record of an instance they may not read is a 404. */
    readRecord: (formKey: string, id: string, reader?: AuthUser) => readRecord(db, formKey, id, reader),
    /** The record page's answer: the record, its process status, the reader's allowed actions, the form's print templates. */
    recordDetail: (formKey: string, id: string, reader: AuthUser) => recordDetail(db, formKey, id, reader),
    /** The record as HTML through a print template; with a `reader`, their print right and field visibility apply. */
    printRecord: (formKey: string, id: string, templateKey?: string, reader?: AuthUser) => printRecord(db, formKey, id, templateKey, reader),
    inboxCounts: (user: AuthUser) => inboxCounts(db, user),
    listInbox: (user: AuthUser, box: string, filter: BoxFilter & { sort?: string }, paging: Paging) => listInbox(db, user, box, filter, paging),
    /** 已办 / 我发起的 as .xlsx or CSV, streamed to `out` (engine/inbox/export.ts). */
    exportInbox: (user: AuthUser, box: string, filter: BoxFilter & { sort?: string }, settings: { format: TaskListFormat; timezoneOffset: number; ip?: string | null }, out: Writable, begin: (start: TaskExportStart) => void) =>
      exportInbox(db, user, box, filter, settings, out, begin),
    departmentQueue: (user: AuthUser, departmentId: string, status: string | undefined, paging: Paging) =>
      departmentQueue(db, user, departmentId, status, paging),
    readRouting: (formKey: string) => readRouting(db, formKey),
    listUsers: () => listUsers(db),
    listDepartments: () => listDepartments(db),
    listAutomations: () => listAutomations(db),
    /** 404 for a malformed or unknown id. */
    getAutomation: async (id: string) => {
      const found = UUID_PATTERN.test(id) ? await getAutomation(db, id) : undefined;
      if (!found) throw new NotFoundError(`No automation ${id}`);
      return found;
    },
    /** 404 for a malformed or unknown automation id. */
    listAutomationRuns: async (automationId: string) => {
      if (!UUID_PATTERN.test(automationId) || !(await getAutomation(db, automationId))) {
        throw new NotFoundError(`No automation ${automationId}`);
      }
      return listAutomationRuns(db, automationId);
    },
    listNotifications: (username: string, query: { limit: number; offset: number; unreadOnly: boolean }) =>
      listNotifications(db, username, query),
    listMessageTemplates: () => listMessageTemplates(db),
    readMessageTemplate: (key: string) => readMessageTemplate(db, key),
    listPrintTemplates: (formKey?: string) => listPrintTemplates(db, formKey),
    readPrintTemplate: (key: string) => readPrintTemplate(db, key),
    /** What the installed template apps' forms became (GET /api/apps). */
    appFormFacts: (formKeys: string[]) => appFormFacts(db, formKeys),
    appDefinitions: (formKeys: string[]) => appDefinitions(db, formKeys),

    async getInstance(id: string): Promise<InstanceView> {
      const row = await findInstance(db, id);
      if (!row) throw new NotFoundError(`Process instance ${id} does not exist`);
      const activeElementIds: string[] = [];
      for (const execution of row.state.executions) {
        if (execution.parentId !== null && !activeElementIds.includes(execution.elementId)) {
          activeElementIds.push(execution.elementId);
        }
      }
      const incidents = await openIncidentsOfInstance(db, id);
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
        incidents,
      };
    },
  };
}

export type Engine = ReturnType<typeof createEngine>;
