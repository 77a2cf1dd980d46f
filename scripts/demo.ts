/**
 * `npm run demo -- --customers 200 --seed 1 [--today 2026-06-30]`: fills a database that has
 * the key-account template app with a deterministic demo (templates/key-account/demo/):
 * customers, two years of history, live process states, computed tiers. Same seed and same
 * --today → same business data. A second run of the same plan is refused, not duplicated.
 *
 * Database: DATABASE_URL, else the embedded one under LIUZHUAN_DATA_DIR (default .data) —
 * which must not be in use by a running server (stop it first, or set DATABASE_URL).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { openDatabase } from '../engine/db/database.ts';
import { createEngine } from '../engine/engine.ts';
import { EventBus } from '../engine/events.ts';
import { createTaskDataValidator } from '../engine/forms/taskData.ts';
import { configureEngineLimits } from '../engine/limits.ts';
import { readConfig } from '../server/config.ts';
import { DATE_PATTERN, todayInBeijing } from '../templates/key-account/demo/dates.ts';
import { DemoRefused, generateDemo } from '../templates/key-account/demo/generate.ts';
import { stderrProgress } from '../templates/key-account/demo/progress.ts';

function wholeNumber(name: string, max: number) {
  return (value: string) => {
    const parsed = Number(value);
    if (!/^\d+$/.test(value) || parsed > max) throw new InvalidArgumentError(`${name} must be a whole number from 0 to ${max}.`);
    return parsed;
  };
}

function referenceDate(value: string): string {
  if (!DATE_PATTERN.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`))) {
    throw new InvalidArgumentError('--today must be a date like 2026-06-30.');
  }
  return value;
}

/** True when a live server (ours or another's) holds the embedded data folder. */
function embeddedInUse(dataDir: string): boolean {
  const file = path.join(dataDir, 'postgres', 'postmaster.pid');
  if (!existsSync(file)) return false;
  try {
    process.kill(Number(readFileSync(file, 'utf8').split('\n')[0]), 0);
    return true;
  } catch {
    return false;
  }
}

const program = new Command()
  .name('npm run demo --')
  .description('Fill the key-account app with deterministic demo data (needs the template app installed: start the server once).')
  .option('--customers <n>', 'how many customers to generate', wholeNumber('--customers', 100_000), 200)
  .option('--seed <n>', 'seed of the generator: same seed, same data', wholeNumber('--seed', 2 ** 32 - 1), 1)
  .option('--today <date>', 'reference date YYYY-MM-DD (default: today in Beijing)', referenceDate)
  .parse();

async function main(): Promise<void> {
  const options = program.opts<{ customers: number; seed: number; today?: string }>();
  const config = readConfig();
  if (!config.databaseUrl && embeddedInUse(config.dataDir)) {
    throw new DemoRefused(
      `The embedded database in ${config.dataDir} is in use (is the server running?). Stop the server first, or set DATABASE_URL.`,
    );
  }
  const today = options.today ?? todayInBeijing();
  const opened = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    configureEngineLimits(config.limits);
    // The engine's clock runs from the reference date (same time of day), so deadlines and
    // timers of the live instances sit around --today like the records' dates do.
    const offset = Date.parse(`${today}T00:00:00+08:00`) - Date.parse(`${todayInBeijing()}T00:00:00+08:00`);
    const engine = createEngine({
      db: opened.db,
      events: new EventBus(),
      clock: () => new Date(Date.now() + offset),
      validateTaskData: createTaskDataValidator(),
    });
    const started = Date.now();
    const result = await generateDemo(engine, { seed: options.seed, customers: options.customers, today }, stderrProgress());
    console.log(JSON.stringify({ seed: options.seed, today, seconds: Math.round((Date.now() - started) / 100) / 10, ...result }, null, 2));
  } finally {
    await opened.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof DemoRefused ? `demo: ${error.message}` : error);
  process.exit(error instanceof DemoRefused ? 2 : 1);
});
