/**
 * Shared helpers of the scale benchmarks (bench/inbox.ts, records.ts, fanout.ts, timers.ts):
 * set-based generation in chunks with progress lines, and p50/p99 over repeated runs.
 */
import type { Db } from '../engine/db/connection.ts';

export type Log = (line: string) => void;

export function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? 0;
}

export interface Timing {
  label: string;
  runs: number;
  p50: number;
  p99: number;
}

/** Runs `work(i)` `runs` times one after another (after `warm` unmeasured runs) and returns p50/p99 in ms. */
export async function measure(label: string, runs: number, work: (i: number) => Promise<unknown>, warm = Math.min(5, runs)): Promise<Timing> {
  for (let i = 0; i < warm; i++) await work(runs + i);
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await work(i);
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return { label, runs, p50: percentile(times, 50), p99: percentile(times, 99) };
}

/** Prints timings as a table, with the ratio of each p50 to the baseline's. */
export function printTimings(log: Log, rows: Timing[], baseline: Timing, target?: { ms: number; of: string }): void {
  const width = Math.max(...rows.map((row) => row.label.length), baseline.label.length);
  log(`  ${'query'.padEnd(width)}  runs     p50 ms     p99 ms   p50 ÷ baseline`);
  for (const row of [baseline, ...rows]) {
    const ratio = row === baseline ? 'baseline' : `${(row.p50 / Math.max(baseline.p50, 0.001)).toFixed(1)} ×`;
    const flag = target && row !== baseline && !row.label.startsWith('reference') ? (row.p99 < target.ms ? `  meets ${target.of} < ${target.ms} ms` : `  MISSES ${target.of} < ${target.ms} ms`) : '';
    log(`  ${row.label.padEnd(width)}  ${String(row.runs).padStart(4)}  ${row.p50.toFixed(2).padStart(9)}  ${row.p99.toFixed(2).padStart(9)}   ${ratio}${flag}`);
  }
}

/**
 * `total` rows made by `insert(from, count)` (set-based SQL over generate_series(from, from+count-1)),
 * in chunks so that progress shows and no single statement holds gigabytes.
 */
export async function generate(log: Log, what: string, total: number, insert: (from: number, count: number) => Promise<unknown>, chunk = 200_000): Promise<void> {
  const started = performance.now();
  for (let from = 1; from <= total; from += chunk) {
    const count = Math.min(chunk, total - from + 1);
    await insert(from, count);
    const done = from + count - 1;
    log(`  ${what}: ${done.toLocaleString('en')} / ${total.toLocaleString('en')} (${((performance.now() - started) / 1000).toFixed(1)} s)`);
  }
}

/**
 * VACUUM ANALYZE after bulk loading: the planner must see the real sizes, the visibility map
 * must allow index-only scans and GIN pending lists must be merged — as autovacuum leaves a
 * live table; a freshly loaded one would measure the loading, not the query.
 */
export async function analyze(db: Db, tables: string[]): Promise<void> {
  for (const table of tables) await db.raw('VACUUM ANALYZE ??', [table]);
}

/** A deterministic pseudo-random sequence (same users picked every run). */
export function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1_664_525 + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
}
