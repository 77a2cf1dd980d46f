/**
 * Crash consistency with two nodes on one database: a mixed load spread over both (starts,
 * completions, 1 s timers, message correlation, record writes: scripts/soak/load.ts), node B
 * SIGKILLed at a random moment while it holds job leases, then restarted, several times.
 * After each kill:
 * - node A kept serving: it answered during B's absence and never with a 5xx (503 allowed);
 * - the jobs B had leased are run by a live node, and only once their lease ran out;
 * - the consistency checker finds nothing, and every command answered 2xx is in the database.
 * At the end every timer fired exactly once (history of each timer instance).
 *
 * `LIUZHUAN_CRASH_ROUNDS` (or CRASH_ROUNDS) runs more rounds (default 3); `LIUZHUAN_CRASH_SEED`
 * (or CRASH_SEED) replays the load's choices and kill moments of an earlier run (printed at
 * the start and in every failure message).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkConsistency } from '../../engine/consistency/index.ts';
import { HttpClient, login } from '../../scripts/soak/httpClient.ts';
import { MixedLoad, type OperationResult } from '../../scripts/soak/load.ts';
import { NOTE_FORM_BODY, SOAK_MODELS, TIMER_ELEMENT, TIMER_KEY } from '../../scripts/soak/models.ts';
import { seeded } from '../../scripts/soak/random.ts';
import { countTimers } from '../../scripts/soak/run.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { eventually } from '../helpers/eventually.ts';
import { spawnNode, stopNodes, waitUntilHealthy, type NodeProcess } from '../helpers/processes.ts';
import { TEST_ADMIN_PASSWORD } from '../helpers/server.ts';

// Each round restarts node B (a few seconds on a quiet machine, much more at high load).
const ROUNDS = Math.min(Number(process.env.LIUZHUAN_CRASH_ROUNDS ?? process.env.CRASH_ROUNDS ?? 3) || 3, 200);
const SEED = Number(process.env.LIUZHUAN_CRASH_SEED ?? process.env.CRASH_SEED ?? Date.now() % 1_000_000);
/** Short, so a dead node's jobs come back within the test (the default is 60 s). */
const LEASE_MS = 3_000;
const CLIENTS = 6;
/** A node starts in a few seconds on a quiet machine; at load 28 on two cores it took over 90 s. */
const NODE_START_MS = 180_000;
const random = seeded(SEED);
const seedNote = `LIUZHUAN_CRASH_SEED=${SEED}`;
/** One data key for both nodes and B's restarts: what one encrypts, the other reads. */
const dataKeys = `k1:${randomBytes(32).toString('base64')}`;

let database: TestDatabase & { drop(): Promise<void> };
let dataDir: string;
let nodeA: NodeProcess;
let nodeB: NodeProcess;
let bAccepting = false;
let http: HttpClient;
let load: MixedLoad | undefined;

/** What a node answered 2xx: must be in the database after any kill. */
const acknowledged = { instances: new Set<string>(), completedTasks: new Set<string>(), records: new Set<string>(), timerStarts: 0 };
/** 5xx other than 503, and requests node A left without an answer: each a failure. */
const failures: string[] = [];
const answers = { A: 0, B: 0 };

function onResult(result: OperationResult): void {
  const node = result.target as 'A' | 'B';
  if (result.status === null) {
    // B's requests are cut by its kill; A must answer every one.
    if (node === 'A') failures.push(`A left ${result.route} unanswered: ${result.body}`);
    return;
  }
  if (result.status >= 500 && result.status !== 503) failures.push(`${node} answered ${result.status} to ${result.route}: ${JSON.stringify(result.body).slice(0, 300)}`);
  if (result.status < 200 || result.status >= 300) return;
  answers[node] += 1;
  if (result.kind === 'complete') acknowledged.completedTasks.add(result.subject.taskId!);
  else if (result.kind === 'record' && result.subject.recordId) acknowledged.records.add(result.subject.recordId);
  else if (result.kind === 'start' || result.kind === 'timer') acknowledged.instances.add(result.body.id);
  if (result.kind === 'timer') acknowledged.timerStarts += 1;
}

