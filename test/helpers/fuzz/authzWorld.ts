/**
 * The world of the authorization matrix (test/integration/authz-matrix.test.ts): the
 * key-account template's demo org plus xiaoming, a second member of sales, and per person
 * their own objects (a customer they own, an instance they started with a task assigned to
 * them, a CC entry, a notification, an import) next to zhangsan's, the "someone else" of sales.
 */
import { randomBytes } from 'node:crypto';
import type { TestServer } from '../server.ts';

export const ROLES = ['anon', 'staff', 'member', 'head', 'admin'] as const;
export type Role = (typeof ROLES)[number];
export type Whose = 'own' | 'other';
/** Who plays each role; `other` objects belong to zhangsan (sales). */
export const PERSON: Record<Exclude<Role, 'anon'>, string> = { staff: 'wangwu', member: 'xiaoming', head: 'zhaoliu', admin: 'admin' };
const OTHER = 'zhangsan';

export interface Req {
  path: string;
  body?: unknown;
  multipart?: { name: string; content: string };
  /** A token other than the role's own (logging out must not end the session the other cells use). */
  token?: string;
}
export interface Ctx {
  role: Role;
  whose: Whose;
  /** The username whose object the cell acts on (the caller's own, or zhangsan's). */
  owner: string;
  w: World;
}
export type Exp = number | { own: number; other: number };
export interface Spec {
  expect: Record<Role, Exp>;
  req: (c: Ctx) => Req | Promise<Req>;
}

const FLOW = `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" targetNamespace="http://liuzhuan.dev/authz">
  <process id="az_flow" name="权限流程" isExecutable="true">
    <startEvent id="start"/>
    <userTask id="first" name="第一步" camunda:assignee="\${who}"/>
    <userTask id="second" name="第二步" camunda:assignee="\${who}"/>
    <endEvent id="end"/>
    <sequenceFlow id="f1" sourceRef="start" targetRef="first"/>
    <sequenceFlow id="f2" sourceRef="first" targetRef="second"/>
    <sequenceFlow id="f3" sourceRef="second" targetRef="end"/>
  </process>
</definitions>`;

export const NOWHERE = '00000000-0000-4000-8000-000000000000';

export class World {
  tokens: Record<string, string> = {};
  ids: Record<string, string> = {};
  /** Per username: their customer, instance, task (at `second`), cc entry, notification, import. */
  own: Record<string, Record<string, string>> = {};

  constructor(readonly t: TestServer) {}

  async as(username: string | undefined, method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
    return this.t.request(method, path, { token: username ? this.tokens[username] : undefined, body });
  }

  private async ok(username: string, method: string, path: string, body?: unknown): Promise<any> {
    const answer = await this.as(username, method, path, body);
    if (answer.status >= 300) throw new Error(`authz world: ${username} ${method} ${path}: ${answer.status} ${JSON.stringify(answer.body).slice(0, 400)}`);
    return answer.body;
  }

  readonly passwords: Record<string, string> = {};

