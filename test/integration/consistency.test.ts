/**
 * The consistency checker (engine/consistency, `npm run check:consistency`): a database after
 * a few instances of every kind of wait has no violation; each invariant broken by a direct
 * SQL edit is reported with its instance. Edits run in a transaction rolled back after the
 * checks (the checks take the transaction), so each case starts from the clean state.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import type { Knex } from 'knex';
import { withDatabase } from '../../engine/db/database.ts';
import { CONSISTENCY_CHECKS, checkConsistency, type Violation } from '../../engine/consistency/index.ts';
import { projectRoot } from '../../server/config.ts';
import { bpmn, flow } from '../helpers/engine.ts';
import { TEST_ADMIN_PASSWORD, useTestServer } from '../helpers/server.ts';

const t = useTestServer();
const execFileAsync = promisify(execFile);

/** `npm run check:consistency` on this file's database: exit code and output. */
async function cli(): Promise<{ code: number; stdout: string; stderr: string }> {
  return execFileAsync(process.execPath, ['--import', 'tsx', 'scripts/check-consistency.ts'], {
    cwd: projectRoot,
    env: { ...process.env, DATABASE_URL: databaseUrl() },
  }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }),
  );
}

const timer = (duration: string) => `<timerEventDefinition><timeDuration>${duration}</timeDuration></timerEventDefinition>`;
const models = [
  bpmn(`<process id="review" isExecutable="true">
    <startEvent id="start"/><userTask id="check" camunda:assignee="admin"/>
    <boundaryEvent id="late" attachedToRef="check">${timer('PT1H')}</boundaryEvent>
    <endEvent id="end"/><endEvent id="lateEnd"/>
    ${flow('start', 'check')}${flow('check', 'end')}${flow('late', 'lateEnd')}
  </process>`),
  bpmn(
    `<process id="payment" isExecutable="true">
      <startEvent id="start"/><intermediateCatchEvent id="paid"><messageEventDefinition messageRef="paidMessage"/></intermediateCatchEvent>
      <endEvent id="end"/>${flow('start', 'paid')}${flow('paid', 'end')}
    </process>`,
    '<message id="paidMessage" name="paid"/>',
  ),
  bpmn(`<process id="pause" isExecutable="true">
    <startEvent id="start"/><intermediateCatchEvent id="wait">${timer('PT1H')}</intermediateCatchEvent><endEvent id="end"/>
    ${flow('start', 'wait')}${flow('wait', 'end')}
  </process>`),
  bpmn(`<process id="noteFlow" isExecutable="true">
    <extensionElements><liuzhuan:settings><liuzhuan:entry key="form" value="note"/></liuzhuan:settings></extensionElements>
    <startEvent id="start"/><userTask id="read" camunda:assignee="admin"/><endEvent id="end"/>
    ${flow('start', 'read')}${flow('read', 'end')}
  </process>`),
];

const ids: Record<string, string[]> = {};
let token = '';
const db = () => t.server.ctx.db;
/** The file's database, for the command line run as a child process. */
let databaseUrl = () => '';

async function start(definitionKey: string, variables: Record<string, unknown> = {}): Promise<string> {
  const started = await t.request('POST', '/api/instances', { token, body: { definitionKey, variables } });
  expect(started.status, JSON.stringify(started.body)).toBe(201);
  (ids[definitionKey] ??= []).push(started.body.id);
  return started.body.id;
}

async function openTaskOf(instanceId: string): Promise<{ id: string }> {
  const tasks = await t.request('GET', `/api/tasks?instanceId=${instanceId}`, { token });
  expect(tasks.body).toHaveLength(1);
  return tasks.body[0];
}

/** Runs every check inside a transaction holding `edit`, then rolls it back. */
async function violationsAfter(edit: (trx: Knex.Transaction) => Promise<unknown>): Promise<Violation[]> {
  const found: Violation[] = [];
  await db()
    .transaction(async (trx) => {
      await edit(trx);
      for (const check of Object.values(CONSISTENCY_CHECKS)) found.push(...(await check(trx)));
      throw new Error('roll back');
    })
    .catch((error: Error) => {
      if (error.message !== 'roll back') throw error;
    });
  return found;
}

beforeAll(async () => {
  const name = (await db().raw('SELECT current_database() AS name')).rows[0].name as string;
  databaseUrl = () => withDatabase(inject('postgresAdminUrl'), name);
  token = await t.login('admin', TEST_ADMIN_PASSWORD);
  const form = await t.request('POST', '/api/forms', {
    token,
    body: { key: 'note', title: '便签', schema: { type: 'object', properties: { title: { type: 'string' } } } },
  });
  expect(form.status).toBe(201);
  for (const xml of models) expect((await t.request('POST', '/api/definitions', { token, body: { xml } })).status).toBe(201);
  for (const key of ['review', 'review', 'payment', 'pause', 'noteFlow', 'noteFlow']) await start(key, key === 'noteFlow' ? { title: 'hello' } : {});
  // One of each finished, so finished instances are part of the clean state.
  for (const key of ['review', 'noteFlow']) {
    const task = await openTaskOf(ids[key]![1]!);
    expect((await t.request('POST', `/api/tasks/${task.id}/complete`, { token, body: { variables: {} } })).status).toBe(200);
  }
});

