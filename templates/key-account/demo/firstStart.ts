/**
 * Demo life on the very first start (server/bootstrap.ts): a small generated demo at seed 1 and
 * today's date, after the bootstrap transaction committed (the generator works through the
 * engine's commands, one transaction each). Small by default so the first start still serves
 * quickly; LIUZHUAN_DEMO_CUSTOMERS sets the size, 0 leaves only the hand-written demo records.
 */
import type { Engine } from '../../../engine/engine.ts';
import { todayInBeijing } from './dates.ts';
import { generateDemo, type DemoResult } from './generate.ts';

export const FIRST_START_SEED = 1;

export async function firstStartDemo(engine: Engine, customers: number): Promise<DemoResult & { seconds: number }> {
  const started = Date.now();
  const result = await generateDemo(engine, { seed: FIRST_START_SEED, customers, today: todayInBeijing(engine.deps.clock()) });
  return { ...result, seconds: Math.round((Date.now() - started) / 100) / 10 };
}
