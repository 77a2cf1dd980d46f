/** Webhooks (server/routes/webhooks.ts, docs/webhooks.md): outgoing subscriptions, their delivery log, incoming hooks. */
import { anyObject, arrayOf, bool, dateTime, int, nullable, obj, operation, pathParam, queryParam, str, uuid, type Json, type Paths } from '../builders.ts';

const EVENTS = ['record.created', 'record.updated', 'record.deleted', 'task.created', 'task.assigned', 'task.completed', 'instance.started', 'instance.finished'];
const event: Json = { enum: EVENTS };
const subId = pathParam('id', 'Subscription id', { type: 'string', format: 'uuid' });
const hookId = pathParam('id', 'Incoming hook id', { type: 'string', format: 'uuid' });
const deliveryId = pathParam('deliveryId', 'Delivery id (also sent as X-Liuzhuan-Delivery)', { type: 'string', format: 'uuid' });

const subscriptionFields = {
  name: str('Shown in the list', { maxLength: 200 }),
  url: str('http or https; no user:password, no #fragment; at most 2,000 characters', { maxLength: 2000 }),
  events: arrayOf(event, 'At least one'),
  formKeys: arrayOf(str(), 'Record events only of these forms; empty: every form'),
  definitionKeys: arrayOf(str(), 'Task and instance events only of these processes; empty: every process'),
  enabled: bool('Default true; a disabled subscription queues nothing and its waiting deliveries fail'),
};
const subscription: Json = obj(
  { id: uuid(), ...subscriptionFields, secretHint: str('The secret masked (whsec_••••••abcd)'), createdBy: nullable(uuid()), createdAt: dateTime(), updatedAt: dateTime() },
  ['id', 'name', 'url', 'events', 'formKeys', 'definitionKeys', 'enabled', 'secretHint', 'createdBy', 'createdAt', 'updatedAt'],
);
const withSecret = (schema: Json): Json => ({
  allOf: [schema, obj({ secret: str('The whole secret, in this answer only: store it now') }, ['secret'])],
});
const attempt: Json = obj(
  {
    number: int(),
    startedAt: dateTime(),
    durationMs: int(),
    statusCode: nullable(int('null: no answer (refused, timed out, address not allowed)')),
    error: nullable(str()),
    responseExcerpt: nullable(str('The first 1,000 characters of the answer (at most 4 kB are read)')),
  },
  ['number', 'startedAt', 'durationMs', 'statusCode', 'error', 'responseExcerpt'],
);
const delivery: Json = obj(
  {
    id: uuid(),
    subscriptionId: uuid(),
    event,
    status: { enum: ['pending', 'retrying', 'succeeded', 'failed'] },
    attempts: int(),
    lastStatusCode: nullable(int()),
    lastError: nullable(str()),
    lastDurationMs: nullable(int()),
    nextAttemptAt: nullable(dateTime()),
    createdAt: dateTime(),
    deliveredAt: nullable(dateTime()),
    attemptLog: arrayOf(attempt, 'Every try, oldest first'),
  },
  ['id', 'subscriptionId', 'event', 'status', 'attempts', 'lastStatusCode', 'lastError', 'lastDurationMs', 'nextAttemptAt', 'createdAt', 'deliveredAt', 'attemptLog'],
);
const hook: Json = obj(
  {
    id: uuid(),
    name: str(),
    definitionKey: str(),
    runAs: obj({ id: uuid(), username: str() }, ['id', 'username']),
    enabled: bool(),
    useCount: int(),
    lastUsedAt: nullable(dateTime()),
    createdAt: dateTime(),
    path: str('Where to POST: /api/hooks/{id}'),
    secretHint: str(),
  },
  ['id', 'name', 'definitionKey', 'runAs', 'enabled', 'useCount', 'lastUsedAt', 'createdAt', 'path', 'secretHint'],
);

