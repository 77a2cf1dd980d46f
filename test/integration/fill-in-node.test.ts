/**
 * Fill-in nodes (填写节点) over real HTTP and PostgreSQL: the flow designer's XML for one
 * (`liuzhuan:actions allowed="submit,return,transfer"`) deploys; the task says it is a fill-in
 * node with no approval progress; 提交 (`/submit`, or a plain `/complete`) completes it with
 * the form data under the node's field permissions and decides nothing; approve and reject are
 * refused; return and transfer still work. A node whose actions complete nothing is refused at
 * deploy, naming the node and what to do; one deployed before that check runs as a fill-in node.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { compileBpmn } from '../../engine/bpmn/compile.ts';
import { insertDefinition } from '../../engine/store/definitions.ts';
import {
  FILL_IN_ACTIONS,
  writeNodeSettings,
  type ModdleLike,
  type NodeSettings,
} from '../../designer/src/flows/model/liuzhuanExtensions.ts';
import { newFlowXml } from '../../designer/src/flows/model/newFlowXml.ts';
import { approvalProcess, createOrg, type Org } from '../helpers/approvalOrg.ts';
import { bpmn } from '../helpers/engine.ts';
import { useTestServer } from '../helpers/server.ts';
import { designerModdle } from '../helpers/designerModdle.ts';

const t = useTestServer();
let org: Org;
const FORM = 'incident_report';

const settings = (patch: Partial<NodeSettings>): NodeSettings => ({ approval: null, fieldPermissions: {}, actions: null, timeout: null, ...patch });

/**
 * The designer's new flow (提交 → node → 结束) with its node made a fill-in node by the same
 * writer the properties panel uses, and an approval node `review` put before it (so there is
 * somewhere to return to): review (lisi approves) → fill_1 (wangwu fills in) → end.
 */
async function designerFlow(key: string, fill: Partial<NodeSettings> = {}): Promise<string> {
  const m = designerModdle();
  const { rootElement, elementsById } = await m.fromXML(newFlowXml({ key, name: '事件处理', formKey: FORM }));
  const [start, flowStart, node, process] = [elementsById.start!, elementsById.flow_start!, elementsById.approve_1!, elementsById[key]!];
  Object.assign(node, { id: 'fill_1', name: '填写处理结果' });
  node.extensionElements = writeNodeSettings(m, node, settings({
    approval: { mode: 'single', fallback: 'admin', rules: [{ type: 'user', value: 'wangwu' }] },
    fieldPermissions: { title: 'readonly', resolution: 'required' },
    actions: [...FILL_IN_ACTIONS],
    ...fill,
  }));
  const review = m.create('bpmn:UserTask', { id: 'review', name: '主管审批' });
  review.extensionElements = writeNodeSettings(m, review, settings({
    approval: { mode: 'single', fallback: 'admin', rules: [{ type: 'user', value: 'lisi' }] },
  }));
  const toFill = m.create('bpmn:SequenceFlow', { id: 'flow_review', sourceRef: review, targetRef: node });
  flowStart.targetRef = review;
  Object.assign(review, { incoming: [flowStart], outgoing: [toFill], $parent: process });
  Object.assign(node, { incoming: [toFill] });
  toFill.$parent = process;
  (process.flowElements as ModdleLike[]).push(review, toFill);
  expect(start.$type).toBe('bpmn:StartEvent');
  return (await m.toXML(rootElement, { format: true })).xml;
}

let counter = 0;
async function deployAndReachFillIn(fill: Partial<NodeSettings> = {}) {
  const key = `incident_${++counter}`;
  const xml = await designerFlow(key, fill);
  const deployed = await org.as('admin').post('/api/definitions', { xml });
  expect(deployed.status).toBe(201);
  const submitted = await org.as('zhangsan').post(`/api/forms/${FORM}/submit`, { data: { title: '机房断电', detail: '二楼机房' } });
  expect(submitted.status).toBe(201);
  const instanceId = submitted.body.instance.id as string;
  const review = await openTask(instanceId, 'review');
  expect((await org.as('lisi').post(`/api/tasks/${review.id}/approve`, { comment: '请处理' })).status).toBe(200);
  return { key, xml, instanceId, task: await openTask(instanceId, 'fill_1') };
}

