/** User tasks: query, read with its form, and the actions on them. Two callers acting at once: one wins, the other gets 409. */
import {
  anyObject,
  arrayOf,
  int,
  nullable,
  obj,
  operation,
  pathParam,
  queryParam,
  ref,
  str,
  uuid,
  type Json,
  type OperationSpec,
  type Paths,
} from '../builders.ts';

const taskId = pathParam('id', 'Task id', { type: 'string', format: 'uuid' });
const comment: Json = str('Shown in the action log', { maxLength: 2000 });
const taskWithApproval: Json = { allOf: [ref('Task'), obj({ approval: nullable(ref('ApprovalProgress')) }, ['approval'])] };
const nextTasks: Json = arrayOf(ref('Task'), 'The tasks this command opened that the caller may work on: what is next for them, without asking for the task list again (the first 100)');
const nextTasksTotal: Json = int('How many tasks this command opened for the caller; past 100, GET /api/tasks?instanceId= pages them', { minimum: 0 });
const completed: Json = obj({ id: uuid(), instanceId: uuid(), status: { const: 'completed' }, nextTasks, nextTasksTotal }, ['id', 'instanceId', 'status', 'nextTasks', 'nextTasksTotal']);

/** complete / approve / reject share the body; approve and reject fix the decision. */
function completion(operationId: string, summary: string, summaryZh: string, withDecision: boolean): Json {
  const spec: OperationSpec = {
    operationId,
    tag: 'tasks',
    summary,
    summaryZh,
    description: "Variables are validated against the node's form and field permissions; 422 lists each error with its JSON pointer.",
    parameters: [taskId],
    body: obj({
      variables: ref('Variables'),
      comment,
      ...(withDecision ? { decision: { enum: ['approve', 'reject'] } } : {}),
    }),
    bodyRequired: false,
    response: completed,
    errors: [403, 404, 409],
  };
  return operation(spec);
}

export const taskPaths: Paths = {
  '/api/tasks': {
    get: operation({
      operationId: 'queryTasks',
      tag: 'tasks',
      summary: 'Open tasks the caller may work on (admins: all)',
      summaryZh: '任务查询',
      parameters: [
        queryParam('instanceId', 'Only tasks of this instance'),
        queryParam('assignee', 'Only tasks assigned to this username'),
        queryParam('candidateGroup', 'Only tasks offered to this group'),
        queryParam('candidateUser', 'Only tasks offered to this username'),
      ],
      response: arrayOf(ref('Task')),
      errors: [422],
    }),
  },
  '/api/tasks/{id}': {
    get: operation({
      operationId: 'getTask',
      tag: 'tasks',
      summary: 'One task with its approval progress (null at a fill-in node)',
      summaryZh: '任务详情',
      parameters: [taskId],
      response: taskWithApproval,
      errors: [403, 404],
    }),
  },
  '/api/tasks/{id}/form': {
    get: operation({
      operationId: 'getTaskForm',
      tag: 'tasks',
      summary: "The task's form, data and field permissions (hidden fields left out) and allowed actions",
      summaryZh: '任务表单',
      parameters: [taskId],
      response: obj(
        {
          task: ref('Task'),
          formKey: nullable(str()),
          form: nullable(obj({ schema: anyObject(), uiSchema: anyObject() }, ['schema', 'uiSchema'])),
          data: anyObject(),
          fieldPermissions: ref('FieldPermissions'),
          allowedActions: arrayOf({ enum: ['submit', 'approve', 'reject', 'return', 'transfer', 'addSigner'] }),
          nodeKind: {
            enum: ['approval', 'fillIn'],
            description: 'approval (审批节点: approve / reject) or fillIn (填写节点: fill in the form and submit; no approval progress)',
          },
          approval: nullable(ref('ApprovalProgress')),
        },
        ['task', 'formKey', 'form', 'data', 'fieldPermissions', 'allowedActions', 'nodeKind', 'approval'],
      ),
      errors: [403, 404],
    }),
  },
  '/api/tasks/{id}/claim': {
    post: operation({
      operationId: 'claimTask',
      tag: 'tasks',
      summary: "Claim a task offered to the caller's groups",
      summaryZh: '签收',
      parameters: [taskId],
      response: ref('Task'),
      errors: [403, 404, 409],
    }),
  },
  '/api/tasks/{id}/complete': {
    post: completion('completeTask', 'Complete a task with variables (and an optional decision; at a fill-in node it submits)', '办理', true),
  },
  '/api/tasks/{id}/approve': { post: completion('approveTask', 'Approve (complete with decision approve)', '同意', false) },
  '/api/tasks/{id}/reject': { post: completion('rejectTask', 'Reject (complete with decision reject)', '驳回', false) },
  '/api/tasks/{id}/submit': {
    post: completion('submitTask', 'Submit the form at a fill-in node (complete without a decision; 403 at an approval node)', '提交', false),
  },
  '/api/tasks/{id}/transfer': {
    post: operation({
      operationId: 'transferTask',
      tag: 'tasks',
      summary: 'Transfer the task to another user',
      summaryZh: '转办',
      parameters: [taskId],
      body: obj({ to: str('Username', { minLength: 1 }), comment }, ['to']),
      response: ref('Task'),
      errors: [403, 404, 409],
    }),
  },
  '/api/tasks/{id}/return': {
    post: operation({
      operationId: 'returnTask',
      tag: 'tasks',
      summary: 'Return the task to an earlier element',
      summaryZh: '退回',
      parameters: [taskId],
      body: obj({ toElementId: str('An element the token passed before', { minLength: 1 }), comment }, ['toElementId']),
      response: ref('Task'),
      errors: [403, 404, 409],
    }),
  },
  '/api/tasks/{id}/add-signer': {
    post: operation({
      operationId: 'addSigner',
      tag: 'tasks',
      summary: 'Add a signer before or after the caller (加签)',
      summaryZh: '加签',
      parameters: [taskId],
      body: obj({ username: str(undefined, { minLength: 1 }), position: { enum: ['before', 'after'] }, comment }, ['username', 'position']),
      response: obj({ task: ref('Task'), addedTask: nullable(ref('Task')), approval: nullable(ref('ApprovalProgress')) }, [
        'task',
        'addedTask',
        'approval',
      ]),
      errors: [403, 404, 409],
    }),
  },
};
