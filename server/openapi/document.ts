/**
 * The OpenAPI 3.1 document served at `GET /api/openapi.json`: every route mounted in
 * server/app.ts, assembled from paths/*.ts per area. test/integration/openapi.test.ts walks
 * the express router and fails when a route is missing here or an entry names no route,
 * so add the operation in the same change as the route.
 */
import { ERROR_RESPONSES, ref, type Json, type Paths } from './builders.ts';
import { accessPaths } from './paths/access.ts';
import { adminPaths } from './paths/admin.ts';
import { analyticsPaths } from './paths/analytics.ts';
import { appPackagePaths } from './paths/appPackages.ts';
import { privacyPaths } from './paths/privacy.ts';
import { formPaths } from './paths/forms.ts';
import { inboxPaths } from './paths/inbox.ts';
import { importPaths } from './paths/imports.ts';
import { instanceMigrationPaths } from './paths/instanceMigration.ts';
import { orgPaths } from './paths/org.ts';
import { processPaths } from './paths/processes.ts';
import { publicLinkPaths } from './paths/publicLinks.ts';
import { systemPaths } from './paths/system.ts';
import { taskPaths } from './paths/tasks.ts';
import { tieringPaths } from './paths/tiering.ts';
import { webhookPaths } from './paths/webhooks.ts';
import { schemas } from './schemas.ts';
import { socketEventSchemas, socketIo } from './socketEvents.ts';

/** Merges path items; two areas describing the same method on one path is a mistake. */
function mergePaths(...groups: Paths[]): Paths {
  const merged: Paths = {};
  for (const group of groups) {
    for (const [path, item] of Object.entries(group)) {
      for (const method of Object.keys(item)) {
        if (merged[path]?.[method]) throw new Error(`OpenAPI: ${method.toUpperCase()} ${path} is described twice`);
      }
      merged[path] = { ...merged[path], ...item };
    }
  }
  return merged;
}

const TAGS: Array<[string, string]> = [
  ['health', 'Health and this document'],
  ['auth', 'Login, logout, the caller'],
  ['users', 'Users (admins change them)'],
  ['departments', 'Departments (organisation chart)'],
  ['forms', 'Versioned JSON-Schema forms'],
  ['records', 'Records of a form'],
  ['flow forms', 'Forms that start a process (流程表单)'],
  ['definitions', 'BPMN process definitions'],
  ['instances', 'Process instances, messages, signals'],
  ['tasks', 'User tasks and approval actions'],
  ['inbox', "The caller's boxes and CC (抄送)"],
  ['routing', 'Auto-routing rules, department queues, tickets (自动分派)'],
  ['jobs', 'Jobs and incidents'],
  ['automations', 'Automations (智能助手)'],
  ['notifications', 'In-app notifications and message templates'],
  ['printing', 'Printing and print templates'],
  ['apps', 'Installed template apps'],
  ['public links', 'Public form links and single-use links of an instance (外链)'],
  ['analytics', 'Dashboards, chart queries and the process heat map (仪表盘)'],
  ['permissions', 'Permission groups of a form and the caller\'s rights (数据权限)'],
  ['roles', 'Roles as data (角色)'],
  ['privacy', 'Personal data: unmask, the data subject\'s rights, retention (个人信息)'],
  ['audit', 'The audit log (审计日志)'],
  ['webhooks', 'Outgoing webhook subscriptions and incoming hooks'],
];

export function openApiDocument(version: string): Json {
  const responses = Object.fromEntries(
    Object.values(ERROR_RESPONSES).map(({ name, description }) => [
      name,
      { description, content: { 'application/json': { schema: ref('Error') } } },
    ]),
  );
  return {
    openapi: '3.1.0',
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    info: {
      title: 'Liuzhuan (流转) API',
      version,
      description:
        'BPMN workflow and form engine. JSON over HTTP under /api. Authenticate with `Authorization: Bearer <token>` ' +
        '(from POST /api/auth/login) or the httpOnly `lz_session` cookie it sets. Errors are ' +
        '`{error: {code, message, details?: [{pointer, message}]}}`. Any route may answer 503 `busy` with a ' +
        '`Retry-After` header when every database connection stayed in use too long. Realtime events: see `x-socket-io`.',
    },
    servers: [{ url: '/', description: 'This server; paths include the /api prefix' }],
    tags: TAGS.map(([name, description]) => ({ name, description })),
    security: [{ bearerAuth: [] }, { sessionCookie: [] }],
    paths: mergePaths(systemPaths, orgPaths, formPaths, processPaths, taskPaths, inboxPaths, adminPaths, tieringPaths, publicLinkPaths, analyticsPaths, accessPaths, privacyPaths, importPaths, webhookPaths, instanceMigrationPaths, appPackagePaths),
    components: {
      securitySchemes: {
        bearerAuth: { type: 'http', scheme: 'bearer', description: 'The token POST /api/auth/login answers' },
        sessionCookie: {
          type: 'apiKey',
          in: 'cookie',
          name: 'lz_session',
          description:
            'Set by login (httpOnly). A write (POST, PUT, PATCH, DELETE) authenticated by the cookie must send the header ' +
            'X-Requested-With (the designer sends "liuzhuan") and, when the browser names an Origin, come from the server\'s own ' +
            'origin: 403 csrf_header_required / cross_origin otherwise. Request bodies must be application/json (415).',
        },
      },
      schemas: { ...schemas, ...socketEventSchemas },
      responses,
    },
    'x-socket-io': socketIo,
  };
}