  async setUp(adminToken: string, adminPassword: string): Promise<void> {
    this.tokens.admin = adminToken;
    this.passwords.admin = adminPassword;
    this.passwords.xiaoming = 'xiaoming-Pass-1';
    for (const name of ['wangwu', 'zhaoliu', 'zhangsan']) this.passwords[name] = 'demo123';
    const departments = await this.ok('admin', 'GET', '/api/departments');
    const sales = departments.find((d: { code: string }) => d.code === 'sales');
    this.ids.sales = sales.id;
    this.ids.finance = departments.find((d: { code: string }) => d.code === 'finance').id;
    this.ids.xiaoming = (await this.ok('admin', 'POST', '/api/users', { username: 'xiaoming', displayName: '小明', password: 'xiaoming-Pass-1', role: 'staff', departmentIds: [sales.id], roles: ['sales'] })).id;
    for (const name of ['wangwu', 'zhaoliu', 'zhangsan']) this.tokens[name] = await this.t.login(name, 'demo123');
    this.tokens.xiaoming = await this.t.login('xiaoming', 'xiaoming-Pass-1');
    const users = await this.ok('admin', 'GET', '/api/users');
    for (const user of users) this.ids[user.username] = user.id;
    await this.ok('admin', 'POST', '/api/definitions', { xml: FLOW });
    await this.ok('admin', 'POST', '/api/forms', { key: 'az_form', title: '权限表单', schema: { type: 'object', properties: { title: { type: 'string' } } } });
    const first = async (path: string) => {
      const list = await this.ok('admin', 'GET', path);
      return (list.items ?? list)[0].id as string;
    };
    this.ids.dashboard = await first('/api/dashboards');
    this.ids.automation = await first('/api/automations');
    this.ids.permissionGroup = await first('/api/forms/customer_profile/permission-groups');
    const link = await this.ok('admin', 'POST', '/api/forms/az_form/public-links', { title: '外链', maxUses: 1000 });
    this.ids.publicLink = link.id;
    this.ids.publicToken = link.token ?? String(link.url).split('/').pop();
    this.ids.subscription = (await this.ok('admin', 'POST', '/api/webhooks/subscriptions', { name: 's', url: 'https://example.invalid/h', events: ['record.created'], enabled: false })).id;
    const hook = await this.ok('admin', 'POST', '/api/webhooks/hooks', { name: 'h', definitionKey: 'complaint_handling' });
    this.ids.hook = hook.id;
    this.ids.hookSecret = hook.secret;
    this.ids.definition = (await this.t.server.ctx.db('process_definitions').where({ key: 'az_flow' }).first('id')).id;
    this.ids.job = (await this.t.server.ctx.db('jobs').first('id'))?.id ?? NOWHERE;
    // Everyone may add to and import into az_form, so each person has an import of their own.
    await this.ok('admin', 'POST', '/api/forms/az_form/permission-groups', { name: '所有人', members: { everyone: true }, actions: ['view', 'add', 'import'], fields: { visible: '*', editable: '*' } });
    const complaint = await this.ok('admin', 'POST', '/api/forms/complaint/records', {
      data: { customer: '客户', category: 'billing', severity: 'low', description: 'd', received_at: '2026-04-02T14:00:00+08:00', status: 'open' },
    });
    this.ids.ticket = (await this.t.server.ctx.db('tickets').where({ record_id: complaint.id }).first('id')).id;
    await Promise.all([...Object.values(PERSON), OTHER].map((name) => this.ownObjects(name)));
  }

  private async ownObjects(username: string): Promise<void> {
    const mine: Record<string, string> = {};
    this.own[username] = mine;
    mine.customer = await this.customer(username);
    const flow = await this.instance(username);
    mine.instance = flow.instance;
    mine.task = flow.task;
    await this.ok('admin', 'POST', `/api/instances/${flow.instance}/cc`, { usernames: [username] });
    mine.cc = (await this.t.server.ctx.db('cc_entries').where({ username }).first('id'))?.id ?? NOWHERE;
    const [notification] = await this.t.server.ctx.db('notifications').insert({ username, title: '通知', body: '正文' }).returning('id');
    mine.notification = notification.id;
    mine.import = await this.upload(username);
  }

  /** A customer profile owned by `owner` (made by the admin). */
  async customer(owner: string): Promise<string> {
    const data = { name: `权限客户 ${randomBytes(3).toString('hex')}`, tier: 'A', owner, contact: '王先生', phone: '13800000000' };
    return (await this.ok('admin', 'POST', '/api/forms/customer_profile/records', { data })).id;
  }

