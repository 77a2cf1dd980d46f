/**
 * What the fuzz suites send to each write route: valid path parameters from the fixture and
 * valid example bodies, which the generator then mutates and garbles (hostile.ts). Every
 * POST/PUT/PATCH/DELETE the app serves must be declared here: a new route without a
 * declaration fails the suite (see fuzz-*.test.ts).
 *
 * `fresh`: a 2xx consumed the object the path names (deleted, withdrawn, approved): the next
 * case gets a new one. `token`: who calls (default the admin, who reaches the most code).
 * `group`: which test file runs the route (the files run on two workers in parallel).
 */
import fc from 'fast-check';
import type { Fixture } from './fixtures.ts';
import { FUZZ_FORM, FUZZ_RECORD } from './fixtures.ts';
import { hostileBody, hostileString, type WireBody } from './hostile.ts';

export type FuzzGroup = 'data' | 'process' | 'admin';

export interface FuzzTarget {
  group: FuzzGroup;
  params?: (fx: Fixture) => Record<string, string>;
  examples?: (fx: Fixture) => unknown[];
  /** A body generator other than mutations of the examples (the multipart upload). */
  body?: (fx: Fixture) => fc.Arbitrary<WireBody>;
  fresh?: string;
  token?: 'admin' | 'anonymous';
  /** Extra request headers (an incoming hook's secret). */
  headers?: (fx: Fixture) => Record<string, string>;
  /** Run after the route's cases: undo what would keep working in the background (an enabled webhook subscription). */
  cleanUp?: (fx: Fixture) => Promise<void>;
  /** Statuses the unmodified example legitimately gets (a wrong password's 401, no instance waiting for the message). */
  exampleRefused?: number[];
}

const variables = { note: '备注', amount: 3, approved: true, list: [1, 'x'], nested: { a: null } };
const identifiers = { phone: '13800000000', name: '张三' };
const permissionGroup = {
  name: '模糊组',
  members: { users: [] as string[], departments: [] as string[], roles: ['fz_role'], owner: true },
  actions: ['view', 'edit'],
  fields: { visible: ['name', 'tier'], editable: ['tier'] },
  filter: { join: 'and', rules: [{ field: 'tier', operator: '=', value: 'A' }] },
};
const withMembers = (fx: Fixture) => ({ ...permissionGroup, members: { ...permissionGroup.members, users: [fx.ids.user!], departments: [fx.ids.department!] } });
const automation = {
  name: '模糊自动化',
  trigger: 'record.created',
  formKey: FUZZ_FORM,
  filter: 'amount > 10',
  actions: [{ type: 'notify', to: ['admin', '=createdBy'], template: 'fz_message' }],
  enabled: false,
};
const dashboard = {
  title: '模糊看板',
  widgets: [
    {
      id: 'w1',
      type: 'bar',
      title: '按类别',
      query: { source: { kind: 'records', formKey: FUZZ_FORM }, dimensions: [{ field: 'kind' }], measures: [{ agg: 'count' }] },
      layout: { x: 0, y: 0, w: 6, h: 4 },
    },
  ],
  sharing: { everyone: true },
};
const chartQuery = { source: { kind: 'records', formKey: FUZZ_FORM }, dimensions: [{ field: 'kind' }], measures: [{ agg: 'sum', field: 'amount' }], filters: [{ field: 'amount', op: 'gt', value: 1 }], limit: 10 };
const mapping = ['title', 'amount'];

