/**
 * Approver types an admin expects (`<liuzhuan:assignee type value/>`), over real HTTP and
 * PostgreSQL, one test per type: who gets the task, and what happens when the rule finds
 * nobody (the node's fallback: the admins, or skip). The deploy refuses bad rules with a
 * stable code naming the node: an unknown earlier node, a level out of range, a field of the
 * bound form that is not a member / department field.
 *
 * The organisation (test/helpers/approvalOrg.ts): company (head boss) ⊃ sales (zhaoliu;
 * zhaoliu, zhangsan), finance (zhouba; zhouba, wangwu, lisi, gone — inactive), service
 * (sunqi; sunqi, lisi); admin and admin2 are the admins. `routedDepartment` has its own test
 * (ticket-task-link.test.ts).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { approvalProcess, createOrg, type Org } from '../helpers/approvalOrg.ts';
import { bpmn, flow } from '../helpers/engine.ts';
import { useTestServer } from '../helpers/server.ts';

const t = useTestServer();
let org: Org;
const FORM = 'staffing_request';

let counter = 0;
const approval = (rules: string, fallback = 'admin') => `<liuzhuan:approval mode="all" fallback="${fallback}">${rules}</liuzhuan:approval>`;

/** Deploys the one-node approval (`review` → gateway → archive | fix) and starts it as `starter`. */
async function start(rules: string, options: { starter?: string; fallback?: string; variables?: Record<string, unknown> } = {}) {
  const key = `types${++counter}`;
  const deployed = await org.as('admin').post('/api/definitions', { xml: bpmn(approvalProcess(key, approval(rules, options.fallback))) });
  expect(deployed.status).toBe(201);
  const started = await org.as(options.starter ?? 'zhangsan').post('/api/instances', { definitionKey: key, variables: options.variables ?? {} });
  expect(started.status).toBe(201);
  return started.body.id as string;
}

/** A process bound to the form (start → review → end); started by submitting the form. */
function formProcess(key: string, rules: string, fallback = 'admin'): string {
  return bpmn(`<process id="${key}" isExecutable="true">
    <startEvent id="s" camunda:formKey="${FORM}"/>
    <userTask id="review" name="审批"><extensionElements>${approval(rules, fallback)}</extensionElements></userTask>
    <endEvent id="e"/>
    ${flow('s', 'review')}${flow('review', 'e')}
  </process>`);
}

async function submitForm(rules: string, data: Record<string, unknown>, fallback = 'admin') {
  const key = `form${++counter}`;
  const deployed = await org.as('admin').post('/api/definitions', { xml: formProcess(key, rules, fallback) });
  expect(deployed.status).toBe(201);
  const submitted = await org.as('zhangsan').post(`/api/forms/${FORM}/submit`, { data: { title: '招聘', ...data } });
  expect(submitted.status).toBe(201);
  return submitted.body.instance.id as string;
}

/** Who has a task at `review`, checked against the node's progress (rule order). */
async function reviewers(instanceId: string): Promise<string[]> {
  const tasks = (await org.as('admin').get(`/api/tasks?instanceId=${instanceId}`)).body as Array<{ elementId: string; assignee: string | null }>;
  const [progress] = (await org.as('admin').get(`/api/instances/${instanceId}/approvals`)).body;
  expect(tasks.every((task) => task.elementId === 'review')).toBe(true);
  expect(tasks.map((task) => task.assignee).sort()).toEqual([...progress.pending].sort());
  return progress.pending;
}

/** Nobody resolved with fallback admin: each admin gets the task (mode all) and a `fallback` row says why. */
async function expectAdminFallback(instanceId: string) {
  expect(await reviewers(instanceId)).toEqual(['admin', 'admin2']);
  const actions = (await org.as('admin').get(`/api/instances/${instanceId}/actions`)).body;
  expect(actions).toContainEqual(expect.objectContaining({ action: 'fallback', elementId: 'review' }));
}

/** Nobody resolved with fallback skip: the node passed, a `skip` row says why. */
async function expectSkipped(instanceId: string) {
  const actions = (await org.as('admin').get(`/api/instances/${instanceId}/actions`)).body;
  expect(actions).toContainEqual(expect.objectContaining({ action: 'skip', elementId: 'review', comment: expect.stringContaining('no approver') }));
  expect((await org.as('admin').get(`/api/tasks?instanceId=${instanceId}`)).body.every((task: { elementId: string }) => task.elementId !== 'review')).toBe(true);
}

const deployDetails = async (xml: string) => {
  const response = await org.as('admin').post('/api/definitions', { xml });
  expect(response.status).toBe(422);
  expect(response.body.error.code).toBe('invalid_bpmn');
  return response.body.error.details as Array<{ pointer: string; code?: string; message: string; params?: Record<string, unknown> }>;
};

