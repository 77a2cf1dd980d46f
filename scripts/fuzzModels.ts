/**
 * `npm run fuzz -- --suite models`: the hostile-model suite (test/helpers/fuzz/hostileModels.ts,
 * docs/security.md) at length against the server scripts/fuzz.ts started, with GET /api/health
 * polled every 50 ms from a thread of its own. Returns what failed; the seed replays the run.
 */
import type { Knex } from 'knex';
import { watchHealth } from '../test/helpers/fuzz/healthWatch.ts';
import { HOSTILE_FAMILIES, hostileModelSpecOf, type HostileFamily } from '../test/helpers/fuzz/hostileModels.ts';
import { runHostileModels, summarize, type ModelCaseResult } from '../test/helpers/fuzz/modelRunner.ts';

export interface ModelSuiteOptions {
  seed: number;
  runs: number;
  family?: string;
  healthMs: number;
  log: (line: string) => void;
}

export async function runModelSuite(api: { url: string; token: string; db: Knex }, options: ModelSuiteOptions): Promise<{ cases: number; failures: string[] }> {
  const { log } = options;
  if (options.family && !HOSTILE_FAMILIES.includes(options.family as HostileFamily)) {
    throw new Error(`--family must be one of ${HOSTILE_FAMILIES.join(', ')}`);
  }
  const failures: string[] = [];
  const results: ModelCaseResult[] = [];
  log(`fuzz models: seed ${options.seed}, ${options.runs} cases${options.family ? ` of ${options.family}` : ''}`);
  const watch = watchHealth(api.url, 50);
  await watch.ready();
  try {
    results.push(
      ...(await runHostileModels(api, {
        seed: options.seed,
        runs: options.runs,
        watch,
        arbitrary: options.family ? hostileModelSpecOf(options.family as HostileFamily) : undefined,
        onCase: (r, i) => log(`  ${String(i).padStart(4)} ${r.spec.family.padEnd(19)} ${String(r.ms).padStart(6)} ms  deploy ${r.deploy}${r.start ? ` start ${r.start}` : ''}${r.instanceStatus ? ` ${r.instanceStatus}` : ''}  ${r.said ?? ''}`.slice(0, 240)),
      })),
    );
  } catch (error) {
    failures.push((error as Error).message);
    log(`  FAIL ${(error as Error).message}`);
  } finally {
    await watch.stop();
  }
  const samples = watch.samples();
  const slow = samples.filter((s) => s.ms > options.healthMs || s.status !== 200);
  log(`fuzz models: outcomes ${JSON.stringify(summarize(results))}`);
  log(`fuzz models: ${samples.length} health probes, ${slow.length} slower than ${options.healthMs} ms or failed; worst:`);
  for (const s of watch.worst(8)) log(`    ${Math.round(s.ms)} ms (status ${s.status}) during ${s.during.slice(0, 180)}`);
  if (slow.length > 0) failures.push(`${slow.length} health answers slower than ${options.healthMs} ms`);
  return { cases: results.length, failures };
}
