/** Health, this document, login/logout/me, installed apps. */
import { anyObject, arrayOf, bool, dateTime, int, nullable, obj, operation, ref, str, uuid, type Json, type Paths } from '../builders.ts';

/** A text a template app ships in both languages (templates/app.ts `Localised`). */
const localised = (description?: string): Json => obj({ 'zh-CN': str(), en: str() }, ['zh-CN', 'en'], description);

const executorHealth = obj(
  {
    state: {
      enum: ['running', 'stopped', 'stalled'],
      description: '`stalled`: due jobs have waited over 2 minutes and this executor has not asked for work that long',
    },
    running: int('Jobs running on this node now'),
    queued: int('Jobs leased by this node, waiting for a free slot'),
    maxConcurrency: int('Jobs this node runs at once'),
    lastLeaseAt: nullable(dateTime('When this executor last asked the database for due jobs')),
    wakeAt: nullable(dateTime('When it looks again on its own (it also wakes on every new job)')),
  },
  ['state', 'running', 'queued', 'maxConcurrency', 'lastLeaseAt', 'wakeAt'],
  "This node's job executor (timers, reminders, e-mails, webhooks, automations)",
);

const health = operation({
  operationId: 'getHealth',
  tag: 'health',
  summary: 'Whether the database is reachable, the job executor keeps up, and the running version',
  summaryZh: '健康检查',
  description:
    'Public: counts and times only. `degraded` (still 200): due jobs have waited over 2 minutes while the executor is stalled or stopped.',
  isPublic: true,
  response: obj(
    {
      status: { enum: ['ok', 'degraded', 'unavailable'] },
      version: str(),
      database: obj({ reachable: bool(), latencyMs: int(), error: str() }, ['reachable']),
      executor: executorHealth,
      jobs: obj(
        {
          due: int('Jobs due now that no executor holds (the backlog, all nodes)'),
          oldestDueLatenessMs: int('How long the oldest of them has been due; 0 for none'),
        },
        ['due', 'oldestDueLatenessMs'],
        'Absent when the database is unreachable',
      ),
    },
    ['status', 'version', 'database', 'executor'],
  ),
  responseDescription: 'Healthy, or degraded',
});
const healthBody = (health.responses as Record<string, Json>)['200']!.content;

const readyCheck = (description: string): Json => ({ enum: ['ok', 'failed', 'timeout', 'skipped', 'none'], description });
const ready = operation({
  operationId: 'getReady',
  tag: 'health',
  summary: 'Whether a load balancer may send this node traffic (readiness; /api/health is the liveness probe)',
  summaryZh: '就绪检查',
  description:
    'Public: names the failed checks only. 503 when the database does not answer within 2 s, the applied migrations differ from the ' +
    "ones this build knows, this node's job executor is not running, or due jobs wait over 2 minutes while it does not ask for work.",
  isPublic: true,
  response: obj(
    {
      status: { enum: ['ready', 'not_ready'] },
      version: str(),
      failed: arrayOf({ enum: ['database', 'migrations', 'executor', 'backlog'] }, 'The checks that failed; empty when ready'),
      checks: obj(
        {
          database: readyCheck('`timeout`: no answer within 2 s; `failed`: the query failed'),
          migrations: readyCheck('`failed`: a migration of this build is not applied, or an applied one is unknown to it; `skipped` without a database'),
          executor: readyCheck('`none`: this node runs no executor; `failed`: it is stopped'),
          backlog: readyCheck('`failed`: due jobs wait over 2 minutes and the executor has not asked for work that long'),
        },
        ['database', 'migrations', 'executor', 'backlog'],
      ),
    },
    ['status', 'version', 'failed', 'checks'],
  ),
  responseDescription: 'Ready',
});
const readyBody = (ready.responses as Record<string, Json>)['200']!.content;

export const systemPaths: Paths = {
  '/api/health': {
    get: {
      ...health,
      responses: {
        ...(health.responses as Json),
        503: { description: 'The database is not reachable (`status: unavailable`)', content: healthBody },
      },
    },
  },
  '/api/ready': {
    get: {
      ...ready,
      responses: {
        ...(ready.responses as Json),
        503: { description: 'Not ready: `failed` names the checks', content: readyBody },
      },
    },
  },
  '/api/openapi.json': {
    get: operation({
      operationId: 'getOpenApi',
      tag: 'health',
      summary: 'This OpenAPI 3.1 document',
      summaryZh: '接口文档',
      isPublic: true,
      response: anyObject('OpenAPI 3.1 document'),
    }),
  },
  '/api/auth/login': {
    post: operation({
      operationId: 'login',
      tag: 'auth',
      summary: 'Log in; answers a bearer token and sets the lz_session cookie',
      summaryZh: '登录',
      description: 'Failed attempts are limited per client address and username (10 a minute).',
      isPublic: true,
      body: obj(
        { username: str(undefined, { minLength: 1, maxLength: 200 }), password: str(undefined, { minLength: 1, maxLength: 1000 }) },
        ['username', 'password'],
      ),
      response: obj({ token: str('Bearer token, valid 7 days'), user: ref('AuthUser') }, ['token', 'user']),
      errors: [401, 429],
    }),
  },
  '/api/auth/logout': {
    post: operation({ operationId: 'logout', tag: 'auth', summary: 'End the current session and clear the cookie', summaryZh: '退出登录' }),
  },
  '/api/auth/me': {
    get: operation({ operationId: 'me', tag: 'auth', summary: 'The logged-in caller', summaryZh: '当前用户', response: ref('AuthUser') }),
  },
  '/api/apps': {
    get: operation({
      operationId: 'listApps',
      tag: 'apps',
      summary: 'Installed template apps with their forms, processes and templates',
      summaryZh: '应用列表',
      admin: true,
      response: arrayOf(
        obj(
          {
            key: str(),
            title: localised('The app\'s name'),
            description: nullable(localised()),
            forms: arrayOf(
              obj(
                {
                  key: str(),
                  title: localised('The title the app ships'),
                  storedTitle: str('The title stored with the installed form'),
                  version: int(),
                  recordCount: int(),
                  routing: nullable(obj({ defaultDepartmentId: uuid(), ruleCount: int() }, ['defaultDepartmentId', 'ruleCount'])),
                  definitionKey: nullable(str()),
                },
                ['key', 'title', 'storedTitle', 'version', 'recordCount', 'routing', 'definitionKey'],
              ),
            ),
            definitions: arrayOf(
              obj({ id: uuid(), key: str(), name: nullable(str()), version: int(), formKey: nullable(str()), deployedAt: dateTime() }, [
                'id',
                'key',
                'name',
                'version',
                'formKey',
                'deployedAt',
              ]),
            ),
            messageTemplates: arrayOf(
              obj({ key: str(), channel: str(), subject: str(), updatedAt: dateTime() }, ['key', 'channel', 'subject', 'updatedAt']),
            ),
            printTemplates: arrayOf(
              obj({ key: str(), formKey: str(), title: str(), updatedAt: dateTime() }, ['key', 'formKey', 'title', 'updatedAt']),
            ),
            tiering: bool('Whether the app has customer tiering (POST /api/apps/{app}/tiering/run)'),
          },
          ['key', 'title', 'description', 'forms', 'definitions', 'messageTemplates', 'printTemplates', 'tiering'],
        ),
      ),
    }),
  },
};
