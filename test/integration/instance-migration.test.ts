/**
 * Instance migration over HTTP: v1 has a user task path and a timer path; v2 keeps the user
 * task (with a new step after it) and drops the timer. The instance at the user task moves and
 * runs v2's path to its end; the one at the timer cannot move, says why, and ends on v1.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { TEST_ADMIN_PASSWORD, useTestServer } from '../helpers/server.ts';

const t = useTestServer();
let admin: string;
let staff: string;

function model(version: 1 | 2): string {
  const afterReview = version === 1 ? 'check' : 'v2_step';
  const timerPath =
    version === 1
      ? `<intermediateCatchEvent id="cool_off"><timerEventDefinition><timeDuration>PT1H</timeDuration></timerEventDefinition></intermediateCatchEvent>
         <sequenceFlow id="to_timer" sourceRef="route" targetRef="cool_off"><conditionExpression>path = "timer"</conditionExpression></sequenceFlow>
         <sequenceFlow id="timer_archive" sourceRef="cool_off" targetRef="archive"/>`
      : `<sequenceFlow id="to_timer" sourceRef="route" targetRef="archive"><conditionExpression>path = "timer"</conditionExpression></sequenceFlow>`;
  return `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" targetNamespace="http://liuzhuan.dev/test">
  <process id="migrating" isExecutable="true">
    <startEvent id="start"/>
    <sequenceFlow id="s1" sourceRef="start" targetRef="route"/>
    <exclusiveGateway id="route" default="to_review"/>
    <sequenceFlow id="to_review" sourceRef="route" targetRef="review"/>
    <userTask id="review" name="Review v${version}" camunda:assignee="admin"/>
    <sequenceFlow id="review_next" sourceRef="review" targetRef="${afterReview}"/>
    <userTask id="${afterReview}" camunda:assignee="admin"/>
    <sequenceFlow id="next_end" sourceRef="${afterReview}" targetRef="end"/>
    ${timerPath}
    <userTask id="archive" camunda:assignee="admin"/>
    <sequenceFlow id="archive_end" sourceRef="archive" targetRef="end"/>
    <endEvent id="end"/>
  </process>
</definitions>`;
}

async function start(path: 'task' | 'timer'): Promise<string> {
  const started = await t.request('POST', '/api/instances', { token: admin, body: { definitionKey: 'migrating', variables: { path } } });
  expect(started.status, JSON.stringify(started.body)).toBe(201);
  return started.body.id ?? started.body.instanceId;
}

async function instance(id: string) {
  const { status, body } = await t.request('GET', `/api/instances/${id}`, { token: admin });
  expect(status).toBe(200);
  return body;
}

async function completeAt(instanceId: string, elementId: string): Promise<void> {
  const tasks = await t.request('GET', `/api/tasks?instanceId=${instanceId}`, { token: admin });
  const list = Array.isArray(tasks.body) ? tasks.body : tasks.body.items;
  const task = list.find((candidate: any) => candidate.elementId === elementId);
  expect(task, `open task at ${elementId} in ${JSON.stringify(list)}`).toBeTruthy();
  const done = await t.request('POST', `/api/tasks/${task.id}/complete`, { token: admin, body: { variables: {} } });
  expect(done.status, JSON.stringify(done.body)).toBeLessThan(300);
}

let v1Id: string;
let v2Id: string;
let atTask: string;
let atTimer: string;
let racer: string;

beforeAll(async () => {
  admin = await t.login('admin', TEST_ADMIN_PASSWORD);
  const created = await t.request('POST', '/api/users', {
    token: admin,
    body: { username: 'migration_staff', displayName: 'Staff', password: 'staff-password-1', role: 'staff' },
  });
  expect(created.status).toBe(201);
  staff = await t.login('migration_staff', 'staff-password-1');
  const v1 = await t.request('POST', '/api/definitions', { token: admin, body: { xml: model(1) } });
  expect(v1.status, JSON.stringify(v1.body)).toBe(201);
  v1Id = v1.body.id;
  atTask = await start('task');
  atTimer = await start('timer');
  racer = await start('task');
  const v2 = await t.request('POST', '/api/definitions', { token: admin, body: { xml: model(2) } });
  expect(v2.status, JSON.stringify(v2.body)).toBe(201);
  v2Id = v2.body.id;
});

describe('instance migration', () => {
  it('plans: the instance at the kept user task can move, the one at the removed timer cannot, with reasons', async () => {
    const plan = await t.request('GET', '/api/definitions/migrating/migration-plan?from=1&to=2', { token: admin });
    expect(plan.status, JSON.stringify(plan.body)).toBe(200);
    expect(plan.body.from).toEqual({ id: v1Id, version: 1 });
    expect(plan.body.to).toEqual({ id: v2Id, version: 2 });
    expect(plan.body.movable).toEqual([
      { instanceId: atTask, businessKey: null, waitingAt: ['review'] },
      { instanceId: racer, businessKey: null, waitingAt: ['review'] },
    ]);
    expect(plan.body.notMovable).toHaveLength(1);
    expect(plan.body.notMovable[0]).toMatchObject({ instanceId: atTimer, waitingAt: ['cool_off'] });
    expect(plan.body.notMovable[0].reasons).toEqual(["waits at 'cool_off' which the new version does not have"]);
  });

  it('refuses bad input with 4xx naming what was wrong, and changes nothing', async () => {
    const cases: Array<[string, string, unknown, string | undefined, number, RegExp]> = [
      ['GET', '/api/definitions/migrating/migration-plan?from=1&to=9', undefined, admin, 404, /no version 9/],
      ['GET', '/api/definitions/nothing/migration-plan?from=1&to=2', undefined, admin, 404, /"nothing" has no version 1/],
      ['GET', '/api/definitions/migrating/migration-plan?from=2&to=1', undefined, admin, 422, /later version/],
      ['GET', '/api/definitions/migrating/migration-plan?from=1', undefined, admin, 422, /"to"/],
      ['GET', '/api/definitions/migrating/migration-plan?from=1&to=2', undefined, staff, 403, /./],
      ['POST', '/api/definitions/migrating/migrate', { from: 1, to: 2 }, staff, 403, /./],
      ['POST', '/api/definitions/migrating/migrate', { from: 2, to: 2 }, admin, 422, /later version/],
      ['POST', '/api/definitions/migrating/migrate', { from: 1, to: 'x' }, admin, 422, /"to"/],
      ['POST', '/api/definitions/migrating/migrate', { from: 1, to: 2, instanceIds: 'all' }, admin, 422, /instanceIds/],
      ['POST', '/api/definitions/migrating/migrate', { from: 1, to: 2, instanceIds: ['nope'] }, admin, 422, /item 0/],
      ['POST', '/api/definitions/migrating/migrate', { from: 1, to: 2, instanceIds: Array(1001).fill(atTask) }, admin, 422, /at most 1000/],
    ];
    for (const [method, path, body, token, status, message] of cases) {
      const answer = await t.request(method, path, { token, body });
      expect(answer.status, `${method} ${path} ${JSON.stringify(body)?.slice(0, 80)}: ${JSON.stringify(answer.body)}`).toBe(status);
      expect(answer.body.message ?? answer.body.error?.message ?? JSON.stringify(answer.body)).toMatch(message);
    }
    expect((await instance(atTask)).definitionId).toBe(v1Id);
  });

  it('two migrations of the same instance at once: exactly one moves it', async () => {
    const both = await Promise.all(
      [1, 2].map(() => t.request('POST', '/api/definitions/migrating/migrate', { token: admin, body: { from: 1, to: 2, instanceIds: [atTask, atTimer] } })),
    );
    for (const answer of both) expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    const moved = both.flatMap((answer) => answer.body.migrated.map((item: any) => item.instanceId));
    expect(moved).toEqual([atTask]);
    const loser = both.find((answer) => answer.body.migrated.length === 0)!;
    expect(loser.body.skipped).toEqual(
      expect.arrayContaining([{ instanceId: atTask, reasons: expect.arrayContaining([expect.stringMatching(/not a running instance of version 1|no longer on version 1/)]) }]),
    );
    for (const answer of both) {
      const timer = answer.body.skipped.find((item: any) => item.instanceId === atTimer);
      expect(timer.reasons).toContain("waits at 'cool_off' which the new version does not have");
    }
    expect((await instance(atTask)).definitionId).toBe(v2Id);
    expect((await instance(atTimer)).definitionId).toBe(v1Id);
    expect((await instance(racer)).definitionId).toBe(v1Id);
  });

  it("the moved instance runs v2's path to its end; the one left behind completes on v1", async () => {
    const tasks = await t.request('GET', `/api/tasks?instanceId=${atTask}`, { token: admin });
    const list = Array.isArray(tasks.body) ? tasks.body : tasks.body.items;
    expect(list.map((task: any) => task.name)).toEqual(['Review v2']);
    await completeAt(atTask, 'review');
    await completeAt(atTask, 'v2_step');
    expect((await instance(atTask)).status).toBe('completed');

    const jobs = await t.request('GET', `/api/jobs?instanceId=${atTimer}`, { token: admin });
    const timer = jobs.body.find((job: any) => job.elementId === 'cool_off');
    expect((await t.request('POST', `/api/jobs/${timer.id}/execute`, { token: admin })).status).toBe(200);
    await completeAt(atTimer, 'archive');
    const left = await instance(atTimer);
    expect(left).toMatchObject({ status: 'completed', definitionId: v1Id });
  });

  it('a migration racing a task completion: either it moves first (v2 path) or it is refused with the reason', async () => {
    const tasks = await t.request('GET', `/api/tasks?instanceId=${racer}`, { token: admin });
    const review = (Array.isArray(tasks.body) ? tasks.body : tasks.body.items)[0];
    const [completed, migrated] = await Promise.all([
      t.request('POST', `/api/tasks/${review.id}/complete`, { token: admin, body: { variables: {} } }),
      t.request('POST', '/api/definitions/migrating/migrate', { token: admin, body: { from: 1, to: 2, instanceIds: [racer] } }),
    ]);
    expect(completed.status).toBeLessThan(300);
    expect(migrated.status).toBe(200);
    const after = await instance(racer);
    if (migrated.body.migrated.length === 1) {
      // Moved while at review, then completed on v2: the token is at v2's new step.
      expect(after.definitionId).toBe(v2Id);
      expect(after.activeElementIds).toEqual(['v2_step']);
    } else {
      expect(migrated.body.skipped[0].reasons).toEqual(["waits at 'check' which the new version does not have"]);
      expect(after.definitionId).toBe(v1Id);
      expect(after.activeElementIds).toEqual(['check']);
    }
  });
});
