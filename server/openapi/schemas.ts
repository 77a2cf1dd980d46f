/**
 * Shared component schemas of the OpenAPI document: the error shape and the views the
 * engine answers with (engine/store/*.ts `…View` types). Fields the engine always sets are
 * `required`; objects stay open (`additionalProperties` allowed) so adding a field to a view
 * never makes the document lie.
 */
import { anyObject, arrayOf, bool, dateTime, int, nullable, obj, str, uuid, type Json } from './builders.ts';

const fieldPermissions: Json = {
  type: 'object',
  description: 'Field name → access at this node',
  additionalProperties: { enum: ['hidden', 'readonly', 'editable', 'required'] },
};

export const schemas: Record<string, Json> = {
  Error: obj(
    {
      error: obj(
        {
          code: str('Stable machine-readable code, e.g. `invalid_input`, `not_found`, `task_not_open`'),
          message: str("Human-readable message (zh-CN or en by the caller's locale)"),
          details: arrayOf(
            obj({ pointer: str('JSON pointer into the body (or the query parameter name)'), message: str() }, ['pointer', 'message']),
          ),
        },
        ['code', 'message'],
      ),
    },
    ['error'],
  ),
  AuthUser: obj(
    {
      id: uuid(),
      username: str(),
      displayName: str(),
      role: { enum: ['admin', 'staff'] },
      locale: str('zh-CN or en'),
      departmentIds: arrayOf(uuid()),
      groups: arrayOf(str(), 'Candidate groups: the role name and each department code'),
    },
    ['id', 'username', 'displayName', 'role', 'locale', 'departmentIds', 'groups'],
  ),
  User: obj(
    {
      id: uuid(),
      username: str(),
      displayName: str(),
      email: nullable(str()),
      role: { enum: ['admin', 'staff'] },
      locale: str(),
      active: bool(),
      departmentIds: arrayOf(uuid()),
      createdAt: dateTime(),
    },
    ['id', 'username', 'displayName', 'role', 'active', 'departmentIds'],
  ),
  Department: obj(
    {
      id: uuid(),
      code: str('Candidate-group name of its members'),
      name: str(),
      nameEn: nullable(str()),
      parentId: nullable(uuid()),
      headUserId: nullable(uuid('负责人')),
      memberIds: arrayOf(uuid()),
    },
    ['id', 'code', 'name', 'memberIds'],
  ),
  Form: obj(
    {
      key: str(),
      title: str(),
      version: int(),
      latestVersion: int(),
      schema: anyObject('JSON Schema of the data'),
      uiSchema: anyObject('rjsf uiSchema'),
      createdAt: dateTime(),
      createdBy: nullable(str()),
    },
    ['key', 'title', 'version', 'schema', 'uiSchema'],
  ),
  Record: obj(
    {
      id: uuid(),
      formKey: str(),
      formVersion: int(),
      data: anyObject(),
      instanceId: nullable(uuid('The process instance a flow form started')),
      createdAt: dateTime(),
      createdBy: nullable(str()),
      updatedAt: dateTime(),
      updatedBy: nullable(str()),
    },
    ['id', 'formKey', 'data', 'createdAt', 'createdBy'],
  ),
  FlowForm: obj(
    {
      formKey: str(),
      title: str(),
      definitionId: uuid(),
      definitionKey: str(),
      definitionName: nullable(str()),
      version: int('Definition version'),
    },
    ['formKey', 'definitionId', 'definitionKey'],
  ),
  Definition: obj({ id: uuid(), key: str('BPMN process id'), version: int(), name: nullable(str()), deployedAt: dateTime() }, [
    'id',
    'key',
    'version',
  ]),
  Instance: obj(
    {
      id: uuid(),
      definitionId: uuid(),
      definitionKey: str(),
      businessKey: nullable(str()),
      startedBy: nullable(str('Username; null for timer, message and signal starts')),
      status: { enum: ['active', 'completed', 'terminated', 'incident'] },
      variables: anyObject(),
      activeElementIds: arrayOf(str()),
      parentInstanceId: nullable(uuid()),
      startedAt: dateTime(),
      endedAt: nullable(dateTime()),
      incidents: arrayOf(obj({ id: uuid(), elementId: nullable(str()), message: str(), createdAt: dateTime() })),
    },
    ['id', 'definitionKey', 'status', 'variables', 'activeElementIds'],
  ),
  HistoryEntry: obj(
    {
      elementId: str(),
      elementType: str(),
      elementName: nullable(str()),
      executionId: str(),
      startedAt: dateTime(),
      endedAt: nullable(dateTime()),
      cancelled: bool(),
    },
    ['elementId', 'elementType', 'startedAt', 'endedAt'],
  ),
  Task: obj(
    {
      id: uuid(),
      instanceId: uuid(),
      elementId: str(),
      name: nullable(str()),
      formKey: nullable(str()),
      assignee: nullable(str()),
      candidateUsers: arrayOf(str()),
      candidateGroups: arrayOf(str()),
      priority: int(),
      dueAt: nullable(dateTime()),
      createdAt: dateTime(),
      status: str('open, held (a signer was added before the assignee), completed or cancelled'),
    },
    ['id', 'instanceId', 'elementId', 'name', 'formKey', 'assignee', 'candidateGroups', 'dueAt'],
  ),
  ApprovalProgress: obj(
    {
      elementId: str(),
      executionId: str('Present in the per-instance list'),
      mode: { enum: ['single', 'all', 'any', 'sequential'] },
      total: int('Signatures the node asks for'),
      approved: int(),
      rejected: int(),
      pending: arrayOf(str(), 'Usernames still to act, in order'),
      decided: arrayOf(
        obj({ username: str(), decision: { enum: ['approve', 'reject'] }, at: dateTime(), origin: { enum: ['rule', 'before', 'after'] } }),
      ),
      cancelled: arrayOf(str()),
    },
    ['elementId', 'mode', 'total', 'approved', 'rejected', 'pending'],
  ),
  FieldPermissions: fieldPermissions,
  TaskAction: obj(
    {
      seq: int(),
      taskId: uuid(),
      elementId: nullable(str()),
      action: str('complete, approve, reject, transfer, return, claim, addSigner, withdraw, submit, message, signal, record_update, record_delete, …'),
      actor: nullable(str()),
      comment: nullable(str()),
      details: anyObject(),
      createdAt: dateTime(),
    },
    ['seq', 'taskId', 'action'],
  ),
  Job: obj(
    {
      id: uuid(),
      type: str('e.g. timer, effect:email, automation:run'),
      instanceId: nullable(uuid()),
      elementId: nullable(str()),
      dueAt: dateTime(),
      retriesLeft: int(),
      attempts: int(),
      lastError: nullable(str()),
    },
    ['id', 'type', 'elementId', 'dueAt'],
  ),
  Incident: obj(
    {
      id: uuid(),
      instanceId: uuid(),
      jobId: nullable(uuid()),
      elementId: nullable(str()),
      message: str(),
      createdAt: dateTime(),
      resolvedAt: nullable(dateTime()),
    },
    ['id', 'instanceId', 'message', 'createdAt'],
  ),
  InboxItem: {
    ...obj(
      {
        id: uuid('The task id (todo, done), the instance id (started), the CC entry id (cc)'),
        taskId: nullable(uuid()),
        name: nullable(str()),
        instanceId: uuid(),
        definitionKey: str(),
        businessKey: nullable(str()),
        createdAt: dateTime(),
        endedAt: nullable(dateTime()),
        assignee: nullable(str()),
      },
      ['id', 'instanceId', 'definitionKey', 'createdAt'],
    ),
    description: 'Box-specific extras: elementId, dueAt (todo, done); status (started); from, comment, readAt (cc)',
  },
  Ticket: obj(
    {
      id: uuid(),
      formKey: str(),
      recordId: uuid(),
      departmentId: uuid(),
      ruleId: nullable(uuid('The rule that matched; null for the default department')),
      status: { enum: ['queued', 'claimed', 'closed'] },
      claimedBy: nullable(str()),
      routedAt: dateTime(),
      claimedAt: nullable(dateTime()),
      closedAt: nullable(dateTime()),
    },
    ['id', 'formKey', 'recordId', 'departmentId', 'status'],
  ),
  Routing: obj(
    {
      defaultDepartmentId: nullable(uuid()),
      rules: arrayOf(
        obj({ id: uuid(), position: int(), name: str(), condition: str('FEEL'), departmentId: uuid(), enabled: bool() }, [
          'id',
          'name',
          'condition',
          'departmentId',
          'enabled',
        ]),
      ),
    },
    ['defaultDepartmentId', 'rules'],
  ),
  Automation: obj(
    {
      id: uuid(),
      name: str(),
      trigger: { enum: ['record.created', 'record.updated', 'process.finished'] },
      formKey: nullable(str()),
      definitionKey: nullable(str()),
      filter: nullable(str('FEEL condition')),
      actions: arrayOf(anyObject()),
      enabled: bool(),
      createdAt: dateTime(),
      updatedAt: dateTime(),
    },
    ['id', 'name', 'trigger', 'actions', 'enabled'],
  ),
  AutomationRun: obj(
    {
      id: uuid(),
      automationId: uuid(),
      jobId: nullable(uuid()),
      trigger: str(),
      recordId: nullable(uuid()),
      status: { enum: ['done', 'failed', 'loop_stopped'] },
      chain: arrayOf(str()),
      error: nullable(str()),
      createdAt: dateTime(),
    },
    ['id', 'automationId', 'status'],
  ),
  Notification: obj(
    { id: uuid(), username: str(), title: str(), body: str(), link: nullable(str()), createdAt: dateTime(), readAt: nullable(dateTime()) },
    ['id', 'username', 'title', 'body', 'createdAt', 'readAt'],
  ),
  MessageTemplate: obj(
    {
      key: str(),
      channel: { enum: ['inApp', 'email', 'chatRobot'] },
      subject: str('Handlebars'),
      body: str('Handlebars'),
      config: { type: 'object', additionalProperties: { type: 'string' } },
      updatedAt: dateTime(),
    },
    ['key', 'channel', 'subject', 'body'],
  ),
  PrintTemplate: obj({ key: str(), formKey: str(), title: str(), body: str('Handlebars HTML'), updatedAt: dateTime() }, [
    'key',
    'formKey',
    'title',
    'body',
  ]),
  Variables: anyObject('Process variables by name'),
};