async function openTask(instanceId: string, elementId: string) {
  const tasks = (await org.as('admin').get(`/api/tasks?instanceId=${instanceId}`)).body as Array<{ id: string; elementId: string; assignee: string }>;
  expect(tasks.map((task) => task.elementId)).toEqual([elementId]);
  return tasks[0]!;
}

const instance = async (id: string) => (await org.as('admin').get(`/api/instances/${id}`)).body;

beforeAll(async () => {
  org = await createOrg(t);
  const form = await org.as('admin').post('/api/forms', {
    key: FORM,
    title: '事件报告',
    schema: {
      type: 'object',
      required: ['title'],
      properties: { title: { type: 'string', minLength: 1 }, detail: { type: 'string' }, resolution: { type: 'string', maxLength: 200 } },
    },
  });
  expect(form.status).toBe(201);
});

describe('the designer writes a fill-in node the engine runs', () => {
  it('writes allowed="submit,return,transfer" and the deploy accepts it', async () => {
    const { xml } = await deployAndReachFillIn();
    expect(xml).toContain('<liuzhuan:actions allowed="submit,return,transfer" />');
  });

  it('the task is a fill-in node: 提交, return, transfer; no approval progress', async () => {
    const { task, instanceId } = await deployAndReachFillIn();
    expect(task.assignee).toBe('wangwu');
    const form = (await org.as('wangwu').get(`/api/tasks/${task.id}/form`)).body;
    expect(form).toMatchObject({ nodeKind: 'fillIn', allowedActions: ['submit', 'return', 'transfer'], approval: null });
    expect(form.fieldPermissions).toEqual({ title: 'readonly', resolution: 'required' });
    expect((await org.as('wangwu').get(`/api/tasks/${task.id}`)).body.approval).toBeNull();
    expect((await org.as('admin').get(`/api/instances/${instanceId}/approvals`)).body).toEqual([]);
  });

  it('approve and reject are refused at a fill-in node, and nothing moves', async () => {
    const { task, instanceId } = await deployAndReachFillIn();
    for (const action of ['approve', 'reject']) {
      const refused = await org.as('wangwu').post(`/api/tasks/${task.id}/${action}`, { variables: { resolution: '已修复' } });
      expect(refused.status).toBe(403);
      expect(refused.body.error).toMatchObject({ code: 'action_not_allowed', message: expect.stringContaining(`"${action}"`) });
    }
    expect((await instance(instanceId)).activeElementIds).toEqual(['fill_1']);
  });

  it('提交 checks the field permissions, then completes with the data and decides nothing', async () => {
    const { task, instanceId } = await deployAndReachFillIn();
    const readonly = await org.as('wangwu').post(`/api/tasks/${task.id}/submit`, { variables: { title: '改标题', resolution: '已修复' } });
    expect(readonly.status).toBe(422);
    expect(readonly.body.error.code).toBe('field_permissions');
    expect(readonly.body.error.details.map((detail: { pointer: string }) => detail.pointer)).toEqual(['/title']);
    const missing = await org.as('wangwu').post(`/api/tasks/${task.id}/submit`, { variables: { detail: '二楼机房 B 区' } });
    expect(missing.status).toBe(422);
    expect(missing.body.error.details.map((detail: { pointer: string }) => detail.pointer)).toEqual(['/resolution']);
    const tooLong = await org.as('wangwu').post(`/api/tasks/${task.id}/submit`, { variables: { resolution: 'x'.repeat(201) } });
    expect(tooLong.status).toBe(422);
    expect((await instance(instanceId)).activeElementIds).toEqual(['fill_1']);

    const done = await org.as('wangwu').post(`/api/tasks/${task.id}/submit`, { variables: { title: '机房断电', resolution: '已更换 UPS' }, comment: '处理完毕' });
    expect(done.status).toBe(200);
    const after = await instance(instanceId);
    expect(after.status).toBe('completed');
    expect(after.variables).toMatchObject({ title: '机房断电', resolution: '已更换 UPS', approved: true, review_decision: 'approve' });
    // The fill-in node wrote no decision of its own: `approved` is still the review's.
    expect(after.variables).not.toHaveProperty('fill_1_decision');
    const actions = (await org.as('admin').get(`/api/instances/${instanceId}/actions`)).body;
    expect(actions.at(-1)).toMatchObject({ taskId: task.id, elementId: 'fill_1', action: 'submit', actor: 'wangwu', comment: '处理完毕' });
    const record = (await org.as('admin').get(`/api/forms/${FORM}/records?pageSize=100`)).body.items.find(
      (item: { instanceId?: string; data: Record<string, unknown> }) => item.data.resolution === '已更换 UPS',
    );
    expect(record?.data).toMatchObject({ title: '机房断电', resolution: '已更换 UPS' });
  });

  it('a plain /complete at a fill-in node is its 提交; /submit at an approval node is refused', async () => {
    const { task, instanceId } = await deployAndReachFillIn();
    expect((await org.as('wangwu').post(`/api/tasks/${task.id}/complete`, { variables: { resolution: '好了' } })).status).toBe(200);
    expect((await instance(instanceId)).status).toBe('completed');

    const key = `plain_${++counter}`;
    const approval = '<liuzhuan:approval><liuzhuan:assignee type="user" value="lisi"/></liuzhuan:approval>';
    expect((await org.as('admin').post('/api/definitions', { xml: bpmn(approvalProcess(key, approval)) })).status).toBe(201);
    const started = await org.as('zhangsan').post('/api/instances', { definitionKey: key });
    const review = await openTask(started.body.id, 'review');
    const refused = await org.as('lisi').post(`/api/tasks/${review.id}/submit`, { variables: {} });
    expect(refused.status).toBe(403);
    expect(refused.body.error).toMatchObject({ code: 'action_not_allowed', message: expect.stringContaining('"submit"') });
    const form = (await org.as('lisi').get(`/api/tasks/${review.id}/form`)).body;
    expect(form).toMatchObject({ nodeKind: 'approval', allowedActions: ['approve', 'reject', 'return', 'transfer', 'addSigner'] });
    expect(form.approval).toMatchObject({ total: 1, approved: 0, mode: 'single' });
  });

  it('return and transfer still work at a fill-in node', async () => {
    const { task, instanceId } = await deployAndReachFillIn();
    const transferred = await org.as('wangwu').post(`/api/tasks/${task.id}/transfer`, { to: 'zhouba', comment: '你来填' });
    expect(transferred.status).toBe(200);
    expect(transferred.body.assignee).toBe('zhouba');
    const returned = await org.as('zhouba').post(`/api/tasks/${task.id}/return`, { toElementId: 'review', comment: '信息不全' });
    expect(returned.status).toBe(200);
    expect((await instance(instanceId)).activeElementIds).toEqual(['review']);
    const review = await openTask(instanceId, 'review');
    expect((await org.as('lisi').post(`/api/tasks/${review.id}/approve`)).status).toBe(200);
    const again = await openTask(instanceId, 'fill_1');
    expect(again.assignee).toBe('wangwu');
    expect((await org.as('wangwu').post(`/api/tasks/${again.id}/submit`, { variables: { resolution: '补全后处理' } })).status).toBe(200);
    expect((await instance(instanceId)).status).toBe('completed');
  });

  it('a timeout that auto-approves submits a fill-in node as it stands', async () => {
    const { task, instanceId } = await deployAndReachFillIn({
      fieldPermissions: {},
      timeout: { after: 'PT1H', action: 'approve' },
    });
    const jobs = (await org.as('admin').get(`/api/jobs?instanceId=${instanceId}`)).body as Array<{ id: string; type: string }>;
    const timeout = jobs.find((job) => job.type === 'task:timeout')!;
    expect((await org.as('admin').post(`/api/jobs/${timeout.id}/execute`)).status).toBe(200);
    expect((await instance(instanceId)).status).toBe('completed');
    const actions = (await org.as('admin').get(`/api/instances/${instanceId}/actions`)).body;
    expect(actions.at(-1)).toMatchObject({ taskId: task.id, action: 'submit', actor: 'system', comment: expect.stringContaining('auto-submitted') });
  });
});

