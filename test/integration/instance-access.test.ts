/**
 * Issue #10 finding 6: instances (and the record a flow form travels with) are read by those
 * involved in them and admins, nobody else; jobs and incidents, which name every instance,
 * are for admins. Real HTTP, several users (test/helpers/approvalOrg.ts):
 *
 *   company (head boss) ├ sales (zhaoliu head; zhangsan) ├ finance (zhouba head; wangwu, lisi)
 *                       └ service (sunqi head; sunqi, lisi)
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createOrg, type Org } from '../helpers/approvalOrg.ts';
import { bpmn, flow } from '../helpers/engine.ts';
import { useTestServer } from '../helpers/server.ts';

const t = useTestServer();
let org: Org;

// zhangsan (sales) starts; wangwu (finance) reviews; then a task offered to the group `service`.
const leaveXml = bpmn(`<process id="leave" isExecutable="true">
  <startEvent id="s"/>
  <userTask id="review" name="审批" camunda:assignee="wangwu"/>
  <userTask id="desk" name="服务台" camunda:candidateGroups="service"/>
  <endEvent id="e"/>
  ${flow('s', 'review')}${flow('review', 'desk')}${flow('desk', 'e')}
</process>`);

const READS = ['', '/history', '/diagram', '/approvals', '/actions'];
const PERSONAL = { idNumber: '110101199003074514', phone: '13800138000' };

async function startLeave(): Promise<string> {
  const started = await org.as('zhangsan').post('/api/instances', { definitionKey: 'leave', variables: PERSONAL });
  expect(started.status).toBe(201);
  return started.body.id;
}

async function expectReads(user: string, instanceId: string, status: number) {
  for (const suffix of READS) {
    const read = await org.as(user).get(`/api/instances/${instanceId}${suffix}`);
    expect({ user, suffix, status: read.status }).toEqual({ user, suffix, status });
    if (status === 404) {
      expect(read.body.error.code).toBe('not_found');
      expect(JSON.stringify(read.body)).not.toContain(PERSONAL.phone);
    }
  }
}

beforeAll(async () => {
  org = await createOrg(t);
  // Two staff members of no department, involved in nothing (until CC'd).
  for (const username of ['outsider', 'stranger']) {
    const created = await org.as('admin').post('/api/users', { username, displayName: username, password: `${username}-password`, role: 'staff' });
    expect(created.status).toBe(201);
    org.tokens[username] = await t.login(username, `${username}-password`);
  }
  const deployed = await org.as('admin').post('/api/definitions', { xml: leaveXml });
  expect(deployed.status).toBe(201);
});

describe('reading an instance follows involvement', () => {
  it('answers 404 to uninvolved staff on every instance read route, exactly as for an unknown id', async () => {
    const id = await startLeave();
    await expectReads('lisi', id, 404);
    await expectReads('sunqi', id, 404);
    const unknown = await org.as('lisi').get('/api/instances/00000000-0000-4000-8000-000000000000');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('not_found');
  });

  it('lets the starter, the assignee, heads of involved departments (and above) and admins read it', async () => {
    const id = await startLeave();
    for (const user of ['zhangsan', 'wangwu', 'zhaoliu', 'zhouba', 'boss', 'admin', 'admin2']) await expectReads(user, id, 200);
    const read = await org.as('wangwu').get(`/api/instances/${id}`);
    expect(read.body.variables).toMatchObject(PERSONAL);
  });

  it('counts a CC, a past action and a task offered to one of my groups as involvement', async () => {
    const id = await startLeave();
    await expectReads('lisi', id, 404);
    await expectReads('outsider', id, 404);
    const cc = await org.as('zhangsan').post(`/api/instances/${id}/cc`, { usernames: ['outsider'] });
    expect(cc.status).toBe(201);
    await expectReads('outsider', id, 200);

    // The review moves on to the desk task offered to the group `service` (lisi, sunqi).
    const [review] = (await org.as('wangwu').get(`/api/tasks?instanceId=${id}`)).body;
    expect((await org.as('wangwu').post(`/api/tasks/${review.id}/complete`, {})).status).toBe(200);
    await expectReads('lisi', id, 200);
    await expectReads('sunqi', id, 200);
    // Still nobody else.
    await expectReads('stranger', id, 404);
  });

  it('makes GET /api/jobs and GET /api/incidents admin-only', async () => {
    for (const path of ['/api/jobs', '/api/incidents']) {
      const staff = await org.as('zhangsan').get(path);
      expect(staff.status).toBe(403);
      expect(staff.body.error.code).toBe('forbidden');
      expect((await org.as('admin').get(path)).status).toBe(200);
    }
  });
});

describe('the record of a flow form is read like its instance', () => {
  let formInstance: string;
  let recordId: string;

  beforeAll(async () => {
    const form = await org.as('admin').post('/api/forms', {
      key: 'id-card',
      title: '身份登记',
      schema: { type: 'object', properties: { idNumber: { type: 'string' }, phone: { type: 'string' } }, required: ['idNumber'] },
    });
    expect(form.status).toBe(201);
    const xml = bpmn(`<process id="id-card-flow" isExecutable="true">
      <extensionElements><liuzhuan:settings><liuzhuan:entry key="form" value="id-card"/></liuzhuan:settings></extensionElements>
      <startEvent id="s"/><userTask id="check" camunda:assignee="wangwu"/><endEvent id="e"/>
      ${flow('s', 'check')}${flow('check', 'e')}
    </process>`);
    expect((await org.as('admin').post('/api/definitions', { xml })).status).toBe(201);
    const departments = (await org.as('admin').get('/api/departments')).body as Array<{ id: string; code: string }>;
    const service = departments.find((department) => department.code === 'service')!;
    const routing = await t.request('PUT', '/api/routing/id-card', {
      token: org.tokens.admin,
      body: { defaultDepartmentId: service.id, rules: [] },
    });
    expect(routing.status).toBe(200);
    const submitted = await org.as('zhangsan').post('/api/forms/id-card/submit', { data: PERSONAL });
    expect(submitted.status).toBe(201);
    formInstance = submitted.body.instance.id;
    recordId = submitted.body.record.id;
    // A plain record of the same form stays readable by anyone, as before.
    expect((await org.as('zhangsan').post('/api/forms/id-card/records', { data: { idNumber: 'plain' } })).status).toBe(201);
  });

  it('hides the record from uninvolved staff (read, list, print) and shows it to those involved', async () => {
    const outsider = (path: string) => org.as('stranger').get(path);
    expect((await outsider(`/api/forms/id-card/records/${recordId}`)).status).toBe(404);
    expect((await outsider(`/api/forms/id-card/records/${recordId}/print`)).status).toBe(404);
    const listed = await outsider('/api/forms/id-card/records');
    expect(listed.status).toBe(200);
    expect(listed.body.items.map((item: { data: { idNumber: string } }) => item.data.idNumber)).toEqual(['plain']);
    expect(listed.body.total).toBe(1);

    for (const user of ['zhangsan', 'wangwu', 'admin']) {
      expect((await org.as(user).get(`/api/forms/id-card/records/${recordId}`)).status).toBe(200);
      expect((await org.as(user).get(`/api/forms/id-card/records/${recordId}/print`)).status).toBe(200);
      const list = await org.as(user).get('/api/forms/id-card/records');
      expect(list.body.items.map((item: { id: string }) => item.id)).toContain(recordId);
    }
  });

  it("counts the members of the ticket's queue department as involved", async () => {
    // lisi and sunqi are in `service`, whose queue holds the record's ticket.
    await expectReads('lisi', formInstance, 200);
    expect((await org.as('lisi').get(`/api/forms/id-card/records/${recordId}`)).status).toBe(200);
    // zhaoliu heads sales (the starter's department); zhouba heads finance (wangwu's): involved too.
    await expectReads('zhaoliu', formInstance, 200);
  });
});