  /** An az_flow instance `starter` started, its task at `second` assigned to them. */
  async instance(starter: string): Promise<{ instance: string; task: string }> {
    const started = await this.ok(starter, 'POST', '/api/instances', { definitionKey: 'az_flow', variables: { who: starter } });
    const db = this.t.server.ctx.db;
    const first = await db('tasks').where({ instance_id: started.id, element_id: 'first' }).first('id');
    await this.ok(starter, 'POST', `/api/tasks/${first.id}/complete`, {});
    const second = await db('tasks').where({ instance_id: started.id, element_id: 'second', status: 'open' }).first('id');
    return { instance: started.id, task: second.id };
  }

  async upload(username: string): Promise<string> {
    const form = new FormData();
    form.append('file', new Blob(['title\n一\n'], { type: 'text/csv' }), 'a.csv');
    const response = await fetch(`${this.t.url}/api/forms/az_form/imports`, { method: 'POST', headers: { authorization: `Bearer ${this.tokens[username]}` }, body: form });
    const body = (await response.json()) as { id?: string };
    return body.id ?? NOWHERE;
  }

  /** A fresh object per cell for routes that consume it. */
  async fresh(kind: string, owner: string): Promise<string> {
    const stamp = randomBytes(3).toString('hex');
    switch (kind) {
      case 'customer':
        return this.customer(owner);
      case 'task':
        return (await this.instance(owner)).task;
      case 'instance':
        return (await this.instance(owner)).instance;
      case 'role':
        await this.ok('admin', 'POST', '/api/roles', { code: `az_${stamp}`, name: stamp });
        return `az_${stamp}`;
      case 'dashboard':
        return (await this.ok('admin', 'POST', '/api/dashboards', { title: `看板 ${stamp}`, widgets: [] })).id;
      case 'automation':
        return (await this.ok('admin', 'POST', '/api/automations', { name: stamp, trigger: 'record.created', formKey: 'az_form', actions: [{ type: 'notify', to: ['admin'], template: 'task_due' }], enabled: false })).id;
      case 'group':
        return (await this.ok('admin', 'POST', '/api/forms/az_form/permission-groups', { name: stamp, members: { everyone: true }, actions: ['view'], fields: { visible: '*', editable: '*' } })).id;
      case 'subscription':
        return (await this.ok('admin', 'POST', '/api/webhooks/subscriptions', { name: stamp, url: 'https://example.invalid/h', events: ['record.created'], enabled: false })).id;
      case 'hook':
        return (await this.ok('admin', 'POST', '/api/webhooks/hooks', { name: stamp, definitionKey: 'complaint_handling' })).id;
      case 'ticket': {
        const data = { customer: '客户', category: 'billing', severity: 'low', description: stamp, received_at: '2026-04-02T14:00:00+08:00', status: 'open' };
        const record = await this.ok('admin', 'POST', '/api/forms/complaint/records', { data });
        return (await this.t.server.ctx.db('tickets').where({ record_id: record.id }).first('id')).id;
      }
      case 'link':
        return (await this.ok('admin', 'POST', '/api/forms/az_form/public-links', { title: stamp })).id;
      default:
        throw new Error(`no fresh ${kind}`);
    }
  }
}

/** One cell: the role's request on its own or zhangsan's object; the status and, for a mismatch, what came back. */
export async function runCell(w: World, spec: Spec, route: string, role: Role, whose: Whose): Promise<{ status: number; detail: string }> {
  const owner = role !== 'anon' && whose === 'own' ? PERSON[role] : OTHER;
  const req = await spec.req({ role, whose, owner, w });
  const method = route.split(' ')[0]!;
  const token = req.token ?? (role === 'anon' ? undefined : w.tokens[PERSON[role]]);
  const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  let body: string | FormData | undefined;
  if (req.multipart) {
    body = new FormData();
    body.append('file', new Blob([req.multipart.content]), req.multipart.name);
  } else if (req.body !== undefined) {
    body = JSON.stringify(req.body);
    headers['content-type'] = 'application/json';
  }
  const response = await fetch(`${w.t.url}${req.path}`, { method, headers, body, signal: AbortSignal.timeout(20_000) });
  const text = await response.text();
  return { status: response.status, detail: text.slice(0, 200) };
}