beforeAll(async () => {
  org = await createOrg(t);
  // A department without a head, and a staff user in no department.
  expect((await org.as('admin').post('/api/departments', { code: 'vacant', name: '空缺部' })).status).toBe(201);
  expect((await org.as('admin').post('/api/users', { username: 'loner', displayName: 'loner', password: 'loner-password', role: 'staff' })).status).toBe(201);
  org.tokens.loner = await t.login('loner', 'loner-password');
  const form = await org.as('admin').post('/api/forms', {
    key: FORM,
    title: '用人申请',
    schema: {
      type: 'object',
      required: ['title'],
      properties: {
        title: { type: 'string' },
        handler: { type: 'string', 'x-widget': 'user-picker' },
        reviewers: { type: 'array', items: { type: 'string', 'x-widget': 'user-picker' } },
        dept: { type: 'string', 'x-widget': 'department-picker' },
        note: { type: 'string' },
      },
    },
  });
  expect(form.status).toBe(201);
});

describe('who gets the task, and the fallback when nobody is found', () => {
  it('user: the named active users; only unknown or inactive names → the admins', async () => {
    expect(await reviewers(await start('<liuzhuan:assignee type="user" value="lisi,nobody,gone"/>'))).toEqual(['lisi']);
    await expectAdminFallback(await start('<liuzhuan:assignee type="user" value="nobody,gone"/>'));
  });

  it('role: the active users with the role; a role nobody has → skip', async () => {
    expect(await reviewers(await start('<liuzhuan:assignee type="role" value="admin"/>'))).toEqual(['admin', 'admin2']);
    await expectSkipped(await start('<liuzhuan:assignee type="role" value="auditor"/>', { fallback: 'skip' }));
  });

  it('department: its active members; a department without members → the admins', async () => {
    expect(await reviewers(await start('<liuzhuan:assignee type="department" value="finance"/>'))).toEqual(['lisi', 'wangwu', 'zhouba']);
    await expectAdminFallback(await start('<liuzhuan:assignee type="department" value="vacant"/>'));
  });

  it('departmentHead: the head of the chosen department; no head → skip', async () => {
    expect(await reviewers(await start('<liuzhuan:assignee type="departmentHead" value="service"/>'))).toEqual(['sunqi']);
    await expectSkipped(await start('<liuzhuan:assignee type="departmentHead" value="vacant"/>', { fallback: 'skip' }));
  });

  it('submitter (发起人): whoever started it; a submitter deactivated before the node → the admins', async () => {
    expect(await reviewers(await start('<liuzhuan:assignee type="submitter"/>', { starter: 'wangwu' }))).toEqual(['wangwu']);
    // A first node (lisi) runs while the submitter is still active; they leave before the second.
    const key = `submitter${++counter}`;
    const xml = bpmn(`<process id="${key}" isExecutable="true">
      <startEvent id="s"/>
      <userTask id="first" camunda:assignee="lisi"/>
      <userTask id="review"><extensionElements>${approval('<liuzhuan:assignee type="submitter"/>')}</extensionElements></userTask>
      <endEvent id="e"/>
      ${flow('s', 'first')}${flow('first', 'review')}${flow('review', 'e')}
    </process>`);
    expect((await org.as('admin').post('/api/definitions', { xml })).status).toBe(201);
    const created = await org.as('admin').post('/api/users', { username: 'leaver', displayName: 'leaver', password: 'leaver-password', role: 'staff' });
    org.tokens.leaver = await t.login('leaver', 'leaver-password');
    const started = await org.as('leaver').post('/api/instances', { definitionKey: key });
    expect(started.status).toBe(201);
    expect((await t.request('PATCH', `/api/users/${created.body.id}`, { token: org.tokens.admin, body: { active: false } })).status).toBe(200);
    const [first] = (await org.as('admin').get(`/api/tasks?instanceId=${started.body.id}`)).body;
    expect((await org.as('lisi').post(`/api/tasks/${first.id}/complete`)).status).toBe(200);
    await expectAdminFallback(started.body.id);
  });

  it("submitterDepartment: the submitter's own department — its members or its head; no department → skip", async () => {
    const members = '<liuzhuan:assignee type="submitterDepartment" value="members"/>';
    expect(await reviewers(await start(members, { starter: 'zhangsan' }))).toEqual(['zhangsan', 'zhaoliu']);
    // lisi is in finance and service: the first by code, finance, is theirs.
    expect(await reviewers(await start(members, { starter: 'lisi' }))).toEqual(['lisi', 'wangwu', 'zhouba']);
    const head = '<liuzhuan:assignee type="submitterDepartment" value="head"/>';
    expect(await reviewers(await start(head, { starter: 'zhangsan' }))).toEqual(['zhaoliu']);
    // The department's head as it names it — for its head, themselves (submitterHead climbs past them).
    expect(await reviewers(await start(head, { starter: 'zhaoliu' }))).toEqual(['zhaoliu']);
    await expectSkipped(await start(head, { starter: 'loner', fallback: 'skip' }));
  });

  it('submitterHead (发起人的第 N 级主管): level 1 and 2; above the top → the admins; a level out of range is refused', async () => {
    expect(await reviewers(await start('<liuzhuan:assignee type="submitterHead" value="1"/>', { starter: 'zhangsan' }))).toEqual(['zhaoliu']);
    expect(await reviewers(await start('<liuzhuan:assignee type="submitterHead" value="2"/>', { starter: 'zhangsan' }))).toEqual(['boss']);
    await expectAdminFallback(await start('<liuzhuan:assignee type="submitterHead" value="3"/>', { starter: 'zhangsan' }));
    const details = await deployDetails(bpmn(approvalProcess(`bad${++counter}`, approval('<liuzhuan:assignee type="submitterHead" value="21"/>'))));
    expect(details).toEqual([
      expect.objectContaining({ pointer: 'review', code: 'head_level_out_of_range', params: expect.objectContaining({ node: 'review', level: '21', max: 20 }) }),
    ]);
  });

  describe('nodeHandler: who completed an earlier node in this instance', () => {
    /** `first` (offered to lisi and wangwu) → `review` (its handler) → `again` (back to first on no) … */
    const handlerProcess = (key: string, fallback = 'admin') =>
      bpmn(`<process id="${key}" isExecutable="true">
        <startEvent id="s"/>
        <userTask id="first" camunda:candidateUsers="lisi,wangwu"/>
        <userTask id="review"><extensionElements>${approval('<liuzhuan:assignee type="nodeHandler" value="first"/>', fallback)}</extensionElements></userTask>
        <endEvent id="e"/>
        ${flow('s', 'first')}${flow('first', 'review')}${flow('review', 'e')}
      </process>`);

    it('the person who completed it gets the task; after a return, the handler of the latest run', async () => {
      const key = `handler${++counter}`;
      expect((await org.as('admin').post('/api/definitions', { xml: handlerProcess(key) })).status).toBe(201);
      const started = await org.as('zhangsan').post('/api/instances', { definitionKey: key });
      const [first] = (await org.as('admin').get(`/api/tasks?instanceId=${started.body.id}`)).body;
      expect((await org.as('wangwu').post(`/api/tasks/${first.id}/complete`)).status).toBe(200);
      expect(await reviewers(started.body.id)).toEqual(['wangwu']);
      // wangwu returns it to `first`; this time lisi handles it, so lisi reviews.
      const [review] = (await org.as('admin').get(`/api/tasks?instanceId=${started.body.id}`)).body;
      expect((await org.as('wangwu').post(`/api/tasks/${review.id}/return`, { toElementId: 'first' })).status).toBe(200);
      const [again] = (await org.as('admin').get(`/api/tasks?instanceId=${started.body.id}`)).body;
      expect((await org.as('lisi').post(`/api/tasks/${again.id}/complete`)).status).toBe(200);
      expect(await reviewers(started.body.id)).toEqual(['lisi']);
    });

    it('a node not run yet in this instance → skip', async () => {
      const key = `handler${++counter}`;
      const xml = bpmn(`<process id="${key}" isExecutable="true">
        <startEvent id="s"/>
        <userTask id="review"><extensionElements>${approval('<liuzhuan:assignee type="nodeHandler" value="later"/>', 'skip')}</extensionElements></userTask>
        <userTask id="later" camunda:assignee="lisi"/>
        ${flow('s', 'review')}${flow('review', 'later')}
      </process>`);
      expect((await org.as('admin').post('/api/definitions', { xml })).status).toBe(201);
      const started = await org.as('zhangsan').post('/api/instances', { definitionKey: key });
      await expectSkipped(started.body.id);
    });

    it.each([
      ['an unknown node', 'nowhere', 'unknown_handler_node'],
      ['the node itself', 'review', 'handler_node_is_self'],
      ['a node nobody handles', 's', 'handler_node_not_user_task'],
    ])('refuses %s at deploy, naming the node', async (_what, value, code) => {
      const xml = handlerProcess(`bad${++counter}`).replace('value="first"', `value="${value}"`);
      expect(await deployDetails(xml)).toEqual([
        expect.objectContaining({ pointer: 'review', code, params: expect.objectContaining({ node: 'review', handlerNode: value }), message: expect.stringContaining(value) }),
      ]);
    });
  });

  describe('a field of the form that holds a member or a department', () => {
    it('memberField: the member(s) the field holds; an empty field → the admins', async () => {
      expect(await reviewers(await submitForm('<liuzhuan:assignee type="memberField" value="handler"/>', { handler: 'wangwu' }))).toEqual(['wangwu']);
      expect(await reviewers(await submitForm('<liuzhuan:assignee type="memberField" value="reviewers"/>', { reviewers: ['sunqi', 'lisi'] }))).toEqual(['sunqi', 'lisi']);
      await expectAdminFallback(await submitForm('<liuzhuan:assignee type="memberField" value="handler"/>', {}));
    });

    it("departmentField: the department's members, or with :head its head; an empty field → skip", async () => {
      expect(await reviewers(await submitForm('<liuzhuan:assignee type="departmentField" value="dept"/>', { dept: 'service' }))).toEqual(['lisi', 'sunqi']);
      expect(await reviewers(await submitForm('<liuzhuan:assignee type="departmentField" value="dept:head"/>', { dept: 'finance' }))).toEqual(['zhouba']);
      await expectSkipped(await submitForm('<liuzhuan:assignee type="departmentField" value="dept:head"/>', {}, 'skip'));
    });

    it.each([
      ['memberField', 'dept', 'assignee_field_wrong_kind', 'use type departmentField'],
      ['memberField', 'note', 'assignee_field_wrong_kind', 'neither a member nor a department field'],
      ['departmentField', 'handler', 'assignee_field_wrong_kind', 'use type memberField'],
      ['memberField', 'ghost', 'assignee_field_unknown', "has no field 'ghost'"],
    ])('refuses %s on "%s" at deploy (%s)', async (type, field, code, words) => {
      const details = await deployDetails(formProcess(`bad${++counter}`, `<liuzhuan:assignee type="${type}" value="${field}"/>`));
      expect(details).toEqual([
        expect.objectContaining({ pointer: 'review', code, params: expect.objectContaining({ node: 'review', field, form: FORM }), message: expect.stringContaining(words) }),
      ]);
    });

    it('refuses a department part other than members or head', async () => {
      const details = await deployDetails(formProcess(`bad${++counter}`, '<liuzhuan:assignee type="departmentField" value="dept:boss"/>'));
      expect(details).toEqual([expect.objectContaining({ pointer: 'review', code: 'unknown_department_part', params: expect.objectContaining({ part: 'boss' }) })]);
    });
  });

  it('feel: usernames from an expression; an empty list → skip', async () => {
    const rule = '<liuzhuan:assignee type="feel" value="if amount &gt; 100 then [&quot;zhouba&quot;] else []"/>';
    expect(await reviewers(await start(rule, { variables: { amount: 500 } }))).toEqual(['zhouba']);
    await expectSkipped(await start(rule, { variables: { amount: 5 }, fallback: 'skip' }));
  });

  it('several types together: distinct people in rule order', async () => {
    const rules = '<liuzhuan:assignee type="submitter"/><liuzhuan:assignee type="submitterHead"/><liuzhuan:assignee type="departmentHead" value="sales"/><liuzhuan:assignee type="departmentHead" value="finance"/>';
    expect(await reviewers(await start(rules, { starter: 'zhangsan' }))).toEqual(['zhangsan', 'zhaoliu', 'zhouba']);
  });
});