const nodeEnv = () => ({
  DATABASE_URL: database.url,
  ADMIN_PASSWORD: TEST_ADMIN_PASSWORD,
  LIUZHUAN_LOAD_TEMPLATES: 'false',
  LIUZHUAN_DEMO_CUSTOMERS: '0',
  LIUZHUAN_JOB_LEASE_MS: String(LEASE_MS),
  LIUZHUAN_DATA_DIR: dataDir,
});

/** The `jobs.locked_by` of a node's executor is `<host>:<pid>:<random>`. */
async function leasesOf(node: NodeProcess): Promise<Array<{ id: string; type: string; instance_id: string | null; locked_until: Date }>> {
  return database.db('jobs').whereLike('locked_by', `%:${node.child.pid}:%`).select('id', 'type', 'instance_id', 'locked_until');
}

/**
 * A random moment, then the first moment B holds a job lease (B frozen with SIGSTOP to look,
 * so the lease cannot end between the look and the kill; up to 5 s), then SIGKILL.
 */
async function killB(round: number): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, Math.floor(random() * 800)));
  const giveUpAt = Date.now() + 5_000;
  for (;;) {
    nodeB.child.kill('SIGSTOP');
    if ((await leasesOf(nodeB)).length > 0 || Date.now() > giveUpAt) break;
    nodeB.child.kill('SIGCONT');
    await new Promise((resolve) => setTimeout(resolve, 20 + Math.floor(random() * 40)));
  }
  bAccepting = false;
  nodeB.child.kill('SIGKILL');
  await nodeB.exited;
  // Once PostgreSQL has ended B's sessions, each of its transactions has committed or rolled back.
  await eventually(
    async () => {
      const { rows } = await database.db.raw('SELECT pid FROM pg_stat_activity WHERE application_name = ?', [nodeB.applicationName]);
      return rows.length === 0;
    },
    { message: `round ${round}: PostgreSQL to end the killed node's sessions (${seedNote})`, timeoutMs: 15_000, intervalMs: 50 },
  );
}

async function assertAcknowledgedSurvived(round: number): Promise<void> {
  const ids = [...acknowledged.instances];
  const found = new Set((await database.db('process_instances').whereIn('id', ids).pluck('id')) as string[]);
  expect(ids.filter((id) => !found.has(id)), `answered starts lost by round ${round} (${seedNote})`).toEqual([]);
  const notCompleted = await database.db('tasks').whereIn('id', [...acknowledged.completedTasks]).whereNot({ status: 'completed' }).pluck('id');
  expect(notCompleted, `answered completions lost by round ${round} (${seedNote})`).toEqual([]);
  const records = [...acknowledged.records];
  const foundRecords = new Set((await database.db('records').whereIn('id', records).pluck('id')) as string[]);
  expect(records.filter((id) => !foundRecords.has(id)), `answered record writes lost by round ${round} (${seedNote})`).toEqual([]);
}

beforeAll(async () => {
  console.log(`crash-consistency-two-nodes: ${ROUNDS} rounds, ${seedNote}`);
  database = await createTestDatabase();
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'liuzhuan-crash2-'));
  [nodeA, nodeB] = await Promise.all(['A', 'B'].map((name) => spawnNode(`crash2-${name}`, { ...nodeEnv(), LIUZHUAN_DATA_KEYS: dataKeys })));
  await Promise.all([nodeA, nodeB].map((node) => waitUntilHealthy(node, NODE_START_MS)));
  bAccepting = true;
  const token = await login(nodeA.url, 'admin', TEST_ADMIN_PASSWORD);
  http = new HttpClient(token, 15_000, CLIENTS * 2);
  expect((await http.request(nodeA.url, 'POST', '/api/forms', NOTE_FORM_BODY)).status).toBe(201);
  for (const xml of SOAK_MODELS) expect((await http.request(nodeA.url, 'POST', '/api/definitions', { xml })).status).toBe(201);
}, 2 * NODE_START_MS);

afterAll(async () => {
  await load?.stop();
  http?.close();
  await stopNodes([nodeA, nodeB].filter(Boolean));
  await database?.drop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
}, 30_000);