describe('a user task nobody can complete is refused at deploy', () => {
  const deploy = (actions: string) =>
    org.as('admin').post('/api/definitions', {
      xml: bpmn(approvalProcess(`stuck_${++counter}`, '<liuzhuan:approval><liuzhuan:assignee type="user" value="lisi"/></liuzhuan:approval>', actions)),
    });

  it('allowed="return,transfer" (the old designer fill-in node): 422 naming the node and what to do', async () => {
    const refused = await deploy('<liuzhuan:actions allowed="return,transfer"/>');
    expect(refused.status).toBe(422);
    expect(refused.body.error.code).toBe('invalid_bpmn');
    expect(refused.body.error.details).toEqual([
      expect.objectContaining({
        pointer: 'review',
        code: 'no_completing_action',
        params: { node: 'review', actions: 'return,transfer' },
        message: expect.stringMatching(/userTask 'review' \(审批\).*none that completes the task.*add submit.*add approve and reject/),
      }),
    ]);
    expect((await org.as('admin').get('/api/definitions')).body.map((d: { key: string }) => d.key)).not.toContain(`stuck_${counter}`);
  });

  it.each([
    ['an empty list', '<liuzhuan:actions allowed=""/>', 'no_completing_action'],
    ['the generic settings entry', '<liuzhuan:settings><liuzhuan:entry key="actions" value="transfer"/></liuzhuan:settings>', 'no_completing_action'],
    ['submit mixed with approve', '<liuzhuan:actions allowed="submit,approve"/>', 'fill_in_with_approval_actions'],
    ['an unknown action', '<liuzhuan:actions allowed="approve,sign"/>', 'unknown_action'],
  ])('%s is refused with its code', async (_what, actions, code) => {
    const refused = await deploy(actions);
    expect(refused.status).toBe(422);
    expect(refused.body.error.details).toEqual([expect.objectContaining({ pointer: 'review', code })]);
  });
});

