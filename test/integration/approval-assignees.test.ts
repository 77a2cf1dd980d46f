/**
 * Who approves (`liuzhuan:assignee` rules) over real HTTP: users, role, department, the
 * submitter's head and head's head, a member field, FEEL, the fallbacks for nobody (admin /
 * skip), and the deploy check of bad settings.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { bpmn } from '../helpers/engine.ts';
import { approvalProcess, createOrg, type Org } from '../helpers/approvalOrg.ts';
import { useTestServer } from '../helpers/server.ts';

const t = useTestServer();
let org: Org;

beforeAll(async () => {
  org = await createOrg(t);
});

let counter = 0;

/** Deploys a one-node approval with `rules` (mode all, so each approver gets a task) and starts it as `starter`. */
async function run(rules: string, options: { starter?: string; variables?: Record<string, unknown>; mode?: string; fallback?: string } = {}) {
  const key = `assign${++counter}`;
  const approval = `<liuzhuan:approval mode="${options.mode ?? 'all'}"${options.fallback ? ` fallback="${options.fallback}"` : ''}>${rules}</liuzhuan:approval>`;
  const deployed = await org.as('admin').post('/api/definitions', { xml: bpmn(approvalProcess(key, approval)) });
  expect(deployed.status).toBe(201);
  const started = await org.as(options.starter ?? 'zhangsan').post('/api/instances', { definitionKey: key, variables: options.variables ?? {} });
  return started;
}

/** The approvers in rule order (the node's progress), checked against the open tasks. */
async function reviewers(instanceId: string): Promise<string[]> {
  const tasks = (await org.as('admin').get(`/api/tasks?instanceId=${instanceId}`)).body as Array<{ elementId: string; assignee: string }>;
  const [approval] = (await org.as('admin').get(`/api/instances/${instanceId}/approvals`)).body;
  expect(tasks.map((task) => task.assignee).sort()).toEqual([...approval.pending].sort());
  expect(tasks.every((task) => task.elementId === 'review')).toBe(true);
  return approval.pending;
}

async function approversFor(rules: string, options: Parameters<typeof run>[1] = {}): Promise<string[]> {
  const started = await run(rules, options);
  expect(started.status).toBe(201);
  return reviewers(started.body.id);
}

describe('assignee rules', () => {
  it('user: the named active users in order, unknown, inactive and repeated names dropped', async () => {
    expect(await approversFor('<liuzhuan:assignee type="user" value="lisi, zhangsan,nobody,gone,lisi"/>')).toEqual(['lisi', 'zhangsan']);
  });

  it('keeps the older assignees attribute as a comma list of usernames', async () => {
    const key = `assign${++counter}`;
    const xml = bpmn(approvalProcess(key, '<liuzhuan:approval mode="all" assignees="wangwu,zhouba"/>'));
    expect((await org.as('admin').post('/api/definitions', { xml })).status).toBe(201);
    const again = await org.as('zhangsan').post('/api/instances', { definitionKey: key });
    expect(await reviewers(again.body.id)).toEqual(['wangwu', 'zhouba']);
  });

  it('role: the active users with that role', async () => {
    expect(await approversFor('<liuzhuan:assignee type="role" value="admin"/>')).toEqual(['admin', 'admin2']);
  });

  it('department: the active members of the department with that code', async () => {
    expect(await approversFor('<liuzhuan:assignee type="department" value="finance"/>')).toEqual(['lisi', 'wangwu', 'zhouba']);
  });

  it("submitterHead: the head of the starter's department, and the head's head at level 2", async () => {
    expect(await approversFor('<liuzhuan:assignee type="submitterHead"/>', { starter: 'zhangsan' })).toEqual(['zhaoliu']);
    expect(await approversFor('<liuzhuan:assignee type="submitterHead" value="2"/>', { starter: 'zhangsan' })).toEqual(['boss']);
  });

  it('submitterHead: a head submitting goes to the parent department; several departments use the first by code', async () => {
    expect(await approversFor('<liuzhuan:assignee type="submitterHead"/>', { starter: 'zhaoliu' })).toEqual(['boss']);
    // lisi is in finance and service: finance comes first.
    expect(await approversFor('<liuzhuan:assignee type="submitterHead"/>', { starter: 'lisi' })).toEqual(['zhouba']);
  });

  it('memberField: the username(s) held in a variable', async () => {
    const rule = '<liuzhuan:assignee type="memberField" value="handler"/>';
    expect(await approversFor(rule, { variables: { handler: 'wangwu' } })).toEqual(['wangwu']);
    expect(await approversFor(rule, { variables: { handler: ['sunqi', 'wangwu'] } })).toEqual(['sunqi', 'wangwu']);
  });

  it('feel: an expression over the variables', async () => {
    const rule = '<liuzhuan:assignee type="feel" value="if amount &gt; 100000 then [&quot;zhouba&quot;] else &quot;sunqi&quot;"/>';
    expect(await approversFor(rule, { variables: { amount: 200000 } })).toEqual(['zhouba']);
    expect(await approversFor(rule, { variables: { amount: 5 } })).toEqual(['sunqi']);
  });

  it('feel giving something other than usernames is a 422 and starts nothing', async () => {
    const before = (await org.as('admin').get('/api/tasks')).body.length;
    const started = await run('<liuzhuan:assignee type="feel" value="amount * 2"/>', { variables: { amount: 3 } });
    expect(started.status).toBe(422);
    expect(started.body.error.code).toBe('invalid_assignees');
    expect(started.body.error.details[0].pointer).toBe('review');
    expect((await org.as('admin').get('/api/tasks')).body.length).toBe(before);
  });

  it('several rules: distinct users in rule order', async () => {
    const rules =
      '<liuzhuan:assignee type="submitterHead"/><liuzhuan:assignee type="department" value="sales"/><liuzhuan:assignee type="user" value="boss"/>';
    expect(await approversFor(rules, { starter: 'zhangsan' })).toEqual(['zhaoliu', 'zhangsan', 'boss']);
  });
});

