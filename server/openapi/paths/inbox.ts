/** The caller's inbox and CC; auto-routing rules, department queues and their tickets. */
import {
  anyObject,
  arrayOf,
  bool,
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

const ticketAction = (name: string, summary: string, summaryZh: string): Json =>
  operation({
    operationId: `${name}Ticket`,
    tag: 'routing',
    summary,
    summaryZh,
    description:
      "Members of the ticket's department (and admins); a lost race answers 409. A ticket linked to its process " +
      '(taskId) acts through its task: claiming claims the task, handing back offers it to the candidates again; ' +
      'it cannot be closed by hand while the process runs (409 ticket_follows_process).',
    parameters: [pathParam('id', 'Ticket id', { type: 'string', format: 'uuid' })],
    response: ref('Ticket'),
    errors: [403, 404, 409],
  });

export const inboxPaths: Paths = {
  '/api/inbox/counts': {
    get: operation({
      operationId: 'inboxCounts',
      tag: 'inbox',
      summary: "Badge counts of the caller's boxes (cc: unread only)",
      summaryZh: '待办数量',
      response: obj({ todo: int(), done: int(), started: int(), cc: int() }, ['todo', 'done', 'started', 'cc']),
    }),
  },
  '/api/inbox/{box}': {
    get: operation({
      operationId: 'listInbox',
      tag: 'inbox',
      summary: "One of the caller's boxes: todo (待办), done (已办), started (我发起的), cc (抄送我的)",
      summaryZh: '我的待办/已办/发起/抄送',
      parameters: [
        pathParam('box', 'Box name', { enum: ['todo', 'done', 'started', 'cc'] }),
        queryParam('definitionKey', 'Only items of this process'),
        queryParam('q', 'Text search'),
        queryParam('taskId', 'Only this task (todo, done, cc)', { type: 'string', format: 'uuid' }),
        queryParam('sort', 'createdAt (default order of the box otherwise) or dueAt (todo, done; tasks without a deadline last); "-" first for descending', {
          enum: ['createdAt', '-createdAt', 'dueAt', '-dueAt'],
        }),
        ...pagingParams,
      ],
      response: page(ref('InboxItem')),
      errors: [404, 422],
    }),
  },
  '/api/inbox/{box}/export': {
    get: operation({
      operationId: 'exportInbox',
      tag: 'inbox',
      summary: "The caller's done (已办) or started (我发起的) list as .xlsx (default) or CSV, streamed: the rows the list shows, with its filters and order",
      summaryZh: '导出已办/我发起的',
      description:
        'Headers and statuses in the caller\'s language; at most 50,000 rows (`X-Export-Truncated: true` when more matched). Columns: done — process, task, process status, arrived, done at, started by, assignee, business key, summary; started — process, status, started, ended, business key, summary. Every export is an audit row (`task.export`).',
      parameters: [
        pathParam('box', 'Box name', { enum: ['done', 'started'] }),
        queryParam('definitionKey', 'Only items of this process'),
        queryParam('q', 'Text search'),
        queryParam('sort', 'As the list', { enum: ['createdAt', '-createdAt', 'dueAt', '-dueAt'] }),
        queryParam('format', 'xlsx (default) or csv', { enum: ['xlsx', 'csv'] }),
        queryParam('timezoneOffset', "The browser's getTimezoneOffset() (minutes): times are written as its wall clock", { type: 'integer', minimum: -840, maximum: 840 }),
      ],
      contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      response: { type: 'string', format: 'binary' },
      errors: [422],
    }),
  },
  '/api/inbox/cc/{id}/read': {
    post: operation({
      operationId: 'readCc',
      tag: 'inbox',
      summary: 'Mark a CC entry of the caller read',
      summaryZh: '抄送已读',
      parameters: [pathParam('id', 'CC entry id', { type: 'string', format: 'uuid' })],
      response: obj({ id: uuid(), readAt: dateTime() }, ['id', 'readAt']),
      errors: [404],
    }),
  },
  '/api/instances/{id}/cc': {
    post: operation({
      operationId: 'ccInstance',
      tag: 'inbox',
      summary: 'CC (抄送) an instance to users; for those involved in it',
      summaryZh: '抄送',
      parameters: [pathParam('id', 'Process instance id', { type: 'string', format: 'uuid' })],
      body: obj(
        {
          usernames: { ...arrayOf(str(undefined, { minLength: 1 })), minItems: 1, maxItems: 50 },
          comment: nullable(str()),
          taskId: nullable(uuid('A task of this instance the CC is about')),
        },
        ['usernames'],
      ),
      status: 201,
      response: obj({ items: arrayOf(obj({ id: uuid(), username: str() }, ['id', 'username'])) }, ['items']),
      errors: [403, 404],
    }),
  },
  '/api/routing/{formKey}': {
    get: operation({
      operationId: 'getRouting',
      tag: 'routing',
      summary: "A form's auto-routing rules (自动分派)",
      summaryZh: '分派规则',
      admin: true,
      parameters: [pathParam('formKey', 'Form key')],
      response: ref('Routing'),
      errors: [404],
    }),
    put: operation({
      operationId: 'saveRouting',
      tag: 'routing',
      summary: "Replace a form's ordered routing rules; FEEL conditions are checked",
      summaryZh: '保存分派规则',
      description:
        "Each condition must parse and fit the form: a name that is not a field of the form, or a select/radio field compared with a value it cannot hold (e.g. an option's label instead of its stored value), is refused with 422 `invalid_condition` at `/rules/<i>/condition`, listing the values the field can hold with their labels. Messages follow Accept-Language (zh-CN or en).",
      admin: true,
      parameters: [pathParam('formKey', 'Form key')],
      body: obj(
        {
          defaultDepartmentId: uuid('Where records no rule matches go'),
          rules: arrayOf(
            obj(
              {
                id: uuid('Send back to keep the rule id'),
                name: str(),
                condition: str('FEEL over the record data'),
                departmentId: uuid(),
                enabled: bool(),
              },
              ['condition', 'departmentId'],
            ),
          ),
        },
        ['defaultDepartmentId', 'rules'],
      ),
      response: ref('Routing'),
      errors: [404],
    }),
  },
  '/api/departments/{id}/queue': {
    get: operation({
      operationId: 'departmentQueue',
      tag: 'routing',
      summary: "A department's queue of routed tickets, oldest first (members and admins)",
      summaryZh: '部门队列',
      parameters: [
        pathParam('id', 'Department id', { type: 'string', format: 'uuid' }),
        queryParam('status', 'queued, claimed or closed (default: queued and claimed)', { enum: ['queued', 'claimed', 'closed'] }),
        ...pagingParams,
      ],
      response: page({
        allOf: [ref('Ticket'), obj({ record: obj({ data: anyObject(), createdAt: dateTime(), createdBy: nullable(str()) }, ['data', 'createdAt', 'createdBy']) }, ['record'])],
      }),
      errors: [403, 404, 422],
    }),
  },
  '/api/tickets/{id}/claim': { post: ticketAction('claim', 'Claim a queued ticket', '认领') },
  '/api/tickets/{id}/hand-back': { post: ticketAction('handBack', 'Hand a claimed ticket back to the queue', '退回队列') },
  '/api/tickets/{id}/close': { post: ticketAction('close', 'Close a ticket', '关闭工单') },
};
