/**
 * One soak run: a scratch database, two real nodes on it (`server/main.ts` child processes,
 * each with nodeProbe.mjs preloaded), the mixed load (load.ts) from `clients` clients spread
 * over both with a socket each, a progress line every `progressEveryMs`, and at the end the
 * report (report.ts) written to `reportPath`.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { checkConsistency } from '../../engine/consistency/index.ts';
import { connect, type Db } from '../../engine/db/connection.ts';
import { spawnNode, stopNodes, waitUntilHealthy, type NodeProcess } from '../../test/helpers/processes.ts';
import { HttpClient, login } from './httpClient.ts';
import { MixedLoad, OPERATION_KINDS, type OperationKind, type OperationResult } from './load.ts';
import { NOTE_FORM_BODY, SOAK_MODELS, TIMER_ELEMENT, TIMER_KEY } from './models.ts';
import { seeded } from './random.ts';
import { leakVerdict, nodeReport, summaryLines, type NodeSample, type ProgressLine, type SoakReport } from './report.ts';
import { createScratchDatabase } from './scratchDatabase.ts';
import { SocketAudience } from './sockets.ts';
import { spread } from './stats.ts';

export interface SoakOptions {
  durationMs: number;
  clients: number;
  seed: number;
  progressEveryMs: number;
  reportPath: string;
  leakThresholdMbPerMin: number;
  /** A PostgreSQL server to make the scratch database on; unset: an embedded one. */
  adminUrl?: string;
  /** Ends the load early (Ctrl-C): the report is still written and the database dropped. */
  stop?: AbortSignal;
  log(line: string): void;
}

const NODE_NAMES = ['A', 'B'];
/** Preloaded into each node (a file URL: NODE_OPTIONS splits on spaces). */
const PROBE = new URL('./nodeProbe.mjs', import.meta.url).href;