describe('two nodes, one SIGKILLed under load', () => {
  it(`keeps serving on the survivor, hands the dead node's jobs over after their lease, stays consistent; ${ROUNDS} kills`, async () => {
    load = new MixedLoad({
      targets: [
        { name: 'A', url: nodeA.url, accepting: () => nodeA.alive() },
        // B's url changes with each restart: read it at each request.
        { name: 'B', get url() { return nodeB.url; }, accepting: () => bAccepting },
      ],
      http,
      clients: CLIENTS,
      random,
      onResult,
    });
    load.start();
    let takenOver = 0;
    for (let round = 1; round <= ROUNDS; round++) {
      // B under load when it dies: a few of its answers since it (re)started, more in flight.
      const before = answers.B;
      await eventually(() => answers.B >= before + 8, { message: `round ${round}: node B to answer its load (${seedNote})`, timeoutMs: 60_000, intervalMs: 20 });

      await killB(round);
      const killedAt = Date.now();
      const answersOfABefore = answers.A;
      const leases = await leasesOf(nodeB);
      expect(await checkConsistency(database.db), `violations right after kill ${round} (${seedNote})`).toEqual([]);

      // The dead node's jobs: run by A once their lease ran out (no one else may take them before).
      await eventually(
        async () => Number((await database.db('jobs').whereIn('id', leases.map((lease) => lease.id)).count<{ count: string }[]>('id as count'))[0]!.count) === 0,
        { message: `round ${round}: node A to run the ${leases.length} jobs B had leased (${seedNote})`, timeoutMs: LEASE_MS + 30_000, intervalMs: 100 },
      );
      for (const lease of leases.filter((job) => job.type === 'timer' && job.instance_id)) {
        const fired = await database.db('activity_history').where({ instance_id: lease.instance_id, element_id: TIMER_ELEMENT }).whereNotNull('ended_at').pluck('ended_at');
        expect(fired, `round ${round}: timer of ${lease.instance_id} fired once (${seedNote})`).toHaveLength(1);
        expect((fired[0] as Date).getTime(), `round ${round}: timer of ${lease.instance_id} taken over before its lease ran out (${seedNote})`).toBeGreaterThanOrEqual(lease.locked_until.getTime());
      }
      takenOver += leases.length;
      // A answered meanwhile (the lease wait alone is 3 s of its load).
      expect(answers.A, `round ${round}: node A answered while B was down (${seedNote})`).toBeGreaterThan(answersOfABefore);
      console.log(`round ${round}: B killed holding ${leases.length} leases; A answered ${answers.A - answersOfABefore} requests in ${Date.now() - killedAt} ms without B`);

      nodeB = await spawnNode(`crash2-B${round}`, { ...nodeEnv(), LIUZHUAN_DATA_KEYS: dataKeys });
      await waitUntilHealthy(nodeB, NODE_START_MS);
      bAccepting = true;
      await assertAcknowledgedSurvived(round);
      expect(failures, `5xx or unanswered requests on the survivor (${seedNote})`).toEqual([]);
    }
    await load.stop();

    // Every timer started (answered or not) fires exactly once, whichever node ran it.
    await eventually(async () => Number((await database.db('process_instances').where({ definition_key: TIMER_KEY, status: 'active' }).count<{ count: string }[]>('id as count'))[0]!.count) === 0, {
      message: `every timer to fire (${seedNote})`,
      timeoutMs: LEASE_MS + 30_000,
      intervalMs: 100,
    });
    const timers = await countTimers(database.db);
    expect(timers, seedNote).toMatchObject({ firedMoreThanOnce: 0, notFired: 0 });
    expect(timers.fired).toBe(timers.started);
    expect(timers.started).toBeGreaterThanOrEqual(acknowledged.timerStarts);
    expect(await checkConsistency(database.db), `violations at the end (${seedNote})`).toEqual([]);
    await assertAcknowledgedSurvived(ROUNDS);
    expect(failures, seedNote).toEqual([]);
    console.log(
      `crash-consistency-two-nodes: ${ROUNDS} kills, ${takenOver} leased jobs taken over, ${timers.fired}/${timers.started} timers fired once, ` +
        `${acknowledged.instances.size} answered starts, ${acknowledged.completedTasks.size} completions, ${acknowledged.records.size} records; answers A ${answers.A}, B ${answers.B}`,
    );
    expect(takenOver, `the kills never caught B holding a lease (${seedNote})`).toBeGreaterThan(0);
  }, 120_000 + ROUNDS * (NODE_START_MS + 60_000));
});