describe('definitions deployed before the check', () => {
  it('a node with allowed="return,transfer" runs as a fill-in node, so its waiting instances can move on', async () => {
    // Deployed as the old designer wrote it, before deploy refused it: stored straight in the table.
    const key = `legacy_${++counter}`;
    const fill = '<liuzhuan:approval><liuzhuan:assignee type="user" value="wangwu"/></liuzhuan:approval><liuzhuan:actions allowed="submit,return,transfer"/>';
    const xml = bpmn(approvalProcess(key, fill)).replace('allowed="submit,return,transfer"', 'allowed="return,transfer"');
    const { processes } = await compileBpmn(bpmn(approvalProcess(key, fill)));
    const process = structuredClone(processes[0]!);
    process.nodes.review!.extensions = { ...process.nodes.review!.extensions, actions: [{ allowed: 'return,transfer' }] };
    await insertDefinition(t.server.ctx.db, { key, name: null, xml, process, deployedBy: null });

    const started = await org.as('zhangsan').post('/api/instances', { definitionKey: key });
    expect(started.status).toBe(201);
    const task = await openTask(started.body.id, 'review');
    const form = (await org.as('wangwu').get(`/api/tasks/${task.id}/form`)).body;
    expect(form).toMatchObject({ nodeKind: 'fillIn', allowedActions: ['submit', 'return', 'transfer'], approval: null });
    expect((await org.as('wangwu').post(`/api/tasks/${task.id}/submit`, { variables: { note: 'done' } })).status).toBe(200);
    expect((await instance(started.body.id)).activeElementIds).toEqual(['fix']);
  });
});
