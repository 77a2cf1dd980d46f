/**
 * The objects the fuzz suites aim at, made over the real HTTP API on a server with the
 * key-account template app (its forms, processes, routing, automations, dashboards and
 * templates): a simple form with records, processes with an approval task, a timer and a
 * message wait, a user, a department, a role, a public link, an import. A route's fuzzing may
 * consume one (a 2xx withdraw, delete or approve): `fresh()` makes another.
 */
import type { Knex } from 'knex';

/** BPMN definitions around `body` (test/helpers/engine.ts has the same, but imports vitest, which `npm run fuzz` runs without). */
const bpmn = (body: string, extra = '') => `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn"
  xmlns:liuzhuan="http://liuzhuan.dev/schema/bpmn/1.0" targetNamespace="http://liuzhuan.dev/fuzz">${extra}${body}</definitions>`;
const flow = (source: string, target: string) => `<sequenceFlow id="${source}-${target}" sourceRef="${source}" targetRef="${target}"/>`;

export interface Api {
  url: string;
  request(method: string, path: string, options?: { token?: string; body?: unknown }): Promise<{ status: number; body: any }>;
}

export const FUZZ_FORM = 'fz_notes';
export const FUZZ_FORM_SCHEMA = {
  type: 'object',
  required: ['title'],
  additionalProperties: false,
  properties: {
    title: { type: 'string', title: '标题', minLength: 1, maxLength: 200 },
    amount: { type: 'number', title: '金额', minimum: 0, maximum: 1e12 },
    kind: { type: 'string', title: '类别', enum: ['a', 'b'] },
    when: { type: 'string', title: '日期', format: 'date' },
    tags: { type: 'array', title: '标签', items: { type: 'string', maxLength: 50 }, maxItems: 20 },
  },
};
export const FUZZ_RECORD = { title: '样例 note', amount: 12.5, kind: 'a', when: '2026-01-31', tags: ['甲', 'b'] };

const FLOW = bpmn(`<process id="fz_flow" name="Fuzz flow" isExecutable="true">
  <startEvent id="start"/>
  <userTask id="first" name="第一步" camunda:assignee="admin"/>
  <userTask id="review" name="审批">
    <extensionElements><liuzhuan:approval mode="single"><liuzhuan:assignee type="user" value="admin"/></liuzhuan:approval></extensionElements>
  </userTask>
  <endEvent id="end"/>
  ${flow('start', 'first')}${flow('first', 'review')}${flow('review', 'end')}
</process>
<process id="fz_timer" isExecutable="true">
  <startEvent id="t_start"/>
  <intermediateCatchEvent id="t_wait"><timerEventDefinition><timeDuration>PT1H</timeDuration></timerEventDefinition></intermediateCatchEvent>
  <endEvent id="t_end"/>
  ${flow('t_start', 't_wait')}${flow('t_wait', 't_end')}
</process>
<process id="fz_message" isExecutable="true">
  <startEvent id="m_start"/>
  <intermediateCatchEvent id="m_wait"><messageEventDefinition messageRef="fzMessage"/></intermediateCatchEvent>
  <endEvent id="m_end"/>
  ${flow('m_start', 'm_wait')}${flow('m_wait', 'm_end')}
</process>`, '<message id="fzMessage" name="fz_message"/>');

export class Fixture {
  ids: Record<string, string> = {};

  constructor(
    readonly api: Api,
    readonly db: Knex,
    readonly admin: string,
  ) {}

  private async call(method: string, path: string, body?: unknown, expected = [200, 201]): Promise<any> {
    const answer = await this.api.request(method, path, { token: this.admin, body });
    if (!expected.includes(answer.status)) throw new Error(`fixture ${method} ${path}: ${answer.status} ${JSON.stringify(answer.body).slice(0, 500)}`);
    return answer.body;
  }

