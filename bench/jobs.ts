/**
 * Job executor benchmark: throughput (jobs/s) and latency (due → done, p50/p95) with one and
 * with three executors, against a baseline measured in the same run on the same database:
 * raw single-row INSERT + DELETE transactions, which is the least any job costs.
 *
 *  - effect jobs: `effect:noop` rows, the executor's own overhead (lease, run, delete);
 *  - timer jobs: intermediate timer events of a tiny process, each a full engine command;
 *  - trickle: effect jobs arriving one by one, the latency a NOTIFY wake-up gives.
 */
import { randomUUID } from 'node:crypto';
import { connect, type Db } from '../engine/db/connection.ts';
import { createEngine } from '../engine/engine.ts';
import { EventBus } from '../engine/events.ts';
import type { EffectRegistry } from '../engine/effects/index.ts';
import { createJobExecutor, type JobExecutor } from '../engine/jobs/executor.ts';

export interface BenchOptions {
  url: string;
  jobs: number;
  log: (line: string) => void;
}

interface Measured {
  label: string;
  perSecond: number;
  p50?: number;
  p95?: number;
}

const CONCURRENCY = 4;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Baseline: one transaction inserts a job row, another deletes it, `parallel` at a time. */
async function baseline(db: Db, count: number, parallel: number): Promise<Measured> {
  const started = performance.now();
  let next = 0;
  const worker = async () => {
    while (next < count) {
      next += 1;
      const id = randomUUID();
      await db.transaction((trx) => trx('jobs').insert({ id, type: 'bench', due_at: new Date(), payload: '{}' }));
      await db.transaction((trx) => trx('jobs').where({ id }).delete());
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
  return { label: `baseline insert+delete ×${parallel}`, perSecond: count / ((performance.now() - started) / 1000) };
}

function makeExecutors(url: string, count: number, effects: EffectRegistry, events: EventBus): { executors: JobExecutor[]; pools: Db[] } {
  const pools = Array.from({ length: count }, () => connect(url, { poolMax: CONCURRENCY + 2 }));
  const executors = pools.map((db, index) =>
    createJobExecutor({ db, events, nodeId: `bench-${index}`, maxConcurrency: CONCURRENCY, effects, onError: () => {} }),
  );
  return { executors, pools };
}

async function untilEmpty(db: Db, timeoutMs = 120_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const [{ n }] = await db('jobs').count({ n: '*' });
    if (Number(n) === 0) return;
    await sleep(20);
  }
  throw new Error('jobs did not finish in time');
}

/** A burst of `count` effect jobs due now, run by `executorCount` executors. */
async function effectBurst(options: BenchOptions, db: Db, executorCount: number): Promise<Measured> {
  const done = new Map<string, number>();
  const effects: EffectRegistry = { 'effect:noop': async ({ job }) => void done.set(job.id, Date.now()) };
  const dueAt = new Date();
  const rows = Array.from({ length: options.jobs }, () => ({ id: randomUUID(), type: 'effect:noop', due_at: dueAt, payload: '{}' }));
  for (let i = 0; i < rows.length; i += 500) await db('jobs').insert(rows.slice(i, i + 500));
  const { executors, pools } = makeExecutors(options.url, executorCount, effects, new EventBus());
  const started = Date.now();
  executors.forEach((executor) => executor.start());
  await untilEmpty(db);
  const elapsed = Math.max(...done.values()) - started;
  await Promise.all(executors.map((executor) => executor.stop()));
  await Promise.all(pools.map((pool) => pool.destroy()));
  const latencies = [...done.values()].map((at) => at - dueAt.getTime()).sort((a, b) => a - b);
  return {
    label: `effect jobs, burst, ${executorCount} executor(s)`,
    perSecond: options.jobs / (elapsed / 1000),
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
  };
}

/** Effect jobs inserted one at a time at a steady pace: the wake-up latency. */
async function effectTrickle(options: BenchOptions, db: Db, executorCount: number): Promise<Measured> {
  const done = new Map<string, number>();
  const effects: EffectRegistry = { 'effect:noop': async ({ job }) => void done.set(job.id, Date.now()) };
  const { executors, pools } = makeExecutors(options.url, executorCount, effects, new EventBus());
  executors.forEach((executor) => executor.start());
  await sleep(200);
  const due = new Map<string, number>();
  const count = Math.min(200, options.jobs);
  for (let i = 0; i < count; i++) {
    const id = randomUUID();
    const at = new Date();
    due.set(id, at.getTime());
    await db.transaction(async (trx) => {
      await trx('jobs').insert({ id, type: 'effect:noop', due_at: at, payload: '{}' });
      await trx.raw(`SELECT pg_notify('liuzhuan_jobs', '1')`);
    });
    await sleep(5);
  }
  await untilEmpty(db);
  await Promise.all(executors.map((executor) => executor.stop()));
  await Promise.all(pools.map((pool) => pool.destroy()));
  const latencies = [...due].map(([id, at]) => done.get(id)! - at).sort((a, b) => a - b);
  return { label: `effect jobs, trickle, ${executorCount} executor(s)`, perSecond: NaN, p50: percentile(latencies, 50), p95: percentile(latencies, 95) };
}

/** `count` instances wait on a timer; all their jobs are made due at once. */
async function timerBurst(options: BenchOptions, db: Db, executorCount: number): Promise<Measured> {
  const events = new EventBus();
  const engine = createEngine({ db, events });
  const startedInstances: string[] = [];
  let next = 0;
  const worker = async () => {
    while (next < options.jobs) {
      next += 1;
      startedInstances.push((await engine.startInstance({ definitionKey: 'benchTimer' })).id);
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  const dueAt = new Date();
  await db.transaction(async (trx) => {
    await trx('jobs').whereIn('instance_id', startedInstances).update({ due_at: dueAt });
    await trx.raw(`SELECT pg_notify('liuzhuan_jobs', '1')`);
  });
  const { executors, pools } = makeExecutors(options.url, executorCount, {}, events);
  const started = Date.now();
  executors.forEach((executor) => executor.start());
  await untilEmpty(db);
  const elapsed = Date.now() - started;
  await Promise.all(executors.map((executor) => executor.stop()));
  await Promise.all(pools.map((pool) => pool.destroy()));
  const fired = await db('activity_history').whereIn('instance_id', startedInstances).where({ element_id: 'wait' }).select('ended_at');
  const latencies = fired.map((row: any) => new Date(row.ended_at).getTime() - dueAt.getTime()).sort((a, b) => a - b);
  return {
    label: `timer jobs, burst, ${executorCount} executor(s)`,
    perSecond: options.jobs / (elapsed / 1000),
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
  };
}

const TIMER_PROCESS = `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" targetNamespace="http://liuzhuan.dev/bench">
  <process id="benchTimer" isExecutable="true">
    <startEvent id="start"/>
    <intermediateCatchEvent id="wait"><timerEventDefinition><timeDuration>PT1H</timeDuration></timerEventDefinition></intermediateCatchEvent>
    <endEvent id="end"/>
    <sequenceFlow id="f1" sourceRef="start" targetRef="wait"/>
    <sequenceFlow id="f2" sourceRef="wait" targetRef="end"/>
  </process>
</definitions>`;

export async function runJobsBench(options: BenchOptions): Promise<void> {
  const { log } = options;
  const db = connect(options.url, { poolMax: 16 });
  const fmt = (value: number) => (Number.isFinite(value) ? value.toFixed(0) : '—');
  const results: Measured[] = [];
  const record = (result: Measured) => {
    results.push(result);
    log(`  ${result.label}: ${fmt(result.perSecond)} /s${result.p50 !== undefined ? `, latency p50 ${fmt(result.p50)} ms, p95 ${fmt(result.p95!)} ms` : ''}`);
  };
  try {
    await createEngine({ db, events: new EventBus() }).deploy(TIMER_PROCESS);
    log(`baseline: ${options.jobs} single-row INSERT + DELETE transactions…`);
    const base1 = await baseline(db, options.jobs, 1);
    record(base1);
    const baseN = await baseline(db, options.jobs, 3 * CONCURRENCY);
    record(baseN);
    for (const executors of [1, 3]) {
      log(`effect jobs: ${options.jobs} due at once, ${executors} executor(s) × ${CONCURRENCY} slots…`);
      record(await effectBurst(options, db, executors));
    }
    for (const executors of [1, 3]) {
      log(`effect jobs: one at a time, ${executors} executor(s)…`);
      record(await effectTrickle(options, db, executors));
    }
    for (const executors of [1, 3]) {
      log(`timer jobs: ${options.jobs} instances, timers due at once, ${executors} executor(s)…`);
      record(await timerBurst(options, db, executors));
    }
    log('');
    log('ratios (executor jobs/s ÷ baseline insert+delete/s at the same parallelism):');
    for (const result of results.filter((r) => r.label.includes('burst'))) {
      const base = result.label.includes(' 1 executor') ? base1 : baseN;
      log(`  ${result.label}: ${(result.perSecond / base.perSecond).toFixed(2)} × (${base.label})`);
    }
  } finally {
    await db.destroy();
  }
}