describe('check:consistency', () => {
  it('finds no violation in a database the engine wrote, from the module and from the command line', async () => {
    expect(await checkConsistency(db())).toEqual([]);
    const clean = await cli();
    expect(clean.code, clean.stderr).toBe(0);
    expect(clean.stdout).toContain('No violations.');
  });

  it('reports a token whose task, subscription or timer job is gone', async () => {
    const [review] = ids.review!;
    const noTask = await violationsAfter((trx) => trx('tasks').where({ instance_id: review, status: 'open' }).delete());
    expect(noTask).toEqual([expect.objectContaining({ invariant: 'token-waits-on-nothing', instanceId: review, detail: expect.stringContaining('"check"') })]);

    const [payment] = ids.payment!;
    const noSubscription = await violationsAfter((trx) => trx('event_subscriptions').where({ instance_id: payment }).delete());
    expect(noSubscription).toEqual([expect.objectContaining({ invariant: 'token-waits-on-nothing', instanceId: payment })]);

    const [pause] = ids.pause!;
    const noJob = await violationsAfter((trx) => trx('jobs').where({ instance_id: pause }).delete());
    expect(noJob).toEqual([expect.objectContaining({ invariant: 'token-waits-on-nothing', instanceId: pause, detail: expect.stringContaining('"wait"') })]);
  });

  it('reports an open task no waiting token owns, or of a finished instance', async () => {
    const [review] = ids.review!;
    const ghost = await violationsAfter((trx) =>
      trx('tasks').insert({ id: '00000000-0000-4000-8000-000000000001', instance_id: review, execution_id: 'ghost', element_id: 'check', status: 'open' }),
    );
    expect(ghost).toEqual([expect.objectContaining({ invariant: 'task-without-waiting-token', instanceId: review, detail: expect.stringContaining('ghost') })]);

    const finished = await violationsAfter((trx) => trx('process_instances').where({ id: review }).update({ status: 'completed' }));
    expect(finished.map((violation) => [violation.invariant, violation.instanceId])).toEqual([
      ['task-without-waiting-token', review],
      // The boundary timer of the task's token is left too.
      ['wait-of-finished-instance', review],
    ]);
  });

  it("reports a token's job left on a finished instance, and a job of a token that is gone", async () => {
    const finishedReview = ids.review![1]!;
    const left = await violationsAfter((trx) =>
      trx('jobs').insert({ id: '00000000-0000-4000-8000-000000000002', type: 'timer', instance_id: finishedReview, execution_id: 'x', element_id: 'late', due_at: new Date() }),
    );
    expect(left).toEqual([expect.objectContaining({ invariant: 'wait-of-finished-instance', instanceId: finishedReview, detail: expect.stringContaining('completed') })]);

    const [pause] = ids.pause!;
    const moved = await violationsAfter((trx) => trx('jobs').where({ instance_id: pause }).update({ execution_id: 'moved-on' }));
    expect(moved.map((violation) => violation.invariant).sort()).toEqual(['token-waits-on-nothing', 'wait-without-token']);
  });

  it('reports a flow-form record that does not match its instance', async () => {
    const [note] = ids.noteFlow!;
    const record = await db()('records').where({ instance_id: note }).first();
    expect(record).toBeTruthy();
    const relinked = await violationsAfter((trx) => trx('records').where({ id: record.id }).update({ instance_id: ids.pause![0] }));
    expect(relinked).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ invariant: 'flow-record-mismatch', instanceId: ids.pause![0], detail: expect.stringContaining('bound to no form') }),
        expect.objectContaining({ invariant: 'flow-record-mismatch', instanceId: note, detail: expect.stringContaining(record.id) }),
      ]),
    );
    const gone = await violationsAfter((trx) => trx('records').where({ id: record.id }).delete());
    expect(gone).toEqual([expect.objectContaining({ invariant: 'flow-record-mismatch', instanceId: note })]);
  });

  it('exits 1 from the command line, naming the instance, when a committed edit broke an invariant', async () => {
    const [payment] = ids.payment!;
    const subscriptions = await db()('event_subscriptions').where({ instance_id: payment });
    await db()('event_subscriptions').where({ instance_id: payment }).delete();
    try {
      const failed = await cli();
      expect(failed.code, failed.stderr).toBe(1);
      expect(failed.stdout).toContain(`${payment}  token-waits-on-nothing`);
      expect(failed.stdout).toContain('1 violation(s).');
    } finally {
      await db()('event_subscriptions').insert(subscriptions);
    }
    expect(await checkConsistency(db())).toEqual([]);
  });
});
