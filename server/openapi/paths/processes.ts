/** Process definitions and instances; messages and signals; jobs and incidents. */
import {
  arrayOf,
  dateTime,
  int,
  nullable,
  obj,
  operation,
  page,
  pagingParams,
  pathParam,
  queryParam,
  ref,
  str,
  uuid,
  type Json,
  type Paths,
} from '../builders.ts';

const instanceId = pathParam('id', 'Process instance id', { type: 'string', format: 'uuid' });
const comment: Json = str('Shown in the action log');
const READERS = "Admins and those involved in the instance (started it, worked on one of its tasks, CC'd, its ticket's department, a head of an involved department); anyone else gets 404 as if it did not exist.";
const EVENT_ACCESS =
  "Who may send it is set on the model's `<message>`/`<signal>`: `liuzhuan:access` `admin` (default; others 403), `involved` (those who may read the target instance) or `public`; `liuzhuan:variables=\"a,b\"` lists the only variables it may carry (without it, only admins may send variables; others 422 `variables_not_allowed`). Each delivery is logged in the instance's action log with the caller. A process bound to a form cannot be started this way (422 `form_required`).";

export const processPaths: Paths = {
  '/api/definitions': {
    get: operation({
      operationId: 'listDefinitions',
      tag: 'definitions',
      summary: 'Deployed process definitions, newest version first per key',
      summaryZh: '流程定义列表',
      parameters: [queryParam('latest', '"true": only the latest version of each key', { enum: ['true', 'false'] })],
      // Stored definitions always have their deploy time (a deploy's own answer does not).
      response: arrayOf({ allOf: [ref('Definition'), obj({ deployedAt: dateTime() }, ['deployedAt'])] }),
      errors: [422],
    }),
    post: operation({
      operationId: 'deployDefinition',
      tag: 'definitions',
      summary: 'Deploy BPMN 2.0 XML (Camunda/Zeebe extensions); each process gets its next version',
      summaryZh: '部署流程',
      admin: true,
      body: obj({ xml: str('BPMN 2.0 XML', { minLength: 1 }) }, ['xml']),
      status: 201,
      response: {
        allOf: [
          ref('Definition'),
          obj(
            {
              definitions: arrayOf(obj({ id: uuid(), key: str(), version: int(), name: nullable(str()) }), 'Every process of the file'),
              warnings: arrayOf(
                obj(
                  {
                    elementId: str(),
                    line: int(),
                    column: int(),
                    message: str(),
                    code: str('Stable machine code where the check gives one, e.g. `routed_department_form_not_routed`'),
                    params: { type: 'object', description: 'The values the words of `code` need (node, form)', additionalProperties: { type: ['string', 'number'] } },
                  },
                  ['message'],
                ),
              ),
            },
            ['definitions', 'warnings'],
          ),
        ],
      },
    }),
  },
  '/api/definitions/{id}/xml': {
    get: operation({
      operationId: 'getDefinitionXml',
      tag: 'definitions',
      summary: 'The deployed BPMN XML of one definition version',
      summaryZh: '流程定义 XML',
      parameters: [pathParam('id', 'Definition id')],
      contentType: 'application/xml',
      response: { type: 'string' },
      errors: [404],
    }),
  },
  '/api/definitions/{key}/latest': {
    get: operation({
      operationId: 'getLatestDefinition',
      tag: 'definitions',
      summary: 'Latest version of a process with its XML and bound form',
      summaryZh: '最新流程定义',
      parameters: [pathParam('key', 'Process key (BPMN process id)')],
      response: { allOf: [ref('Definition'), obj({ deployedAt: dateTime(), formKey: nullable(str()), xml: str() }, ['deployedAt', 'formKey', 'xml'])] },
      errors: [404],
    }),
  },
  '/api/instances': {
    get: operation({
      operationId: 'listInstances',
      tag: 'instances',
      summary: 'Monitoring list of process instances',
      summaryZh: '流程实例列表',
      admin: true,
      parameters: [
        queryParam('status', 'Only this status', { enum: ['active', 'completed', 'terminated', 'incident'] }),
        queryParam('definitionKey', 'Only instances of this process'),
        ...pagingParams,
      ],
      response: page(
        obj(
          {
            id: uuid(),
            definitionKey: str(),
            definitionName: nullable(str()),
            definitionVersion: int(),
            status: { enum: ['active', 'completed', 'terminated', 'incident'] },
            businessKey: nullable(str()),
            startedBy: nullable(str()),
            startedAt: dateTime(),
            endedAt: nullable(dateTime()),
            parentInstanceId: nullable(uuid()),
          },
          [
            'id',
            'definitionKey',
            'definitionName',
            'definitionVersion',
            'status',
            'businessKey',
            'startedBy',
            'startedAt',
            'endedAt',
            'parentInstanceId',
          ],
        ),
        { page: int(), pageSize: int() },
      ),
      errors: [422],
    }),
    post: operation({
      operationId: 'startInstance',
      tag: 'instances',
      summary: 'Start an instance of the latest version of a process',
      summaryZh: '发起流程',
      description:
        'A process bound to a form (流程表单) starts as a submission of that form: `variables` are the form data, checked like `POST /api/forms/{key}/submit` (422 with pointers under `/variables`), and the record is created; `businessKey` must then be absent (the record id is the business key).',
      body: obj({ definitionKey: str(undefined, { minLength: 1 }), variables: ref('Variables'), businessKey: nullable(str()) }, [
        'definitionKey',
      ]),
      status: 201,
      response: obj(
        {
          id: uuid(),
          status: str(),
          recordId: uuid('Only for a process bound to a form: the record created'),
          nextTasks: arrayOf(ref('Task'), 'The tasks the start opened that the starter may work on (the first 100)'),
          nextTasksTotal: int('How many tasks the start opened for the starter; past 100, GET /api/tasks?instanceId= pages them', { minimum: 0 }),
        },
        ['id', 'status', 'nextTasks', 'nextTasksTotal'],
      ),
      errors: [404, 409, 422],
    }),
  },
  '/api/instances/{id}': {
    get: operation({
      operationId: 'getInstance',
      tag: 'instances',
      description: READERS,
      summary: 'One process instance: status, variables, active elements',
      summaryZh: '流程实例详情',
      parameters: [instanceId],
      response: { allOf: [ref('Instance'), obj({ record: nullable(obj({ id: uuid(), formKey: str() })) }, ['record'])] },
      errors: [404],
    }),
  },
  '/api/instances/{id}/diagram': {
    get: operation({
      operationId: 'getInstanceDiagram',
      tag: 'instances',
      description: READERS,
      summary: 'The diagram with the active and completed elements',
      summaryZh: '流程进度图',
      parameters: [instanceId],
      response: obj({ definitionId: uuid(), xml: nullable(str()), activeElementIds: arrayOf(str()), completedElementIds: arrayOf(str()) }, [
        'definitionId',
        'xml',
        'activeElementIds',
        'completedElementIds',
      ]),
      errors: [404],
    }),
  },
  '/api/instances/{id}/history': {
    get: operation({
      operationId: 'getInstanceHistory',
      tag: 'instances',
      description: READERS,
      summary: 'Elements the instance entered, in order',
      summaryZh: '流转历史',
      parameters: [instanceId],
      response: arrayOf(ref('HistoryEntry')),
      errors: [404],
    }),
  },
  '/api/instances/{id}/withdraw': {
    post: operation({
      operationId: 'withdrawInstance',
      tag: 'instances',
      summary: 'Withdraw (撤回) an instance the caller started',
      summaryZh: '撤回',
      parameters: [instanceId],
      body: obj({ comment }),
      bodyRequired: false,
      response: ref('Instance'),
      errors: [403, 404, 409],
    }),
  },
  '/api/instances/{id}/approvals': {
    get: operation({
      operationId: 'getInstanceApprovals',
      tag: 'instances',
      description: READERS,
      summary: 'Progress of each running approval node ("2 of 3 approved")',
      summaryZh: '审批进度',
      parameters: [instanceId],
      response: arrayOf(ref('ApprovalProgress')),
      errors: [404],
    }),
  },
  '/api/instances/{id}/actions': {
    get: operation({
      operationId: 'getInstanceActions',
      tag: 'instances',
      description: READERS,
      summary: 'Task action log of the instance (approve, transfer, return, …)',
      summaryZh: '审批记录',
      parameters: [instanceId],
      response: arrayOf(ref('TaskAction')),
      errors: [404],
    }),
  },
  '/api/messages': {
    post: operation({
      operationId: 'correlateMessage',
      tag: 'instances',
      summary: 'Correlate a message to a waiting instance, or start one by message start event',
      summaryZh: '发送消息',
      description: EVENT_ACCESS,
      body: obj(
        {
          messageName: str(undefined, { minLength: 1 }),
          correlationKey: str("Matches the businessKey or the subscription's correlationKey expression"),
          variables: ref('Variables'),
        },
        ['messageName'],
      ),
      response: obj({ instanceId: uuid(), started: { type: 'boolean', description: 'true when a new instance was started' } }, [
        'instanceId',
        'started',
      ]),
      errors: [403, 404, 409, 422],
    }),
  },
  '/api/signals': {
    post: operation({
      operationId: 'broadcastSignal',
      tag: 'instances',
      summary: 'Broadcast a signal to every waiting instance and signal start event',
      summaryZh: '广播信号',
      description: `${EVENT_ACCESS} A signal is delivered to all it reaches or to none.`,
      body: obj({ signalName: str(undefined, { minLength: 1 }), variables: ref('Variables') }, ['signalName']),
      response: obj({ delivered: int('Subscriptions reached') }, ['delivered']),
      errors: [403, 422],
    }),
  },
  '/api/jobs': {
    get: operation({
      operationId: 'listJobs',
      tag: 'jobs',
      summary: 'Pending jobs (timers, outside effects)',
      summaryZh: '作业列表',
      admin: true,
      parameters: [queryParam('instanceId', 'Only jobs of this instance', { type: 'string', format: 'uuid' })],
      response: arrayOf(ref('Job')),
      errors: [422],
    }),
  },
  '/api/jobs/{id}/execute': {
    post: operation({
      operationId: 'executeJob',
      tag: 'jobs',
      summary: 'Run a job now (e.g. fire a timer)',
      summaryZh: '立即执行作业',
      admin: true,
      parameters: [pathParam('id', 'Job id', { type: 'string', format: 'uuid' })],
      response: obj(
        {
          status: { enum: ['executed', 'retry', 'incident', 'skipped'] },
          jobId: uuid(),
          instanceId: nullable(uuid()),
          attempts: int(),
          retriesLeft: int(),
          dueAt: dateTime(),
          message: str(),
          incidentId: nullable(uuid()),
          reason: str(),
        },
        ['status'],
      ),
      errors: [404, 409],
    }),
  },
  '/api/incidents': {
    get: operation({
      operationId: 'listIncidents',
      tag: 'jobs',
      summary: 'Open incidents (jobs that ran out of retries), newest first',
      summaryZh: '异常列表',
      admin: true,
      parameters: [
        queryParam('instanceId', 'Only incidents of this instance', { type: 'string', format: 'uuid' }),
        queryParam('includeResolved', '"true": resolved ones too', { enum: ['true', 'false'] }),
      ],
      response: arrayOf(ref('Incident')),
      errors: [404, 422],
    }),
  },
  '/api/incidents/{id}/retry': {
    post: operation({
      operationId: 'retryIncident',
      tag: 'jobs',
      summary: "Give the incident's job new attempts, due now, and resolve the incident",
      summaryZh: '重试异常',
      admin: true,
      parameters: [pathParam('id', 'Incident id', { type: 'string', format: 'uuid' })],
      body: obj({ retries: int('New attempts (default 1)', { minimum: 1, maximum: 100 }) }),
      bodyRequired: false,
      response: obj({ incidentId: uuid(), jobId: nullable(uuid()), instanceId: uuid(), status: str() }, [
        'incidentId',
        'instanceId',
        'status',
      ]),
      errors: [404, 409],
    }),
  },
};