/** A multipart upload with hostile file names and contents (and sometimes a JSON body instead). */
function upload(): fc.Arbitrary<WireBody> {
  const csv = fc.array(fc.array(hostileString.filter((s) => s.length < 2_000), { maxLength: 5 }), { maxLength: 6 }).map((rows) => rows.map((row) => row.join(',')).join('\n'));
  const content = fc.oneof(
    csv,
    fc.constantFrom('标题,金额\n一,1\n', '', '\uFEFF标题\n"unterminated', 'PK\u0003\u0004not really a zip', '\u0000\u0000\u0000', '=cmd|\'/c calc\'!A1\n'),
    fc.uint8Array({ maxLength: 2_000 }).map((bytes) => Buffer.from(bytes).toString('latin1')),
  );
  const filename = fc.oneof(fc.constantFrom('a.csv', 'a.xlsx', 'a.exe', '', '../../etc/passwd.csv', '投诉导入.xlsx', 'a\u0000.csv', 'x'.repeat(1_000) + '.csv'), hostileString.filter((s) => s.length < 300));
  return fc.oneof(
    { weight: 4, arbitrary: fc.record({ filename, content }).map(({ filename, content }) => ({ kind: 'multipart', filename, content, field: 'file' }) as WireBody) },
    { weight: 1, arbitrary: fc.record({ filename, content, field: fc.constantFrom('other', '', '__proto__') }).map((part) => ({ kind: 'multipart', ...part }) as WireBody) },
    { weight: 1, arbitrary: hostileBody([{ file: 'x' }]) },
  );
}

const subscription = { name: '模糊订阅', url: 'https://example.invalid/hook', events: ['record.created', 'task.completed'], formKeys: [FUZZ_FORM], definitionKeys: [], enabled: false };
async function quietWebhooks(fx: Fixture): Promise<void> {
  await fx.db('webhook_subscriptions').update({ enabled: false });
}

const record = (fx: Fixture) => ({ key: FUZZ_FORM, id: fx.ids.record! });
const customer = (fx: Fixture) => ({ key: 'customer_profile', id: fx.ids.customer! });
const task = (fx: Fixture) => ({ id: fx.ids.task! });

