/**
 * One fuzz test file: a server with the key-account template app, the fixture, and one test
 * per write route of the file's group. FUZZ_SEED fixes the seed (printed either way), FUZZ_RUNS
 * the cases per route (10 in `npm test`; `npm run fuzz` runs as many as asked).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { TEST_ADMIN_PASSWORD, useTestServer } from '../server.ts';
import { Fixture } from './fixtures.ts';
import { writeRoutes } from './routes.ts';
import { fuzzRoute, type FuzzStats } from './runner.ts';
import { FUZZ_TARGETS, type FuzzGroup } from './targets.ts';

export const FUZZ_SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : Math.floor(Math.random() * 2 ** 31);
const RUNS = Number(process.env.FUZZ_RUNS ?? 10);
/** FUZZ_ROUTE: only routes containing this text (replaying one failure). */
const ONLY = process.env.FUZZ_ROUTE;

export function fuzzSuite(group: FuzzGroup): void {
  const t = useTestServer({ LIUZHUAN_LOAD_TEMPLATES: 'true' });
  let fx: Fixture;
  const stats: FuzzStats[] = [];

  beforeAll(async () => {
    fx = new Fixture(t, t.server.ctx.db, await t.login('admin', TEST_ADMIN_PASSWORD));
    await fx.setUp();
    // Printed so a failure in CI replays: FUZZ_SEED=<seed> npx vitest run <file>.
    console.log(`fuzz ${group}: FUZZ_SEED=${FUZZ_SEED}, ${RUNS} cases per route`);
  });

  describe(`hostile input to the ${group} write routes (seed ${FUZZ_SEED})`, () => {
    it('declares a payload generator for every write route the app serves', () => {
      const routes = writeRoutes(t.server.ctx);
      expect(routes.filter((route) => !FUZZ_TARGETS[route]), 'write routes without a fuzz declaration in test/helpers/fuzz/targets.ts').toEqual([]);
      expect(Object.keys(FUZZ_TARGETS).filter((route) => !routes.includes(route)), 'declarations of routes the app no longer serves').toEqual([]);
    });

    for (const [route, target] of Object.entries(FUZZ_TARGETS).filter(([route, target]) => target.group === group && (!ONLY || route.includes(ONLY)))) {
      it(route, { timeout: 120_000 }, async () => {
        stats.push(await fuzzRoute(route, target, fx, { seed: FUZZ_SEED, runs: RUNS, warn: (line) => console.warn(line) }));
      });
    }

    it('reports what ran', () => {
      const total = stats.reduce((sum, s) => sum + s.runs, 0);
      console.log(`fuzz ${group}: ${total} requests over ${stats.length} routes, seed ${FUZZ_SEED}`);
      for (const s of stats) console.log(`  ${s.route}: ${JSON.stringify(s.statuses)}`);
    });
  });
}