export async function runSoak(options: SoakOptions): Promise<SoakReport> {
  const { log } = options;
  const database = await createScratchDatabase(options.adminUrl, log);
  const workDir = mkdtempSync(path.join(os.tmpdir(), 'liuzhuan-soak-'));
  const password = `Soak-${randomBytes(9).toString('hex')}`;
  const nodes: NodeProcess[] = [];
  /** Clients to close however the run ends (open sockets would keep this process alive). */
  const closers: Array<() => unknown> = [];
  let db: Db | undefined;
  try {
    db = connect(database.url, { poolMax: 2 });
    const env = {
      DATABASE_URL: database.url,
      ADMIN_PASSWORD: password,
      LIUZHUAN_LOAD_TEMPLATES: 'false',
      LIUZHUAN_DEMO_CUSTOMERS: '0',
      LIUZHUAN_DATA_DIR: workDir,
      // One key for both nodes: what one encrypts the other reads.
      LIUZHUAN_DATA_KEYS: `k1:${randomBytes(32).toString('base64')}`,
      LOG_LEVEL: 'error',
    };
    log(`soak: database ${database.name} (${database.server}); starting nodes ${NODE_NAMES.join(', ')}…`);
    for (const name of NODE_NAMES) {
      nodes.push(
        await spawnNode(`soak-${name}`, {
          ...env,
          LIUZHUAN_SOAK_PROBE_FILE: path.join(workDir, `probe-${name}.jsonl`),
          NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import=${PROBE}`.trim(),
        }),
      );
    }
    await Promise.all(nodes.map((node) => waitUntilHealthy(node, 120_000)));
    return await soakAgainst(options, database, nodes, db, password, workDir, closers);
  } finally {
    for (const close of closers) await close();
    await stopNodes(nodes);
    await db?.destroy();
    await database.drop();
    rmSync(workDir, { recursive: true, force: true });
  }
}

async function soakAgainst(
  options: SoakOptions,
  database: { name: string; server: string },
  nodes: NodeProcess[],
  db: Db,
  password: string,
  workDir: string,
  closers: Array<() => unknown>,
): Promise<SoakReport> {
  const { log } = options;
  const token = await login(nodes[0]!.url, 'admin', password);
  const http = new HttpClient(token, 30_000, options.clients * 2);
  closers.push(() => http.close());
  const setup = async (method: string, url: string, body: unknown) => {
    const answer = await http.request(nodes[0]!.url, method, url, body);
    if (answer.status !== 201) throw new Error(`setup ${method} ${url} answered ${answer.status}: ${JSON.stringify(answer.body)}`);
  };
  await setup('POST', '/api/forms', NOTE_FORM_BODY);
  for (const xml of SOAK_MODELS) await setup('POST', '/api/definitions', { xml });

  const audience = new SocketAudience();
  closers.push(() => audience.close());
  // Socket i sits on the node load client i talks to.
  await audience.connect(
    Array.from({ length: options.clients }, (_, i) => ({ name: NODE_NAMES[i % nodes.length]!, url: nodes[i % nodes.length]!.url })),
    token,
  );
  /** The node each approval task was started through (its task.assigned may reach a socket on either). */
  const taskNode = new Map<string, string>();

  // Every answer, kept: all latencies per kind (for the end) and this window's (for progress).
  const all = Object.fromEntries(OPERATION_KINDS.map((kind) => [kind, [] as number[]])) as Record<OperationKind, number[]>;
  const okCounts = Object.fromEntries(OPERATION_KINDS.map((kind) => [kind, 0])) as Record<OperationKind, number>;
  let windowTimes = Object.fromEntries(OPERATION_KINDS.map((kind) => [kind, [] as number[]])) as Record<OperationKind, number[]>;
  let windowErrors: Record<string, number> = {};
  const statuses: Record<string, number> = {};
  const errors: Record<string, number> = {};
  let timerStarts = 0;
  const onResult = (result: OperationResult) => {
    const status = result.status === null ? 'none' : String(result.status);
    statuses[status] = (statuses[status] ?? 0) + 1;
    all[result.kind].push(result.ms);
    windowTimes[result.kind].push(result.ms);
    if (result.status !== null && result.status >= 200 && result.status < 300) {
      okCounts[result.kind] += 1;
      for (const task of result.kind === 'start' ? (result.body?.nextTasks ?? []) : []) taskNode.set(task.id, result.target);
      if (result.kind === 'timer') timerStarts += 1;
      return;
    }
    const key = `${result.status === null ? 'no answer' : result.status} ${result.route}`;
    errors[key] = (errors[key] ?? 0) + 1;
    windowErrors[key] = (windowErrors[key] ?? 0) + 1;
    // The first of each kind of error, with its answer, so a failing run says what went wrong.
    if (errors[key] === 1) log(`  first ${key} (node ${result.target}): ${JSON.stringify(result.body).slice(0, 300)}`);
  };

  const load = new MixedLoad({
    targets: nodes.map((node, i) => ({ name: NODE_NAMES[i]!, url: node.url, accepting: () => node.alive() })),
    http,
    clients: options.clients,
    random: seeded(options.seed),
    onResult,
  });
  const startedAt = new Date();
  const began = Date.now();
  const elapsedS = () => Math.round((Date.now() - began) / 100) / 10;
  const probe = (name: string): NodeSample[] => readProbe(path.join(workDir, `probe-${name}.jsonl`), began);
  const progress: ProgressLine[] = [];
  let operationsBefore = 0;
  let windowStart = Date.now();

  const progressLine = async () => {
    const now = Date.now();
    const operations = Object.values(all).reduce((sum, times) => sum + times.length, 0);
    const line: ProgressLine = {
      t: elapsedS(),
      operationsPerSecond: Math.round(((operations - operationsBefore) / Math.max(1, now - windowStart)) * 10_000) / 10,
      latency: Object.fromEntries(OPERATION_KINDS.map((kind) => [kind, spread(windowTimes[kind])])),
      errors: windowErrors,
      rssMb: {},
      lagP99Ms: {},
      backlog: await backlogOf(http, nodes[0]!.url),
      eventsReceived: audience.total(),
    };
    for (const name of NODE_NAMES) {
      const last = probe(name).at(-1);
      line.rssMb[name] = last?.rssMb ?? 0;
      line.lagP99Ms[name] = last?.lagP99Ms ?? 0;
    }
    operationsBefore = operations;
    windowStart = now;
    windowTimes = Object.fromEntries(OPERATION_KINDS.map((kind) => [kind, [] as number[]])) as Record<OperationKind, number[]>;
    windowErrors = {};
    progress.push(line);
    log(formatProgress(line));
  };

  load.start();
  closers.unshift(() => load.stop());
  log(`soak: load running for ${Math.round(options.durationMs / 1000)} s with ${options.clients} clients (seed ${options.seed})`);
  while (Date.now() - began < options.durationMs && !options.stop?.aborted) {
    await pause(Math.min(options.progressEveryMs, options.durationMs - (Date.now() - began)), options.stop);
    await progressLine();
  }
  if (options.stop?.aborted) log('soak: stopped early; reporting what ran');
  await load.stop();
  const durationMs = Date.now() - began;

  // The last timers (1 s) and events still on their way: wait for the timers, then count.
  await drainTimers(db, 30_000);
  const timers = await countTimers(db);
  const violations = await checkConsistency(db);
  audience.close();
  http.close();

  const nodesReport = Object.fromEntries(NODE_NAMES.map((name) => [name, nodeReport(probe(name), durationMs / 2000)]));
  const leak = leakVerdict(nodesReport, durationMs, options.leakThresholdMbPerMin);
  const operations = Object.values(all).reduce((sum, times) => sum + times.length, 0);
  const serverErrors = Object.entries(statuses).filter(([status]) => status.startsWith('5')).reduce((sum, [, count]) => sum + count, 0);
  const noAnswer = statuses.none ?? 0;
  const leastPerSocket = Math.min(...audience.received);
  const leastFromOtherNode = Math.min(...audience.crossNode(taskNode));

  const failures: string[] = [];
  if (serverErrors > 0) failures.push(`${serverErrors} answers 5xx`);
  if (noAnswer > 0) failures.push(`${noAnswer} requests without an answer`);
  for (const kind of OPERATION_KINDS) if (okCounts[kind] === 0) failures.push(`no ${kind} operation succeeded`);
  if (leastPerSocket === 0) failures.push('a socket received no event');
  if (leastFromOtherNode === 0) failures.push('a socket heard no task started through the other node');
  if (audience.disconnects > 0) failures.push(`${audience.disconnects} socket disconnects`);
  if (timers.firedMoreThanOnce > 0) failures.push(`${timers.firedMoreThanOnce} timers fired more than once`);
  if (timers.notFired > 0) failures.push(`${timers.notFired} timers not fired 30 s after the load stopped`);
  if (timers.started < timerStarts) failures.push(`${timerStarts - timers.started} answered timer starts missing`);
  if (violations.length > 0) failures.push(`${violations.length} consistency violations`);
  if (leak.leaking.length > 0) failures.push(leak.verdict);

  const report: SoakReport = {
    seed: options.seed,
    clients: options.clients,
    startedAt: startedAt.toISOString(),
    durationS: Math.round(durationMs / 100) / 10,
    database: `${database.name} (${database.server})`,
    throughput: { operations, perSecond: Math.round((operations / (durationMs / 1000)) * 10) / 10 },
    operations: Object.fromEntries(OPERATION_KINDS.map((kind) => [kind, { ...spread(all[kind]), ok: okCounts[kind] }])) as SoakReport['operations'],
    statuses,
    errors,
    serverErrors,
    noAnswer,
    events: { sockets: audience.received.length, received: audience.total(), byType: audience.byType, leastPerSocket, leastFromOtherNode, disconnects: audience.disconnects },
    timers,
    consistency: { violations },
    nodes: nodesReport,
    progress,
    leak,
    failures,
    ok: failures.length === 0,
  };
  mkdirSync(path.dirname(options.reportPath), { recursive: true });
  writeFileSync(options.reportPath, `${JSON.stringify(report, null, 2)}\n`);
  for (const line of summaryLines(report)) log(line);
  log(`report: ${options.reportPath}`);
  return report;
}

/** Waits `ms`, or less if `signal` aborts meanwhile. */
function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

function readProbe(file: string, began: number): NodeSample[] {
  let text = '';
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  const samples: NodeSample[] = [];
  for (const line of text.split('\n')) {
    if (!line) continue;
    try {
      const { at, ...figures } = JSON.parse(line) as { at: number } & Omit<NodeSample, 't'>;
      if (at >= began) samples.push({ t: Math.round((at - began) / 100) / 10, ...figures });
    } catch {
      // a line cut by the node's exit
    }
  }
  return samples;
}

async function backlogOf(http: HttpClient, url: string): Promise<ProgressLine['backlog']> {
  const answer = await http.request(url, 'GET', '/api/health');
  return answer.status === 200 ? answer.body.jobs : null;
}

async function drainTimers(db: Db, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const waiting = await db('process_instances').where({ definition_key: TIMER_KEY, status: 'active' }).count<{ count: string }[]>('id as count');
    if (Number(waiting[0]!.count) === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Each timer instance's firings, from its history: exactly one each. */
export async function countTimers(db: Db): Promise<SoakReport['timers']> {
  const { rows } = await db.raw(
    `SELECT count(*) AS started,
            count(*) FILTER (WHERE fired = 1) AS once,
            count(*) FILTER (WHERE fired > 1) AS more,
            count(*) FILTER (WHERE fired = 0) AS none,
            coalesce(sum(fired), 0) AS fired
     FROM (SELECT i.id, (SELECT count(*) FROM activity_history h WHERE h.instance_id = i.id AND h.element_id = ? AND h.ended_at IS NOT NULL AND NOT h.cancelled) AS fired
           FROM process_instances i WHERE i.definition_key = ?) per_instance`,
    [TIMER_ELEMENT, TIMER_KEY],
  );
  const row = rows[0];
  return { started: Number(row.started), fired: Number(row.fired), firedMoreThanOnce: Number(row.more), notFired: Number(row.none) };
}

function formatProgress(line: ProgressLine): string {
  const kinds = OPERATION_KINDS.map((kind) => {
    const timing = line.latency[kind];
    return timing && timing.count > 0 ? `${kind} ${timing.p50}/${timing.p99}` : `${kind} -`;
  }).join(' ');
  const errors = Object.entries(line.errors).map(([key, count]) => `${key}: ${count}`).join(', ') || 'none';
  const nodes = NODE_NAMES.map((name) => `${name} ${line.rssMb[name]} MB lag ${line.lagP99Ms[name]} ms`).join(', ');
  const backlog = line.backlog ? `${line.backlog.due} due (oldest ${(line.backlog.oldestDueLatenessMs / 1000).toFixed(1)} s late)` : 'unknown';
  return `[${String(Math.round(line.t)).padStart(5)} s] ${line.operationsPerSecond} ops/s | p50/p99 ms: ${kinds} | errors: ${errors} | ${nodes} | jobs ${backlog} | events ${line.eventsReceived}`;
}
