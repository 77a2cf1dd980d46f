/**
 * Crash consistency: a real node process (`server/main.ts`) under a mixed load — starts,
 * task completions, flow-form submissions, short timers firing — is SIGKILLed at a random
 * moment, restarted, and the consistency checker (engine/consistency) runs on the database.
 * After every round: no violation, and every command answered 2xx before the kill is there
 * (a started instance exists, a completed task is completed). `CRASH_ROUNDS` runs more rounds
 * (default 3); `CRASH_SEED` replays the kill moments of an earlier run (printed at the start).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkConsistency } from '../../engine/consistency/index.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { eventually } from '../helpers/eventually.ts';
import { bpmn, flow } from '../helpers/engine.ts';
import { spawnNode, stopNodes, waitUntilHealthy, type NodeProcess } from '../helpers/processes.ts';
import { TEST_ADMIN_PASSWORD } from '../helpers/server.ts';
import { seeded } from '../../scripts/soak/random.ts';

// Each round restarts a real node (a few seconds on a quiet machine, 20 s at load 12 on two
// cores): three rounds in `npm test`, as many as wanted with CRASH_ROUNDS.
const ROUNDS = Math.min(Number(process.env.CRASH_ROUNDS ?? 3) || 3, 500);
const SEED = Number(process.env.CRASH_SEED ?? Date.now() % 1_000_000);
const WORKERS = 4;

const random = seeded(SEED);

const models = [
  bpmn(`<process id="approval" isExecutable="true">
    <startEvent id="start"/><userTask id="review" camunda:assignee="admin"/>
    <boundaryEvent id="late" attachedToRef="review" cancelActivity="false"><timerEventDefinition><timeDuration>PT1S</timeDuration></timerEventDefinition></boundaryEvent>
    <userTask id="confirm" camunda:assignee="admin"/><endEvent id="end"/><endEvent id="noted"/>
    ${flow('start', 'review')}${flow('review', 'confirm')}${flow('confirm', 'end')}${flow('late', 'noted')}
  </process>`),
  bpmn(`<process id="tick" isExecutable="true">
    <startEvent id="start"/><intermediateCatchEvent id="wait"><timerEventDefinition><timeDuration>PT1S</timeDuration></timerEventDefinition></intermediateCatchEvent>
    <endEvent id="end"/>${flow('start', 'wait')}${flow('wait', 'end')}
  </process>`),
  bpmn(`<process id="noteFlow" isExecutable="true">
    <extensionElements><liuzhuan:settings><liuzhuan:entry key="form" value="note"/></liuzhuan:settings></extensionElements>
    <startEvent id="start"/><userTask id="read" camunda:assignee="admin"/><endEvent id="end"/>
    ${flow('start', 'read')}${flow('read', 'end')}
  </process>`),
];

let database: TestDatabase & { drop(): Promise<void> };
let node: NodeProcess | undefined;
let token = '';
/** What the node answered 2xx: must be visible after the restart. */
const acknowledged = { instances: new Set<string>(), completedTasks: new Set<string>() };
/** Commands answered 2xx in the current round: the kill waits for the load to be under way. */
let answeredThisRound = 0;

