/**
 * Who may call each route: the declared answer per role (anon, staff, member of the involved
 * department, its head, admin) and, where an object belongs to someone, on the caller's own
 * object and on zhangsan's. A new route fails authz-matrix.test.ts until it is declared here.
 *
 * Reading a cell: 401 not logged in; 403 logged in but not allowed; 404 the object is hidden
 * from the caller (as if it did not exist) or, with NOWHERE ids, the route let the caller
 * through to the lookup; any 2xx the act was done. A body is realistic so that authorization,
 * not validation, decides.
 */
import { NOWHERE, PERSON, type Ctx, type Exp, type Role, type Spec } from './authzWorld.ts';

const all = (status: number): Record<Role, Exp> => ({ anon: status, staff: status, member: status, head: status, admin: status });
/** Admins only. */
const ADMIN = (ok: number): Record<Role, Exp> => ({ anon: 401, staff: 403, member: 403, head: 403, admin: ok });
/** Any logged-in user. */
const USER = (ok: number): Record<Role, Exp> => ({ anon: 401, staff: ok, member: ok, head: ok, admin: ok });
const O = (own: number, other: number): Exp => ({ own, other });

const own = (c: Ctx, kind: string) => c.w.own[c.owner]![kind]!;
const fresh = (kind: string) => (c: Ctx) => c.w.fresh(kind, c.owner);
const s = (path: string, body?: unknown) => () => ({ path, body });
const customerRecord = (c: Ctx) => `/api/forms/customer_profile/records/${own(c, 'customer')}`;
const task = (c: Ctx) => `/api/tasks/${own(c, 'task')}`;
const instance = (c: Ctx) => `/api/instances/${own(c, 'instance')}`;
const customer = { name: '新客户', tier: 'B', owner: 'zhangsan', contact: '李先生', phone: '13900000000' };
const complaint = { customer: '客户', category: 'quality', severity: 'low', description: '描述', received_at: '2026-04-02T14:00:00+08:00' };
const identifiers = { identifiers: { phone: '13800000000' } };
const group = { name: '组', members: { everyone: true }, actions: ['view'], fields: { visible: '*', editable: '*' } };
const dashboard = { title: '看板', widgets: [] };
const automation = { name: 'a', trigger: 'record.created', formKey: 'az_form', actions: [{ type: 'notify', to: ['admin'], template: 'task_due' }], enabled: false };
const chart = { source: { kind: 'tasks' }, dimensions: [{ field: 'status' }], measures: [{ agg: 'count' }] };