describe('nobody resolved', () => {
  it('fallback admin (the default) offers the node to the admins and logs why', async () => {
    const started = await run('<liuzhuan:assignee type="user" value="nobody"/>', { mode: 'single' });
    expect(started.status).toBe(201);
    const tasks = (await org.as('admin').get(`/api/tasks?instanceId=${started.body.id}`)).body;
    expect(tasks).toEqual([expect.objectContaining({ elementId: 'review', assignee: null, candidateUsers: ['admin', 'admin2'] })]);
    const actions = (await org.as('admin').get(`/api/instances/${started.body.id}/actions`)).body;
    expect(actions).toEqual([
      expect.objectContaining({ action: 'fallback', actor: null, elementId: 'review', details: expect.objectContaining({ fallback: 'admin' }) }),
    ]);
    expect((await org.as('admin2').post(`/api/tasks/${tasks[0].id}/approve`)).status).toBe(200);
    expect((await org.as('admin').get(`/api/instances/${started.body.id}`)).body.activeElementIds).toEqual(['archive']);
  });

  it('fallback skip passes the node as approved and records the skip with its reason', async () => {
    const started = await run('<liuzhuan:assignee type="memberField" value="handler"/>', { fallback: 'skip' });
    expect(started.status).toBe(201);
    const instance = (await org.as('admin').get(`/api/instances/${started.body.id}`)).body;
    expect(instance.activeElementIds).toEqual(['archive']);
    expect(instance.variables).toMatchObject({ approved: true, review_decision: 'approve' });
    const actions = (await org.as('admin').get(`/api/instances/${started.body.id}/actions`)).body;
    expect(actions).toEqual([
      expect.objectContaining({ action: 'skip', actor: null, elementId: 'review', comment: expect.stringContaining('no approver') }),
    ]);
    const history = (await org.as('admin').get(`/api/instances/${started.body.id}/history`)).body;
    expect(JSON.stringify(history)).toContain('review');
  });
});

describe('deploy check', () => {
  const deploy = (approval: string) =>
    org.as('admin').post('/api/definitions', { xml: bpmn(approvalProcess(`bad${++counter}`, approval)) });

  it.each([
    ['mode', '<liuzhuan:approval mode="majority"><liuzhuan:assignee type="user" value="lisi"/></liuzhuan:approval>', "mode 'majority'"],
    ['fallback', '<liuzhuan:approval fallback="nobody"><liuzhuan:assignee type="user" value="lisi"/></liuzhuan:approval>', "fallback 'nobody'"],
    ['type', '<liuzhuan:approval><liuzhuan:assignee type="boss" value="x"/></liuzhuan:approval>', "type 'boss'"],
    ['missing value', '<liuzhuan:approval><liuzhuan:assignee type="role"/></liuzhuan:approval>', 'needs a value'],
    ['bad level', '<liuzhuan:approval><liuzhuan:assignee type="submitterHead" value="0"/></liuzhuan:approval>', "level '0'"],
    ['FEEL syntax', '<liuzhuan:approval><liuzhuan:assignee type="feel" value="if then"/></liuzhuan:approval>', 'does not parse'],
  ])('refuses a bad %s with 422 naming the element', async (_what, approval, message) => {
    const response = await deploy(approval);
    expect(response.status).toBe(422);
    expect(response.body.error.details).toEqual([expect.objectContaining({ pointer: 'review', message: expect.stringContaining(message) })]);
  });
});
