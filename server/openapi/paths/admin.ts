/** Automations (智能助手), in-app notifications and message templates. */
import { anyObject, arrayOf, bool, int, obj, operation, pathParam, queryParam, ref, str, type Json, type Paths } from '../builders.ts';

const automationId = pathParam('id', 'Automation id', { type: 'string', format: 'uuid' });
const templateKey = pathParam('key', 'Template key (letters, digits, _ . -)', { type: 'string', pattern: '^[a-z0-9][a-z0-9_.-]{0,99}$' });

const action: Json = {
  ...anyObject(
    'One of: {type: createRecord, formKey, data: {field: FEEL}} | {type: updateRecord, formKey, match?, set} (no match: the record the run is for) | ' +
      '{type: startProcess, definitionKey, variables?, businessKey?: FEEL} | {type: webhook, url, secret?} | {type: notify, template, to: [username | =FEEL]} | ' +
      '{type: correlateMessage, messageName, correlationKey?: FEEL, variables?} (ends the wait of the instance waiting for it; nothing waiting is no change)',
  ),
  required: ['type'],
  properties: { type: { enum: ['createRecord', 'updateRecord', 'startProcess', 'webhook', 'notify', 'correlateMessage'] } },
};
const automationBody: Json = obj(
  {
    name: str(undefined, { minLength: 1 }),
    trigger: { enum: ['record.created', 'record.updated', 'process.finished', 'schedule'] },
    formKey: str('For record triggers and schedule (the form whose records each tick runs for)'),
    definitionKey: str('For process.finished'),
    schedule: ref('AutomationSchedule'),
    filter: str('FEEL condition; runs only when true (schedule: per record, over its fields)'),
    actions: { ...arrayOf(action), minItems: 1 },
    enabled: bool(),
  },
  ['name', 'trigger', 'actions'],
);

export const adminPaths: Paths = {
  '/api/automations': {
    get: operation({
      operationId: 'listAutomations',
      tag: 'automations',
      summary: 'Automations',
      summaryZh: '智能助手列表',
      admin: true,
      response: arrayOf(ref('Automation')),
    }),
    post: operation({
      operationId: 'createAutomation',
      tag: 'automations',
      summary: 'Create an automation (every FEEL expression checked)',
      summaryZh: '新建智能助手',
      admin: true,
      body: automationBody,
      status: 201,
      response: ref('Automation'),
    }),
  },
  '/api/automations/{id}': {
    get: operation({
      operationId: 'getAutomation',
      tag: 'automations',
      summary: 'One automation',
      summaryZh: '智能助手详情',
      admin: true,
      parameters: [automationId],
      response: ref('Automation'),
      errors: [404],
    }),
    put: operation({
      operationId: 'updateAutomation',
      tag: 'automations',
      summary: 'Replace an automation',
      summaryZh: '修改智能助手',
      admin: true,
      parameters: [automationId],
      body: automationBody,
      response: ref('Automation'),
      errors: [404],
    }),
    delete: operation({
      operationId: 'deleteAutomation',
      tag: 'automations',
      summary: 'Delete an automation',
      summaryZh: '删除智能助手',
      admin: true,
      parameters: [automationId],
      errors: [404],
    }),
  },
  '/api/automations/{id}/runs': {
    get: operation({
      operationId: 'listAutomationRuns',
      tag: 'automations',
      summary: 'Runs of an automation',
      summaryZh: '执行记录',
      admin: true,
      parameters: [automationId],
      response: arrayOf(ref('AutomationRun')),
      errors: [404],
    }),
  },
  '/api/notifications': {
    get: operation({
      operationId: 'listNotifications',
      tag: 'notifications',
      summary: "The caller's in-app notifications, newest first",
      summaryZh: '站内消息',
      parameters: [
        queryParam('limit', 'At most this many (1–100)', { type: 'integer', minimum: 1, maximum: 100, default: 20 }),
        queryParam('offset', 'Skip this many (at most 1,000,000)', { type: 'integer', minimum: 0, maximum: 1000000, default: 0 }),
        queryParam('unread', '"true": unread only', { enum: ['true', 'false'] }),
      ],
      response: obj({ items: arrayOf(ref('Notification')), total: int(), unread: int('Unread notifications of the caller (the bell\'s count)') }, ['items', 'total', 'unread']),
      errors: [422],
    }),
  },
  '/api/notifications/read-all': {
    post: operation({
      operationId: 'readAllNotifications',
      tag: 'notifications',
      summary: "Mark every notification of the caller read",
      summaryZh: '全部已读',
      response: obj({ marked: int('How many were unread'), unread: int('Always 0') }, ['marked', 'unread']),
    }),
  },
  '/api/notifications/{id}/read': {
    post: operation({
      operationId: 'readNotification',
      tag: 'notifications',
      summary: "Mark one of the caller's notifications read",
      summaryZh: '消息已读',
      parameters: [pathParam('id', 'Notification id', { type: 'string', format: 'uuid' })],
      response: ref('Notification'),
      errors: [404],
    }),
  },
  '/api/templates/messages': {
    get: operation({
      operationId: 'listMessageTemplates',
      tag: 'notifications',
      summary: 'Message templates',
      summaryZh: '消息模板列表',
      admin: true,
      response: arrayOf(ref('MessageTemplate')),
    }),
  },
  '/api/templates/messages/{key}': {
    get: operation({
      operationId: 'getMessageTemplate',
      tag: 'notifications',
      summary: 'One message template',
      summaryZh: '消息模板',
      admin: true,
      parameters: [templateKey],
      response: ref('MessageTemplate'),
      errors: [404],
    }),
    put: operation({
      operationId: 'saveMessageTemplate',
      tag: 'notifications',
      summary: 'Create or replace a message template (Handlebars)',
      summaryZh: '保存消息模板',
      admin: true,
      parameters: [templateKey],
      body: obj(
        {
          channel: { enum: ['inApp', 'email', 'chatRobot'] },
          subject: str(),
          body: str(undefined, { minLength: 1 }),
          config: { type: 'object', additionalProperties: { type: 'string' }, description: 'Channel settings, e.g. robot URL' },
        },
        ['channel', 'body'],
      ),
      response: ref('MessageTemplate'),
    }),
  },
};