export const webhookPaths: Paths = {
  '/api/webhooks/events': {
    get: operation({ operationId: 'listWebhookEvents', tag: 'webhooks', summary: 'The events a subscription can pick', summaryZh: 'Webhook 事件', admin: true, response: arrayOf(event) }),
  },
  '/api/webhooks/subscriptions': {
    get: operation({ operationId: 'listWebhookSubscriptions', tag: 'webhooks', summary: 'Outgoing subscriptions, newest first', summaryZh: 'Webhook 订阅列表', admin: true, response: arrayOf(subscription) }),
    post: operation({
      operationId: 'createWebhookSubscription',
      tag: 'webhooks',
      summary: 'Subscribe a URL to events',
      summaryZh: '新建 Webhook 订阅',
      description:
        'Each event becomes a delivery queued in the transaction of the change; a delivery is a POST of JSON signed with `X-Liuzhuan-Signature: sha256=<HMAC-SHA256(secret, raw body) hex>`, ' +
        'with `X-Liuzhuan-Event`, `X-Liuzhuan-Delivery` and `X-Liuzhuan-Timestamp`. A non-2xx answer or none is retried with back-off. The secret is generated and returned once.',
      admin: true,
      body: obj(subscriptionFields, ['name', 'url', 'events']),
      status: 201,
      response: withSecret(subscription),
    }),
  },
  '/api/webhooks/subscriptions/{id}': {
    get: operation({ operationId: 'getWebhookSubscription', tag: 'webhooks', summary: 'One subscription', summaryZh: 'Webhook 订阅', admin: true, parameters: [subId], response: subscription, errors: [404] }),
    patch: operation({
      operationId: 'updateWebhookSubscription',
      tag: 'webhooks',
      summary: 'Change a subscription (the fields sent)',
      summaryZh: '修改 Webhook 订阅',
      admin: true,
      parameters: [subId],
      body: obj(subscriptionFields),
      response: subscription,
      errors: [404],
    }),
    delete: operation({ operationId: 'deleteWebhookSubscription', tag: 'webhooks', summary: 'Delete a subscription and its delivery log', summaryZh: '删除 Webhook 订阅', admin: true, parameters: [subId], errors: [404] }),
  },
  '/api/webhooks/subscriptions/{id}/rotate-secret': {
    post: operation({
      operationId: 'rotateWebhookSecret',
      tag: 'webhooks',
      summary: 'A new secret (returned once); deliveries from now on are signed with it',
      summaryZh: '更换密钥',
      admin: true,
      parameters: [subId],
      response: withSecret(subscription),
      errors: [404],
    }),
  },
  '/api/webhooks/subscriptions/{id}/deliveries': {
    get: operation({
      operationId: 'listWebhookDeliveries',
      tag: 'webhooks',
      summary: 'The delivery log: newest deliveries, each with its tries',
      summaryZh: '投递记录',
      admin: true,
      parameters: [subId, queryParam('limit', 'How many (1–200, default 50)', { type: 'integer', minimum: 1, maximum: 200 })],
      response: arrayOf(delivery),
      errors: [404],
    }),
  },
  '/api/webhooks/subscriptions/{id}/deliveries/{deliveryId}/resend': {
    post: operation({
      operationId: 'resendWebhookDelivery',
      tag: 'webhooks',
      summary: 'Send a delivery again: same body and id, a fresh set of tries',
      summaryZh: '重新发送',
      admin: true,
      parameters: [subId, deliveryId],
      status: 202,
      response: delivery,
      errors: [404],
    }),
  },
  '/api/webhooks/hooks': {
    get: operation({ operationId: 'listIncomingHooks', tag: 'webhooks', summary: 'Incoming hooks', summaryZh: '接收钩子列表', admin: true, response: arrayOf(hook) }),
    post: operation({
      operationId: 'createIncomingHook',
      tag: 'webhooks',
      summary: 'An incoming hook that starts a process (the secret is returned once)',
      summaryZh: '新建接收钩子',
      admin: true,
      body: obj(
        {
          name: str(undefined, { maxLength: 200 }),
          definitionKey: str('A deployed process'),
          runAs: nullable(str('Username the instances are started as (发起人); default the admin creating the hook')),
        },
        ['name', 'definitionKey'],
      ),
      status: 201,
      response: withSecret(hook),
    }),
  },
  '/api/webhooks/hooks/{id}': {
    patch: operation({
      operationId: 'updateIncomingHook',
      tag: 'webhooks',
      summary: 'Enable or disable an incoming hook',
      summaryZh: '启用/停用接收钩子',
      admin: true,
      parameters: [hookId],
      body: obj({ enabled: bool() }, ['enabled']),
      response: hook,
      errors: [404],
    }),
    delete: operation({ operationId: 'deleteIncomingHook', tag: 'webhooks', summary: 'Delete an incoming hook', summaryZh: '删除接收钩子', admin: true, parameters: [hookId], errors: [404] }),
  },
  '/api/hooks/{id}': {
    post: operation({
      operationId: 'callIncomingHook',
      tag: 'webhooks',
      summary: "Start an instance of the hook's process from a JSON body (no login; the hook's secret)",
      summaryZh: '调用接收钩子',
      description:
        'Authenticated by `X-Liuzhuan-Secret: <secret>` or `X-Liuzhuan-Signature: sha256=<HMAC-SHA256(secret, raw body) hex>` (401 `hook_unauthorized` otherwise). ' +
        "The body is the start form's data, checked as `POST /api/instances` checks it: 422 with pointers into the body (`/amount`); 400 for a body that is not a JSON object. " +
        'Rate-limited per hook (LIUZHUAN_HOOK_REQUESTS_PER_MINUTE, default 60 a minute per node).',
      isPublic: true,
      parameters: [hookId],
      body: anyObject("The start form's fields"),
      status: 201,
      response: obj({ instanceId: uuid(), status: str(), recordId: nullable(uuid('The record a form-bound start stored')) }, ['instanceId', 'status', 'recordId']),
      errors: [401, 404, 409, 429],
    }),
  },
};