  async setUp(): Promise<void> {
    await this.call('POST', '/api/forms', { key: FUZZ_FORM, title: '模糊测试', schema: FUZZ_FORM_SCHEMA });
    await this.call('POST', '/api/definitions', { xml: FLOW });
    this.ids.user = (await this.call('POST', '/api/users', { username: 'fz_user', displayName: '模糊', password: 'fuzz-Password-1', role: 'staff' })).id;
    this.ids.department = (await this.call('POST', '/api/departments', { code: 'fz_dept', name: '模糊部' })).id;
    await this.call('POST', '/api/roles', { code: 'fz_role', name: '模糊角色' });
    const groups = await this.call('GET', '/api/forms/customer_profile/permission-groups');
    this.ids.permissionGroup = (groups.items ?? groups)[0].id;
    const dashboards = await this.call('GET', '/api/dashboards');
    this.ids.dashboard = (dashboards.items ?? dashboards)[0].id;
    const automations = await this.call('GET', '/api/automations');
    this.ids.automation = (automations.items ?? automations)[0].id;
    const link = await this.call('POST', `/api/forms/${FUZZ_FORM}/public-links`, { title: '外链', maxUses: 100000 });
    this.ids.publicLink = link.id;
    this.ids.publicToken = link.token ?? String(link.url).split('/').pop();
    const subscription = await this.call('POST', '/api/webhooks/subscriptions', { name: '订阅', url: 'https://example.invalid/hook', events: ['record.created'], enabled: false });
    this.ids.subscription = subscription.id;
    const hook = await this.call('POST', '/api/webhooks/hooks', { name: '钩子', definitionKey: 'complaint_handling' });
    this.ids.hook = hook.id;
    this.ids.hookSecret = hook.secret;
    await this.fresh('record');
    await this.fresh('customer');
    await this.fresh('task');
    await this.fresh('instance');
    await this.fresh('job');
    await this.fresh('ticket');
    await this.fresh('import');
  }

  /** Makes a new object of a kind (after a 2xx consumed the last one). */
  async fresh(kind: string): Promise<void> {
    switch (kind) {
      case 'record':
        this.ids.record = (await this.call('POST', `/api/forms/${FUZZ_FORM}/records`, { data: FUZZ_RECORD })).id;
        return;
      case 'customer':
        this.ids.customer = (
          await this.call('POST', '/api/forms/customer_profile/records', { data: { name: '模糊客户', tier: 'A', owner: 'admin', contact: '王先生', phone: '13800000000' } })
        ).id;
        return;
      case 'instance':
        this.ids.instance = (await this.call('POST', '/api/instances', { definitionKey: 'fz_flow', businessKey: 'FZ' })).id;
        return;
      case 'task': {
        const instance = await this.call('POST', '/api/instances', { definitionKey: 'fz_flow' });
        const first = await this.db('tasks').where({ instance_id: instance.id, element_id: 'first' }).first('id');
        await this.call('POST', `/api/tasks/${first.id}/complete`, {});
        const review = await this.db('tasks').where({ instance_id: instance.id, element_id: 'review' }).where({ status: 'open' }).first('id');
        this.ids.taskInstance = instance.id;
        this.ids.task = review.id;
        return;
      }
      case 'job': {
        const instance = await this.call('POST', '/api/instances', { definitionKey: 'fz_timer' });
        this.ids.job = (await this.db('jobs').where({ instance_id: instance.id }).first('id')).id;
        return;
      }
      case 'ticket': {
        const data = { customer: '模糊客户', category: 'billing', severity: 'low', description: '账单有误', received_at: '2026-04-02T14:00:00+08:00', status: 'open' };
        const record = await this.call('POST', '/api/forms/complaint/records', { data });
        this.ids.ticket = (await this.db('tickets').where({ record_id: record.id }).first('id')).id;
        return;
      }
      case 'import': {
        const form = new FormData();
        form.append('file', new Blob(['标题,金额\n一,1\n二,2\n'], { type: 'text/csv' }), 'fuzz.csv');
        const response = await fetch(`${this.api.url}/api/forms/${FUZZ_FORM}/imports`, { method: 'POST', headers: { authorization: `Bearer ${this.admin}` }, body: form });
        const body = (await response.json()) as { id: string };
        if (response.status !== 201) throw new Error(`fixture import upload: ${response.status} ${JSON.stringify(body)}`);
        this.ids.import = body.id;
        return;
      }
      default:
        throw new Error(`no fixture kind ${kind}`);
    }
  }
}