export const AUTHZ: Record<string, Spec> = {
  // System, auth
  'GET /api/health': { expect: all(200), req: s('/api/health') },
  'GET /api/ready': { expect: all(200), req: s('/api/ready') },
  'GET /api/openapi.json': { expect: all(200), req: s('/api/openapi.json') },
  'POST /api/auth/login': { expect: all(401), req: s('/api/auth/login', { username: 'zhangsan', password: 'not-the-password' }) },
  'POST /api/auth/logout': {
    expect: USER(204),
    req: async (c) => ({ path: '/api/auth/logout', token: c.role === 'anon' ? undefined : await c.w.t.login(PERSON[c.role], c.w.passwords[PERSON[c.role]]!) }),
  },
  'GET /api/auth/me': { expect: USER(200), req: s('/api/auth/me') },
  'GET /api/apps': { expect: ADMIN(200), req: s('/api/apps') },
  'GET /api/apps/:key/package': { expect: ADMIN(200), req: s('/api/apps/key-account/package') },
  'GET /api/apps/packages/installed': { expect: ADMIN(200), req: s('/api/apps/packages/installed') },
  // Not a package: refused once the caller is known to be an admin.
  'POST /api/apps/packages/preview': { expect: ADMIN(422), req: () => ({ path: '/api/apps/packages/preview', multipart: { name: 'app.json', content: 'not a package' } }) },
  'POST /api/apps/packages/import': { expect: ADMIN(422), req: () => ({ path: '/api/apps/packages/import', multipart: { name: 'app.json', content: 'not a package' } }) },
  // Organisation
  'GET /api/users': { expect: USER(200), req: s('/api/users') },
  'POST /api/users': { expect: ADMIN(201), req: () => ({ path: '/api/users', body: { username: `u${Math.random().toString(36).slice(2, 8)}`, displayName: 'u', password: 'Some-password-1', role: 'staff' } }) },
  'PATCH /api/users/:id': { expect: ADMIN(200), req: (c) => ({ path: `/api/users/${c.w.ids.zhangsan}`, body: { displayName: '张三' } }) },
  'GET /api/departments': { expect: USER(200), req: s('/api/departments') },
  'POST /api/departments': { expect: ADMIN(201), req: () => ({ path: '/api/departments', body: { code: `d${Math.random().toString(36).slice(2, 8)}`, name: 'd' } }) },
  'PATCH /api/departments/:id': { expect: ADMIN(200), req: (c) => ({ path: `/api/departments/${c.w.ids.sales}`, body: { nameEn: 'Sales' } }) },
  'PUT /api/departments/:id/members': { expect: ADMIN(200), req: (c) => ({ path: `/api/departments/${c.w.ids.sales}/members`, body: { userIds: [c.w.ids.zhaoliu, c.w.ids.zhangsan, c.w.ids.xiaoming] } }) },
  'GET /api/departments/:id/queue': { expect: { anon: 401, staff: 403, member: 200, head: 200, admin: 200 }, req: (c) => ({ path: `/api/departments/${c.w.ids.sales}/queue` }) },
  'GET /api/roles': { expect: USER(200), req: s('/api/roles') },
  'POST /api/roles': { expect: ADMIN(201), req: () => ({ path: '/api/roles', body: { code: `r${Math.random().toString(36).slice(2, 8)}`, name: 'r' } }) },
  'PUT /api/roles/:code': { expect: ADMIN(200), req: s('/api/roles/sales', { name: '销售' }) },
  'DELETE /api/roles/:code': { expect: ADMIN(204), req: async (c) => ({ path: `/api/roles/${await c.w.fresh('role', c.owner)}` }) },
  // Forms and records (the permission groups of templates/key-account/permissions.json decide; data-permissions-matrix.test.ts goes deeper)
  'GET /api/forms': { expect: USER(200), req: s('/api/forms') },
  'POST /api/forms': { expect: ADMIN(201), req: s('/api/forms', { key: 'az_form', title: '权限表单', schema: { type: 'object', properties: { title: { type: 'string' } } } }) },
  'GET /api/forms/:key': { expect: USER(200), req: s('/api/forms/customer_profile') },
  'GET /api/forms/:key/records': { expect: USER(200), req: s('/api/forms/customer_profile/records') },
  'POST /api/forms/:key/records': { expect: { anon: 401, staff: 403, member: 201, head: 201, admin: 201 }, req: s('/api/forms/customer_profile/records', { data: customer }) },
  'GET /api/forms/:key/records/export': { expect: { anon: 401, staff: 200, member: 403, head: 200, admin: 200 }, req: s('/api/forms/customer_profile/records/export') },
  'GET /api/forms/:key/records/export.xlsx': { expect: { anon: 401, staff: 200, member: 403, head: 200, admin: 200 }, req: s('/api/forms/customer_profile/records/export.xlsx') },
  'GET /api/forms/:key/records/:id': { expect: { anon: 401, staff: O(200, 200), member: O(200, 404), head: O(200, 200), admin: O(200, 200) }, req: (c) => ({ path: customerRecord(c) }) },
  'PUT /api/forms/:key/records/:id': {
    expect: { anon: 401, staff: O(403, 403), member: O(200, 404), head: O(200, 200), admin: O(200, 200) },
    req: async (c) => ({ path: customerRecord(c), body: { data: { ...customer, owner: c.owner } } }),
  },
  'DELETE /api/forms/:key/records/:id': {
    expect: { anon: 401, staff: O(403, 403), member: O(403, 404), head: O(403, 403), admin: O(204, 204) },
    req: async (c) => ({ path: `/api/forms/customer_profile/records/${await c.w.fresh('customer', c.owner)}` }),
  },
  'GET /api/forms/:key/records/:id/print': { expect: { anon: 401, staff: O(403, 403), member: O(200, 404), head: O(200, 200), admin: O(200, 200) }, req: (c) => ({ path: `${customerRecord(c)}/print` }) },
  'GET /api/forms/:key/records/:id/starts': { expect: { anon: 401, staff: O(200, 200), member: O(200, 404), head: O(200, 200), admin: O(200, 200) }, req: (c) => ({ path: `${customerRecord(c)}/starts` }) },
  'POST /api/forms/:key/records/:id/starts/:definitionKey': {
    expect: { anon: 401, staff: O(201, 201), member: O(201, 404), head: O(201, 201), admin: O(201, 201) },
    req: async (c) => ({ path: `/api/forms/customer_profile/records/${await c.w.fresh('customer', c.owner)}/starts/revisit` }),
  },
  'POST /api/forms/:key/records/:id/unmask': { expect: { anon: 401, staff: O(403, 403), member: O(403, 404), head: O(403, 403), admin: O(200, 200) }, req: (c) => ({ path: `${customerRecord(c)}/unmask`, body: {} }) },
  'POST /api/forms/:key/submit': { expect: USER(201), req: s('/api/forms/complaint/submit', { data: complaint }) },
  'GET /api/flow-forms': { expect: USER(200), req: s('/api/flow-forms') },
  'GET /api/flow-forms/:formKey': { expect: USER(200), req: s('/api/flow-forms/complaint') },
  'GET /api/forms/:key/permission-groups': { expect: ADMIN(200), req: s('/api/forms/customer_profile/permission-groups') },
  'POST /api/forms/:key/permission-groups': { expect: ADMIN(201), req: s('/api/forms/az_form/permission-groups', group) },
  'PUT /api/forms/:key/permission-groups/:id': { expect: ADMIN(200), req: async (c) => ({ path: `/api/forms/az_form/permission-groups/${await c.w.fresh('group', c.owner)}`, body: group }) },
  'DELETE /api/forms/:key/permission-groups/:id': { expect: ADMIN(204), req: async (c) => ({ path: `/api/forms/az_form/permission-groups/${await c.w.fresh('group', c.owner)}` }) },
  'GET /api/forms/:key/access-settings': { expect: ADMIN(200), req: s('/api/forms/customer_profile/access-settings') },
  'PUT /api/forms/:key/access-settings': { expect: ADMIN(200), req: s('/api/forms/customer_profile/access-settings', { ownerField: 'owner' }) },
  'GET /api/forms/:key/my-access': { expect: USER(200), req: s('/api/forms/customer_profile/my-access') },
  'GET /api/forms/:key/retention': { expect: ADMIN(200), req: s('/api/forms/az_form/retention') },
  'PUT /api/forms/:key/retention': { expect: ADMIN(200), req: s('/api/forms/az_form/retention', { retention: null }) },
  'GET /api/templates/print': { expect: ADMIN(200), req: s('/api/templates/print') },
  'GET /api/templates/print/:key': { expect: ADMIN(200), req: s('/api/templates/print/complaint_card') },
  'PUT /api/templates/print/:key': { expect: ADMIN(200), req: s('/api/templates/print/az_print', { formKey: 'az_form', title: 't', body: '<p>{{title}}</p>' }) },
  // Imports: the uploader or an admin
  'POST /api/forms/:key/imports': { expect: USER(201), req: () => ({ path: '/api/forms/az_form/imports', multipart: { name: 'a.csv', content: 'title\n一\n' } }) },
  'GET /api/forms/:key/imports/:id': { expect: { anon: 401, staff: O(200, 404), member: O(200, 404), head: O(200, 404), admin: O(200, 200) }, req: (c) => ({ path: `/api/forms/az_form/imports/${own(c, 'import')}` }) },
  'POST /api/forms/:key/imports/:id/preview': { expect: { anon: 401, staff: O(200, 404), member: O(200, 404), head: O(200, 404), admin: O(200, 200) }, req: (c) => ({ path: `/api/forms/az_form/imports/${own(c, 'import')}/preview`, body: { mapping: ['title'] } }) },
  'POST /api/forms/:key/imports/:id/start': {
    expect: { anon: 401, staff: O(202, 404), member: O(202, 404), head: O(202, 404), admin: O(202, 202) },
    req: async (c) => ({ path: `/api/forms/az_form/imports/${await c.w.upload(c.owner)}/start`, body: { mapping: ['title'], mode: 'skip_bad_rows' } }),
  },
  'POST /api/forms/:key/imports/:id/cancel': { expect: { anon: 401, staff: O(200, 404), member: O(200, 404), head: O(200, 404), admin: O(200, 200) }, req: (c) => ({ path: `/api/forms/az_form/imports/${own(c, 'import')}/cancel` }) },
  'GET /api/forms/:key/imports/:id/report': { expect: { anon: 401, staff: O(200, 404), member: O(200, 404), head: O(200, 404), admin: O(200, 200) }, req: (c) => ({ path: `/api/forms/az_form/imports/${own(c, 'import')}/report` }) },
  // Processes
  'GET /api/definitions': { expect: USER(200), req: s('/api/definitions') },
  'POST /api/definitions': { expect: ADMIN(201), req: s('/api/definitions', { xml: '<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" targetNamespace="t"><process id="az_other" isExecutable="true"><startEvent id="s"/></process></definitions>' }) },
  'GET /api/definitions/:id/xml': { expect: USER(200), req: (c) => ({ path: `/api/definitions/${c.w.ids.definition}/xml` }) },
  'GET /api/definitions/:key/latest': { expect: USER(200), req: s('/api/definitions/az_flow/latest') },
  'GET /api/definitions/:key/heatmap': { expect: USER(200), req: s('/api/definitions/az_flow/heatmap') },
  'GET /api/definitions/:key/heatmap/:elementId/instances': { expect: USER(200), req: s('/api/definitions/az_flow/heatmap/second/instances') },
  // az_flow has one version: an admin reaches the lookup (404 no version 2), nobody else gets that far.
  'GET /api/definitions/:key/migration-plan': { expect: ADMIN(404), req: s('/api/definitions/az_flow/migration-plan?from=1&to=2') },
  'POST /api/definitions/:key/migrate': { expect: ADMIN(404), req: s('/api/definitions/az_flow/migrate', { from: 1, to: 2 }) },
  'GET /api/instances': { expect: ADMIN(200), req: s('/api/instances') },
  'POST /api/instances': { expect: USER(201), req: s('/api/instances', { definitionKey: 'az_flow', variables: { who: 'zhangsan' } }) },
  'GET /api/instances/:id': { expect: { anon: 401, staff: O(200, 404), member: O(200, 404), head: O(200, 200), admin: O(200, 200) }, req: (c) => ({ path: instance(c) }) },
  'GET /api/instances/:id/diagram': { expect: { anon: 401, staff: O(200, 404), member: O(200, 404), head: O(200, 200), admin: O(200, 200) }, req: (c) => ({ path: `${instance(c)}/diagram` }) },
  'GET /api/instances/:id/history': { expect: { anon: 401, staff: O(200, 404), member: O(200, 404), head: O(200, 200), admin: O(200, 200) }, req: (c) => ({ path: `${instance(c)}/history` }) },
  'GET /api/instances/:id/approvals': { expect: { anon: 401, staff: O(200, 404), member: O(200, 404), head: O(200, 200), admin: O(200, 200) }, req: (c) => ({ path: `${instance(c)}/approvals` }) },
  'GET /api/instances/:id/actions': { expect: { anon: 401, staff: O(200, 404), member: O(200, 404), head: O(200, 200), admin: O(200, 200) }, req: (c) => ({ path: `${instance(c)}/actions` }) },
  'GET /api/instances/:id/public-links': { expect: { anon: 401, staff: O(200, 404), member: O(200, 404), head: O(200, 200), admin: O(200, 200) }, req: (c) => ({ path: `${instance(c)}/public-links` }) },
  // Withdraw and CC answer 403 (not 404) on an instance the caller cannot read: they name the rule.
  'POST /api/instances/:id/withdraw': {
    expect: { anon: 401, staff: O(200, 403), member: O(200, 403), head: O(200, 403), admin: O(200, 200) },
    req: async (c) => ({ path: `/api/instances/${await c.w.fresh('instance', c.owner)}/withdraw`, body: { comment: '撤回' } }),
  },
  'POST /api/instances/:id/cc': { expect: { anon: 401, staff: O(201, 403), member: O(201, 403), head: O(201, 201), admin: O(201, 201) }, req: (c) => ({ path: `${instance(c)}/cc`, body: { usernames: ['lisi'] } }) },
  // Who may correlate a message or throw a signal is the model's (liuzhuan:access, message-access.test.ts): nobody waits here.
  'POST /api/messages': { expect: USER(404), req: s('/api/messages', { messageName: 'az_nothing' }) },
  'POST /api/signals': { expect: USER(200), req: s('/api/signals', { signalName: 'az_nothing' }) },
  'GET /api/jobs': { expect: ADMIN(200), req: s('/api/jobs') },
  'POST /api/jobs/:id/execute': { expect: ADMIN(404), req: () => ({ path: `/api/jobs/${NOWHERE}/execute` }) },
  'GET /api/incidents': { expect: ADMIN(200), req: s('/api/incidents') },
  'POST /api/incidents/:id/retry': { expect: ADMIN(404), req: () => ({ path: `/api/incidents/${NOWHERE}/retry`, body: {} }) },
  // Tasks: the assignee (or candidates); admins all
  'GET /api/tasks': { expect: USER(200), req: s('/api/tasks') },
  'GET /api/tasks/:id': { expect: { anon: 401, staff: O(200, 403), member: O(200, 403), head: O(200, 403), admin: O(200, 200) }, req: (c) => ({ path: task(c) }) },
  'GET /api/tasks/:id/form': { expect: { anon: 401, staff: O(200, 403), member: O(200, 403), head: O(200, 403), admin: O(200, 200) }, req: (c) => ({ path: `${task(c)}/form` }) },
  ...Object.fromEntries(
    (['complete', 'approve', 'reject', 'submit', 'transfer', 'return', 'add-signer', 'claim'] as const).map((action) => {
      const bodies: Record<string, unknown> = { transfer: { to: 'lisi' }, return: { toElementId: 'first' }, 'add-signer': { username: 'lisi', position: 'after' } };
      const ok = action === 'submit' ? 403 : 200;
      return [
        `POST /api/tasks/:id/${action}`,
        {
          // An admin claiming zhangsan's task: 409, it is his already.
          expect: { anon: 401, staff: O(ok, 403), member: O(ok, 403), head: O(ok, 403), admin: O(ok, action === 'claim' ? 409 : ok) },
          req: async (c: Ctx) => ({ path: `/api/tasks/${await c.w.fresh('task', c.owner)}/${action}`, body: bodies[action] ?? {} }),
        } satisfies Spec,
      ];
    }),
  ),
  // Inbox, notifications
  'GET /api/inbox/counts': { expect: USER(200), req: s('/api/inbox/counts') },
  'GET /api/inbox/:box': { expect: USER(200), req: s('/api/inbox/todo') },
  // Always the caller's own list: nobody gets another's, so every user gets a file.
  'GET /api/inbox/:box/export': { expect: USER(200), req: s('/api/inbox/done/export') },
  'POST /api/inbox/cc/:id/read': { expect: { anon: 401, staff: O(200, 404), member: O(200, 404), head: O(200, 404), admin: O(200, 404) }, req: (c) => ({ path: `/api/inbox/cc/${own(c, 'cc')}/read` }) },
  'GET /api/notifications': { expect: USER(200), req: s('/api/notifications') },
  'POST /api/notifications/read-all': { expect: USER(200), req: s('/api/notifications/read-all') },
  'POST /api/notifications/:id/read': { expect: { anon: 401, staff: O(200, 404), member: O(200, 404), head: O(200, 404), admin: O(200, 404) }, req: (c) => ({ path: `/api/notifications/${own(c, 'notification')}/read` }) },
  'GET /api/templates/messages': { expect: ADMIN(200), req: s('/api/templates/messages') },
  'GET /api/templates/messages/:key': { expect: ADMIN(200), req: s('/api/templates/messages/task_due') },
  'PUT /api/templates/messages/:key': { expect: ADMIN(200), req: s('/api/templates/messages/az_message', { channel: 'inApp', body: '你好' }) },
  // Routing and queues
  'GET /api/routing/:formKey': { expect: ADMIN(200), req: s('/api/routing/complaint') },
  'PUT /api/routing/:formKey': { expect: ADMIN(200), req: (c) => ({ path: '/api/routing/az_form', body: { defaultDepartmentId: c.w.ids.sales, rules: [] } }) },
  'POST /api/tickets/:id/claim': { expect: { anon: 401, staff: 200, member: 403, head: 403, admin: 200 }, req: async (c) => ({ path: `/api/tickets/${await c.w.fresh('ticket', c.owner)}/claim` }) },
  'POST /api/tickets/:id/hand-back': { expect: { anon: 401, staff: 409, member: 403, head: 403, admin: 409 }, req: async (c) => ({ path: `/api/tickets/${await c.w.fresh('ticket', c.owner)}/hand-back` }) },
  'POST /api/tickets/:id/close': { expect: { anon: 401, staff: 200, member: 403, head: 403, admin: 200 }, req: async (c) => ({ path: `/api/tickets/${await c.w.fresh('ticket', c.owner)}/close` }) },
  // Automations, tiering, apps
  'GET /api/automations': { expect: ADMIN(200), req: s('/api/automations') },
  'POST /api/automations': { expect: ADMIN(201), req: s('/api/automations', automation) },
  'GET /api/automations/:id': { expect: ADMIN(200), req: (c) => ({ path: `/api/automations/${c.w.ids.automation}` }) },
  'PUT /api/automations/:id': { expect: ADMIN(200), req: async (c) => ({ path: `/api/automations/${await c.w.fresh('automation', c.owner)}`, body: automation }) },
  'DELETE /api/automations/:id': { expect: ADMIN(204), req: async (c) => ({ path: `/api/automations/${await c.w.fresh('automation', c.owner)}` }) },
  'GET /api/automations/:id/runs': { expect: ADMIN(200), req: (c) => ({ path: `/api/automations/${c.w.ids.automation}/runs` }) },
  'POST /api/apps/:app/tiering/run': { expect: ADMIN(200), req: s('/api/apps/key-account/tiering/run') },
  // Public links
  'GET /api/public/links/:token': { expect: all(200), req: (c) => ({ path: `/api/public/links/${c.w.ids.publicToken}` }) },
  'POST /api/public/links/:token': { expect: all(201), req: (c) => ({ path: `/api/public/links/${c.w.ids.publicToken}`, body: { data: { title: '匿名' } } }) },
  'GET /api/forms/:key/public-links': { expect: ADMIN(200), req: s('/api/forms/az_form/public-links') },
  'POST /api/forms/:key/public-links': { expect: ADMIN(201), req: s('/api/forms/az_form/public-links', { title: '外链' }) },
  'POST /api/forms/:key/public-links/:id/revoke': { expect: ADMIN(200), req: async (c) => ({ path: `/api/forms/az_form/public-links/${await c.w.fresh('link', c.owner)}/revoke` }) },
  'GET /api/forms/:key/public-links/:id/answers': { expect: ADMIN(200), req: (c) => ({ path: `/api/forms/az_form/public-links/${c.w.ids.publicLink}/answers` }) },
  // Analytics
  'POST /api/charts/query': { expect: USER(200), req: s('/api/charts/query', chart) },
  'POST /api/charts/rows': { expect: USER(200), req: s('/api/charts/rows', { source: { kind: 'tasks' } }) },
  'GET /api/dashboards': { expect: USER(200), req: s('/api/dashboards') },
  'POST /api/dashboards': { expect: ADMIN(201), req: s('/api/dashboards', dashboard) },
  'GET /api/dashboards/:id': { expect: USER(200), req: (c) => ({ path: `/api/dashboards/${c.w.ids.dashboard}` }) },
  'PUT /api/dashboards/:id': { expect: ADMIN(200), req: async (c) => ({ path: `/api/dashboards/${await c.w.fresh('dashboard', c.owner)}`, body: dashboard }) },
  'DELETE /api/dashboards/:id': { expect: ADMIN(204), req: async (c) => ({ path: `/api/dashboards/${await c.w.fresh('dashboard', c.owner)}` }) },
  // Privacy, audit
  'POST /api/privacy/search': { expect: ADMIN(200), req: s('/api/privacy/search', identifiers) },
  'POST /api/privacy/export': { expect: ADMIN(200), req: s('/api/privacy/export', identifiers) },
  'POST /api/privacy/erase': { expect: ADMIN(200), req: s('/api/privacy/erase', { identifiers: { phone: '13700000000' }, confirm: true }) },
  'GET /api/audit': { expect: ADMIN(200), req: s('/api/audit') },
  'GET /api/audit/export': { expect: ADMIN(200), req: s('/api/audit/export') },
  // Webhooks: admins; an incoming hook by its secret alone
  'GET /api/webhooks/events': { expect: ADMIN(200), req: s('/api/webhooks/events') },
  'GET /api/webhooks/subscriptions': { expect: ADMIN(200), req: s('/api/webhooks/subscriptions') },
  'POST /api/webhooks/subscriptions': { expect: ADMIN(201), req: s('/api/webhooks/subscriptions', { name: 's', url: 'https://example.invalid/h', events: ['record.created'], enabled: false }) },
  'GET /api/webhooks/subscriptions/:id': { expect: ADMIN(200), req: (c) => ({ path: `/api/webhooks/subscriptions/${c.w.ids.subscription}` }) },
  'PATCH /api/webhooks/subscriptions/:id': { expect: ADMIN(200), req: (c) => ({ path: `/api/webhooks/subscriptions/${c.w.ids.subscription}`, body: { enabled: false } }) },
  'DELETE /api/webhooks/subscriptions/:id': { expect: ADMIN(204), req: async (c) => ({ path: `/api/webhooks/subscriptions/${await c.w.fresh('subscription', c.owner)}` }) },
  'POST /api/webhooks/subscriptions/:id/rotate-secret': { expect: ADMIN(200), req: async (c) => ({ path: `/api/webhooks/subscriptions/${await c.w.fresh('subscription', c.owner)}/rotate-secret` }) },
  'GET /api/webhooks/subscriptions/:id/deliveries': { expect: ADMIN(200), req: (c) => ({ path: `/api/webhooks/subscriptions/${c.w.ids.subscription}/deliveries` }) },
  'POST /api/webhooks/subscriptions/:id/deliveries/:deliveryId/resend': { expect: ADMIN(404), req: (c) => ({ path: `/api/webhooks/subscriptions/${c.w.ids.subscription}/deliveries/${NOWHERE}/resend` }) },
  'GET /api/webhooks/hooks': { expect: ADMIN(200), req: s('/api/webhooks/hooks') },
  'POST /api/webhooks/hooks': { expect: ADMIN(201), req: s('/api/webhooks/hooks', { name: 'h', definitionKey: 'complaint_handling' }) },
  'PATCH /api/webhooks/hooks/:id': { expect: ADMIN(200), req: (c) => ({ path: `/api/webhooks/hooks/${c.w.ids.hook}`, body: { enabled: true } }) },
  'DELETE /api/webhooks/hooks/:id': { expect: ADMIN(204), req: async (c) => ({ path: `/api/webhooks/hooks/${await c.w.fresh('hook', c.owner)}` }) },
  // Without the secret the hook refuses everyone; the matrix's callers' tokens do not count.
  'POST /api/hooks/:id': { expect: all(401), req: (c) => ({ path: `/api/hooks/${c.w.ids.hook}`, body: complaint }) },
};