async function call(method: string, url: string, body?: unknown): Promise<{ status: number; body: any } | null> {
  try {
    const response = await fetch(`${node!.url}${url}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(5_000),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  } catch {
    // Refused, reset or cut by the kill: no answer, so nothing was promised.
    return null;
  }
}

async function startNode(round: number): Promise<void> {
  node = await spawnNode(`crash-${round}`, {
    DATABASE_URL: database.url,
    ADMIN_PASSWORD: TEST_ADMIN_PASSWORD,
    LIUZHUAN_LOAD_TEMPLATES: 'false',
    LIUZHUAN_DEMO_CUSTOMERS: '0',
  });
  await waitUntilHealthy(node, 60_000);
}

/** One worker: start an instance, complete open tasks, start a timer; until `stop`. */
async function worker(stop: { now: boolean }, id: number): Promise<void> {
  for (let i = 0; !stop.now; i++) {
    const kind = (id + i) % 3;
    if (kind === 0) {
      const definitionKey = i % 2 === 0 ? 'approval' : 'noteFlow';
      const started = await call('POST', '/api/instances', { definitionKey, variables: { title: `w${id}-${i}` } });
      if (started?.status === 201) {
        acknowledged.instances.add(started.body.id);
        answeredThisRound += 1;
      }
    } else if (kind === 1) {
      const tasks = await call('GET', '/api/tasks?assignee=admin');
      const task = Array.isArray(tasks?.body) ? tasks!.body[Math.floor(random() * tasks!.body.length)] : undefined;
      if (!task) continue;
      const completed = await call('POST', `/api/tasks/${task.id}/complete`, { variables: {} });
      if (completed?.status === 200) {
        acknowledged.completedTasks.add(task.id);
        answeredThisRound += 1;
      }
    } else {
      const started = await call('POST', '/api/instances', { definitionKey: 'tick' });
      if (started?.status === 201) {
        acknowledged.instances.add(started.body.id);
        answeredThisRound += 1;
      }
    }
    if (!node?.alive()) return;
  }
}

beforeAll(async () => {
  console.log(`crash-consistency: ${ROUNDS} rounds, CRASH_SEED=${SEED}`);
  database = await createTestDatabase();
  await startNode(0);
  const login = await fetch(`${node!.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: TEST_ADMIN_PASSWORD }),
  });
  token = (await login.json()).token;
  const form = await call('POST', '/api/forms', { key: 'note', title: '便签', schema: { type: 'object', properties: { title: { type: 'string' } } } });
  expect(form?.status).toBe(201);
  for (const xml of models) expect((await call('POST', '/api/definitions', { xml }))?.status).toBe(201);
}, 120_000);

afterAll(async () => {
  if (node) await stopNodes([node]);
  await database?.drop();
});

describe('SIGKILL under load', () => {
  it(`leaves a consistent database and loses no answered command, ${ROUNDS} times`, async () => {
    for (let round = 1; round <= ROUNDS; round++) {
      const stop = { now: false };
      answeredThisRound = 0;
      const load = Promise.all(Array.from({ length: WORKERS }, (_, id) => worker(stop, id)));
      // A random moment once the load runs (a few commands answered, so more are in flight): 0–1,000 ms later.
      await eventually(() => answeredThisRound >= 6, { message: `round ${round}: the load to get answers`, timeoutMs: 30_000, intervalMs: 20 });
      await new Promise((resolve) => setTimeout(resolve, Math.floor(random() * 1_000)));
      node!.child.kill('SIGKILL');
      await node!.exited;
      stop.now = true;
      await load;
      await startNode(round);

      const violations = await checkConsistency(database.db);
      expect(violations, `round ${round} (CRASH_SEED=${SEED})`).toEqual([]);
      const instances = new Set(
        (await database.db('process_instances').whereIn('id', [...acknowledged.instances]).select('id')).map((row: { id: string }) => row.id),
      );
      expect([...acknowledged.instances].filter((id) => !instances.has(id)), `answered starts lost in round ${round}`).toEqual([]);
      const completed = await database.db('tasks').whereIn('id', [...acknowledged.completedTasks]).whereNot({ status: 'completed' }).select('id');
      expect(completed, `answered completions lost in round ${round}`).toEqual([]);
    }
    console.log(`crash-consistency: ${acknowledged.instances.size} answered starts and ${acknowledged.completedTasks.size} answered completions survived ${ROUNDS} kills`);
    expect(acknowledged.instances.size).toBeGreaterThan(ROUNDS);
    expect(acknowledged.completedTasks.size).toBeGreaterThan(0);
  }, 60_000 + ROUNDS * 20_000);
});
