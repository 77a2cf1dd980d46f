/** Public links (外链, server/routes/publicLinks.ts): the public page's two calls and the admin's links of a form. */
import { anyObject, arrayOf, dateTime, int, nullable, obj, operation, pathParam, str, uuid, type Json, type Paths } from '../builders.ts';

const token = pathParam('token', 'The link token (43 characters, base64url); the page is /p/{token}', {
  type: 'string',
  pattern: '^[A-Za-z0-9_-]{43}$',
});
const formKey = pathParam('key', 'Form key');
const linkId = pathParam('id', 'Public link id', { type: 'string', format: 'uuid' });
const channel = (description: string): Json => ({ type: 'object', additionalProperties: { type: 'string' }, description });
const kind: Json = {
  enum: ['form', 'start', 'instance'],
  description: '`form`: the answer is a record; `start`: it starts the process bound to the form; `instance`: single use, the answer is delivered to the waiting instance that made it',
};

const linkView: Json = obj(
  {
    id: uuid(),
    kind,
    formKey: str(),
    processKey: nullable(str()),
    instanceId: nullable(uuid()),
    title: nullable(str()),
    path: str('The public page, /p/{token}'),
    token: str(),
    expiresAt: nullable(dateTime()),
    maxUses: nullable(int()),
    useCount: int(),
    channel: channel('Recorded with every answer (the page\'s query parameters override)'),
    createdBy: nullable(uuid()),
    createdAt: dateTime(),
    revokedAt: nullable(dateTime()),
    state: { enum: ['open', 'used', 'expired', 'revoked'] },
  },
  ['id', 'kind', 'formKey', 'processKey', 'instanceId', 'title', 'path', 'token', 'expiresAt', 'maxUses', 'useCount', 'channel', 'createdBy', 'createdAt', 'revokedAt', 'state'],
);

const GONE =
  '410 `link_used` (answered already, or its uses are spent), `link_expired`, `link_revoked`, `link_closed` (the instance no longer waits for the answer, or the form\'s flow is gone); 404 `link_not_found`. Messages in the Accept-Language (zh-CN or en).';

export const publicLinkPaths: Paths = {
  '/api/public/links/{token}': {
    get: operation({
      operationId: 'getPublicLink',
      tag: 'public links',
      summary: 'What the public page shows: the form to fill (no login)',
      summaryZh: '外链页面',
      description: `Nothing of any record or instance but the values the link fixes: the form's latest version, the link's title and expiry. ${GONE} Rate-limited per client address (120 a minute per node).`,
      isPublic: true,
      parameters: [token],
      response: obj(
        {
          kind,
          title: str(),
          expiresAt: nullable(dateTime()),
          prefill: anyObject('Field values the link fixes (e.g. the customer): shown read-only, kept whatever is sent'),
          hiddenFields: arrayOf(str(), 'Staff-only fields (lookups, user/department pickers, uploads, ids) the page leaves off; an answer\'s values for them are dropped'),
          form: obj(
            { key: str(), version: int(), title: str(), schema: anyObject('JSON Schema 2020-12'), uiSchema: anyObject() },
            ['key', 'version', 'title', 'schema', 'uiSchema'],
          ),
        },
        ['kind', 'title', 'expiresAt', 'prefill', 'hiddenFields', 'form'],
      ),
      errors: [404, 410, 429],
    }),
    post: operation({
      operationId: 'answerPublicLink',
      tag: 'public links',
      summary: 'Answer a public link (no login)',
      summaryZh: '提交外链',
      description:
        "One transaction: the link is locked (of two answers at once exactly one counts), the data validated with the form's schema (422 with pointers, nothing written), " +
        'the record stored (as the built-in user `public-link`, 外链访客) and routed; a `start` link starts the bound process, an `instance` link delivers its message to the instance ' +
        'with `answer` (the stored data) and `answerRecordId`. Any query parameters (`?channel=wechat&utm_source=…`, plain names, at most 10) are recorded with the answer. ' +
        `${GONE} Rate-limited per client address and per link (10 answers a minute per node); bodies above 256 kB are refused (413).`,
      isPublic: true,
      parameters: [token],
      body: obj({ data: anyObject("The answer, validated against the form's latest JSON Schema") }, ['data']),
      status: 201,
      response: obj({ kind, recordId: uuid('The record the answer became') }, ['kind', 'recordId']),
      errors: [404, 410, 413, 429],
    }),
  },
  '/api/forms/{key}/public-links': {
    get: operation({
      operationId: 'listFormPublicLinks',
      tag: 'public links',
      summary: "A form's published links, newest first",
      summaryZh: '表单外链列表',
      admin: true,
      parameters: [formKey],
      response: arrayOf(linkView),
      errors: [404],
    }),
    post: operation({
      operationId: 'createFormPublicLink',
      tag: 'public links',
      summary: 'Publish a form (or the start form of its bound process) at a public link',
      summaryZh: '发布外链',
      description: 'A `start` link when a process is bound to the form, else a `form` link. Optionally limited in time and count; `channel` defaults are recorded with each answer.',
      admin: true,
      parameters: [formKey],
      body: obj({
        title: nullable(str('Shown on the page instead of the form title', { maxLength: 200 })),
        expiresAt: nullable(dateTime('In the future; null: never expires')),
        maxUses: nullable(int('null: unlimited', { minimum: 1, maximum: 1_000_000 })),
        channel: channel('Up to 10 entries, names of letters, digits, _ . -'),
      }),
      bodyRequired: false,
      status: 201,
      response: linkView,
      errors: [404],
    }),
  },
  '/api/forms/{key}/public-links/{id}/revoke': {
    post: operation({
      operationId: 'revokeFormPublicLink',
      tag: 'public links',
      summary: 'Withdraw a public link (final; its answers stay)',
      summaryZh: '停用外链',
      admin: true,
      parameters: [formKey, linkId],
      response: linkView,
      errors: [404],
    }),
  },
  '/api/forms/{key}/public-links/{id}/answers': {
    get: operation({
      operationId: 'listPublicLinkAnswers',
      tag: 'public links',
      summary: "A link's answers: the record each became and the channel it came through",
      summaryZh: '外链提交记录',
      admin: true,
      parameters: [formKey, linkId],
      response: arrayOf(
        obj(
          { recordId: nullable(uuid()), instanceId: nullable(uuid()), channel: channel('The link defaults merged with the page query'), answeredAt: dateTime() },
          ['recordId', 'instanceId', 'channel', 'answeredAt'],
        ),
      ),
      errors: [404],
    }),
  },
  '/api/instances/{id}/public-links': {
    get: operation({
      operationId: 'listInstancePublicLinks',
      tag: 'public links',
      summary: 'The public links an instance made (its survey or confirmation links), to forward by hand',
      summaryZh: '流程外链',
      description: 'For those who may read the instance (404 otherwise).',
      parameters: [pathParam('id', 'Instance id', { type: 'string', format: 'uuid' })],
      response: arrayOf(linkView),
      errors: [404],
    }),
  },
};