describe('routedDepartment (分派到的部门) at deploy: a warning while nothing routes the records', () => {
  const rule = '<liuzhuan:assignee type="routedDepartment" value="members"/>';
  const warningsOf = async (xml: string) => {
    const deployed = await org.as('admin').post('/api/definitions', { xml });
    expect(deployed.status).toBe(201);
    return (deployed.body.warnings as Array<{ elementId?: string; code?: string; params?: Record<string, unknown> }>).filter((warning) =>
      warning.code?.startsWith('routed_department_'),
    );
  };

  it('names the node when the process has no form, then when its form has no routing, and is quiet once the form routes', async () => {
    expect(await warningsOf(bpmn(approvalProcess(`routed${++counter}`, approval(rule))))).toEqual([
      expect.objectContaining({ elementId: 'review', code: 'routed_department_without_form', params: { node: 'review' } }),
    ]);
    expect(await warningsOf(formProcess(`routed${++counter}`, rule))).toEqual([
      expect.objectContaining({ elementId: 'review', code: 'routed_department_form_not_routed', params: { node: 'review', form: FORM } }),
    ]);
    // Other approver types on the same unrouted form say nothing.
    expect(await warningsOf(formProcess(`routed${++counter}`, '<liuzhuan:assignee type="submitter"/>'))).toEqual([]);

    const departments = (await org.as('admin').get('/api/departments')).body as Array<{ id: string; code: string }>;
    const service = departments.find((department) => department.code === 'service')!;
    const saved = await t.request('PUT', `/api/routing/${FORM}`, { token: org.tokens.admin, body: { defaultDepartmentId: service.id, rules: [] } });
    expect(saved.status, JSON.stringify(saved.body)).toBeLessThan(300);
    expect(await warningsOf(formProcess(`routed${++counter}`, rule))).toEqual([]);
  });
});