export const FUZZ_TARGETS: Record<string, FuzzTarget> = {
  // Auth
  'POST /api/auth/login': { group: 'admin', token: 'anonymous', exampleRefused: [401, 429], examples: () => [{ username: 'nobody', password: 'wrong-password' }] },
  'POST /api/auth/logout': { group: 'admin', token: 'anonymous', exampleRefused: [401], examples: () => [{}] },
  // Organisation
  'POST /api/users': { group: 'admin', examples: () => [{ username: 'fz_new', displayName: '新人', password: 'Fuzz-password-9', role: 'staff', locale: 'zh-CN', roles: ['fz_role'] }] },
  'PATCH /api/users/:id': { group: 'admin', params: (fx) => ({ id: fx.ids.user! }), examples: (fx) => [{ displayName: '改名', locale: 'en', departmentIds: [fx.ids.department], roles: ['fz_role'], active: true }] },
  'POST /api/departments': { group: 'admin', examples: (fx) => [{ code: 'fz_new', name: '新部门', nameEn: 'New', parentId: fx.ids.department, headUserId: fx.ids.user }] },
  'PATCH /api/departments/:id': { group: 'admin', params: (fx) => ({ id: fx.ids.department! }), examples: (fx) => [{ name: '模糊部', nameEn: null, headUserId: fx.ids.user, parentId: null }] },
  'PUT /api/departments/:id/members': { group: 'admin', params: (fx) => ({ id: fx.ids.department! }), examples: (fx) => [{ userIds: [fx.ids.user] }] },
  'POST /api/roles': { group: 'admin', examples: () => [{ code: 'fz_other', name: '其他', nameEn: 'Other' }] },
  'PUT /api/roles/:code': { group: 'admin', params: () => ({ code: 'fz_role' }), examples: () => [{ name: '模糊角色', nameEn: 'Fuzz' }] },
  'DELETE /api/roles/:code': { group: 'admin', params: () => ({ code: 'fz_gone' }), examples: () => [] },
  // Forms and records
  'POST /api/forms': { group: 'data', examples: () => [{ key: 'fz_other', title: '另一个', schema: { type: 'object', properties: { title: { type: 'string' }, n: { type: 'integer', minimum: 0 } }, required: ['title'] }, uiSchema: { title: { 'ui:widget': 'textarea' } } }] },
  'POST /api/forms/:key/records': { group: 'data', params: () => ({ key: FUZZ_FORM }), examples: () => [{ data: FUZZ_RECORD }] },
  'PUT /api/forms/:key/records/:id': { group: 'data', params: record, examples: () => [{ data: FUZZ_RECORD }] },
  'DELETE /api/forms/:key/records/:id': { group: 'data', params: record, fresh: 'record' },
  'POST /api/forms/:key/submit': { group: 'data', params: () => ({ key: 'complaint' }), examples: () => [{ data: { customer: '客户', category: 'quality', severity: 'low', description: '描述', received_at: '2026-04-02T14:00:00+08:00' }, comment: '提交' }] },
  'POST /api/forms/:key/records/:id/starts/:definitionKey': { group: 'data', params: (fx) => ({ ...customer(fx), definitionKey: 'revisit' }), fresh: 'customer' },
  'POST /api/forms/:key/records/:id/unmask': { group: 'data', params: customer, examples: () => [{ fields: ['phone'] }, {}] },
  'PUT /api/templates/print/:key': { group: 'data', params: () => ({ key: 'fz_print' }), examples: () => [{ formKey: FUZZ_FORM, title: '打印', body: '<h1>{{title}}</h1>{{#each tags}}<i>{{this}}</i>{{/each}}' }] },
  'POST /api/forms/:key/permission-groups': { group: 'data', params: () => ({ key: 'customer_profile' }), examples: (fx) => [withMembers(fx)] },
  'PUT /api/forms/:key/permission-groups/:id': { group: 'data', params: (fx) => ({ key: 'customer_profile', id: fx.ids.permissionGroup! }), examples: (fx) => [withMembers(fx)] },
  'DELETE /api/forms/:key/permission-groups/:id': { group: 'data', params: () => ({ key: 'customer_profile', id: '00000000-0000-4000-8000-000000000000' }) },
  'PUT /api/forms/:key/access-settings': { group: 'data', params: () => ({ key: 'customer_profile' }), examples: () => [{ ownerField: 'owner' }] },
  'PUT /api/forms/:key/retention': { group: 'data', params: () => ({ key: FUZZ_FORM }), examples: () => [{ retention: { after: 'P5Y', basis: 'createdAt', action: 'anonymise' } }, { retention: null }] },
  'POST /api/forms/:key/public-links': { group: 'data', params: () => ({ key: FUZZ_FORM }), examples: () => [{ title: '外链', expiresAt: '2099-01-01T00:00:00Z', maxUses: 10, channel: { name: '微信' } }] },
  'POST /api/forms/:key/public-links/:id/revoke': { group: 'data', params: () => ({ key: FUZZ_FORM, id: '00000000-0000-4000-8000-000000000000' }) },
  'POST /api/public/links/:token': { group: 'data', token: 'anonymous', params: (fx) => ({ token: fx.ids.publicToken! }), examples: () => [{ data: FUZZ_RECORD }] },
  'POST /api/privacy/search': { group: 'data', examples: () => [{ identifiers }] },
  'POST /api/privacy/export': { group: 'data', examples: () => [{ identifiers }] },
  'POST /api/privacy/erase': { group: 'data', examples: () => [{ identifiers: { phone: '13900000001' }, confirm: true, records: 'anonymise' }] },
  'POST /api/forms/:key/imports': { group: 'data', params: () => ({ key: FUZZ_FORM }), body: upload },
  'POST /api/forms/:key/imports/:id/preview': { group: 'data', params: (fx) => ({ key: FUZZ_FORM, id: fx.ids.import! }), examples: () => [{ mapping, timezoneOffset: 480 }] },
  'POST /api/forms/:key/imports/:id/start': { group: 'data', params: (fx) => ({ key: FUZZ_FORM, id: fx.ids.import! }), fresh: 'import', examples: () => [{ mapping, mode: 'skip_bad_rows', runAutomations: false, timezoneOffset: 480 }] },
  'POST /api/forms/:key/imports/:id/cancel': { group: 'data', params: (fx) => ({ key: FUZZ_FORM, id: fx.ids.import! }), fresh: 'import' },
  'POST /api/charts/query': { group: 'data', examples: () => [chartQuery, { source: { kind: 'tasks' }, dimensions: [{ field: 'status' }], measures: [{ agg: 'count' }] }] },
  'POST /api/charts/rows': { group: 'data', examples: () => [{ source: { kind: 'records', formKey: FUZZ_FORM }, filters: [{ field: 'kind', op: 'eq', value: 'a' }], page: 1, pageSize: 20 }] },
  'POST /api/dashboards': { group: 'data', examples: () => [dashboard] },
  'PUT /api/dashboards/:id': { group: 'data', params: (fx) => ({ id: fx.ids.dashboard! }), examples: () => [dashboard] },
  'DELETE /api/dashboards/:id': { group: 'data', params: () => ({ id: '00000000-0000-4000-8000-000000000000' }) },
  // Processes, tasks, routing, automations, messages
  'POST /api/definitions': {
    group: 'process',
    examples: () => [
      { xml: '<?xml version="1.0"?><definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" targetNamespace="t"><process id="fz_deploy" isExecutable="true"><startEvent id="s"/><userTask id="u"/><endEvent id="e"/><sequenceFlow id="f1" sourceRef="s" targetRef="u"/><sequenceFlow id="f2" sourceRef="u" targetRef="e"/></process></definitions>' },
    ],
  },
  // fz_flow has one version: the example is refused with 404 (no version 2), mutations must stay 4xx.
  'POST /api/definitions/:key/migrate': { group: 'process', params: () => ({ key: 'fz_flow' }), exampleRefused: [404], examples: () => [{ from: 1, to: 2 }, { from: 1, to: 2, instanceIds: ['00000000-0000-4000-8000-000000000000'] }] },
  'POST /api/instances': { group: 'process', examples: () => [{ definitionKey: 'fz_flow', variables, businessKey: 'FZ-1' }] },
  'POST /api/instances/:id/withdraw': { group: 'process', params: (fx) => ({ id: fx.ids.instance! }), fresh: 'instance', examples: () => [{ comment: '撤回' }] },
  'POST /api/instances/:id/cc': { group: 'process', params: (fx) => ({ id: fx.ids.instance! }), examples: () => [{ usernames: ['fz_user'], comment: '请阅' }] },
  'POST /api/messages': { group: 'process', exampleRefused: [404], examples: () => [{ messageName: 'fz_message', correlationKey: 'FZ', variables }] },
  'POST /api/signals': { group: 'process', examples: () => [{ signalName: 'fz_signal', variables }] },
  'POST /api/jobs/:id/execute': { group: 'process', params: (fx) => ({ id: fx.ids.job! }), fresh: 'job' },
  'POST /api/incidents/:id/retry': { group: 'process', params: () => ({ id: '00000000-0000-4000-8000-000000000000' }), exampleRefused: [404], examples: () => [{ retries: 3 }] },
  'POST /api/tasks/:id/claim': { group: 'process', params: task },
  'POST /api/tasks/:id/complete': { group: 'process', params: task, fresh: 'task', examples: () => [{ variables, comment: '好', decision: 'approve' }] },
  'POST /api/tasks/:id/approve': { group: 'process', params: task, fresh: 'task', examples: () => [{ variables, comment: '同意' }] },
  'POST /api/tasks/:id/reject': { group: 'process', params: task, fresh: 'task', examples: () => [{ variables, comment: '不同意' }] },
  'POST /api/tasks/:id/submit': { group: 'process', params: task, fresh: 'task', exampleRefused: [403], examples: () => [{ variables, comment: '提交' }] },
  'POST /api/tasks/:id/transfer': { group: 'process', params: task, fresh: 'task', examples: () => [{ to: 'fz_user', comment: '转交' }] },
  'POST /api/tasks/:id/return': { group: 'process', params: task, fresh: 'task', examples: () => [{ toElementId: 'first', comment: '退回' }] },
  'POST /api/tasks/:id/add-signer': { group: 'process', params: task, fresh: 'task', examples: () => [{ username: 'fz_user', position: 'after', comment: '加签' }] },
  'POST /api/inbox/cc/:id/read': { group: 'process', params: () => ({ id: '00000000-0000-4000-8000-000000000000' }) },
  'PUT /api/routing/:formKey': { group: 'process', params: () => ({ formKey: FUZZ_FORM }), examples: (fx) => [{ defaultDepartmentId: fx.ids.department, rules: [{ name: '大额', condition: 'amount > 100', departmentId: fx.ids.department, enabled: true }] }] },
  'POST /api/tickets/:id/claim': { group: 'process', params: (fx) => ({ id: fx.ids.ticket! }) },
  'POST /api/tickets/:id/hand-back': { group: 'process', params: (fx) => ({ id: fx.ids.ticket! }) },
  'POST /api/tickets/:id/close': { group: 'process', params: (fx) => ({ id: fx.ids.ticket! }), fresh: 'ticket' },
  'POST /api/automations': { group: 'process', examples: () => [automation] },
  'PUT /api/automations/:id': { group: 'process', params: (fx) => ({ id: fx.ids.automation! }), examples: () => [automation] },
  'DELETE /api/automations/:id': { group: 'process', params: () => ({ id: '00000000-0000-4000-8000-000000000000' }) },
  'POST /api/notifications/read-all': { group: 'process' },
  'POST /api/notifications/:id/read': { group: 'process', params: () => ({ id: '00000000-0000-4000-8000-000000000000' }) },
  'PUT /api/templates/messages/:key': { group: 'process', params: () => ({ key: 'fz_message' }), examples: () => [{ channel: 'inApp', subject: '主题 {{title}}', body: '正文 {{title}}', config: {} }] },
  'POST /api/apps/:app/tiering/run': { group: 'process', params: () => ({ app: 'key-account' }) },
  // App packages: hostile files (not JSON, wrong shape, hostile names) must be refused whole.
  'POST /api/apps/packages/preview': { group: 'admin', body: upload },
  'POST /api/apps/packages/import': { group: 'admin', body: upload },
  // Webhooks. A subscription a case enabled would deliver in the background and change the
  // watched tables between two cases: each route's cases end by disabling them all.
  'POST /api/webhooks/subscriptions': { group: 'admin', examples: () => [subscription], cleanUp: quietWebhooks },
  'PATCH /api/webhooks/subscriptions/:id': { group: 'admin', params: (fx) => ({ id: fx.ids.subscription! }), examples: () => [subscription, { enabled: false }], cleanUp: quietWebhooks },
  'DELETE /api/webhooks/subscriptions/:id': { group: 'admin', params: () => ({ id: '00000000-0000-4000-8000-000000000000' }) },
  'POST /api/webhooks/subscriptions/:id/rotate-secret': { group: 'admin', params: (fx) => ({ id: fx.ids.subscription! }), examples: () => [{}] },
  'POST /api/webhooks/subscriptions/:id/deliveries/:deliveryId/resend': {
    group: 'admin',
    params: (fx) => ({ id: fx.ids.subscription!, deliveryId: '00000000-0000-4000-8000-000000000000' }),
    exampleRefused: [404],
    examples: () => [{}],
  },
  'POST /api/webhooks/hooks': { group: 'admin', examples: () => [{ name: '外部系统', definitionKey: 'complaint_handling', runAs: 'zhangsan' }] },
  'PATCH /api/webhooks/hooks/:id': { group: 'admin', params: (fx) => ({ id: fx.ids.hook! }), examples: () => [{ enabled: true }] },
  'DELETE /api/webhooks/hooks/:id': { group: 'admin', params: () => ({ id: '00000000-0000-4000-8000-000000000000' }) },
  'POST /api/hooks/:id': {
    group: 'admin',
    token: 'anonymous',
    params: (fx) => ({ id: fx.ids.hook! }),
    headers: (fx) => ({ 'x-liuzhuan-secret': fx.ids.hookSecret! }),
    examples: () => [{ customer: '外部客户', category: 'quality', severity: 'low', description: '来自外部系统', received_at: '2026-04-02T14:00:00+08:00' }],
  },
};
