/**
 * The job executor of one node. It leases due jobs in batches (acquire.ts), runs at most
 * `maxConcurrency` at a time (runJob.ts), and sleeps until woken — by a NOTIFY on the jobs
 * channel (a new or retried job) or by a timer set for the next due job, capped at
 * `maxIdleMs` — so an idle node sends one small query per cap, not a poll per second.
 * Any number of executors, on any number of nodes, may share one database.
 */
import os from 'node:os';
import { randomUUID } from 'node:crypto';
import type { Db } from '../db/connection.ts';
import type { EventBus } from '../events.ts';
import { JOBS_CHANNEL, type JobRow } from '../store/jobs.ts';
import { acquireDueJobs, nextWakeAt, releaseLeases } from './acquire.ts';
import { createJobListener, type JobListener } from './listener.ts';
import { jobRunSettings, runLeasedJob, type JobOutcome, type JobRunSettings } from './runJob.ts';

export interface JobExecutorOptions extends Partial<JobRunSettings> {
  db: Db;
  events: EventBus;
  clock?: () => Date;
  /** Names this executor's leases (`jobs.locked_by`); unique per executor. */
  nodeId?: string;
  maxConcurrency?: number;
  /** Jobs leased per round trip (queued beyond the running ones); default 2 × concurrency. */
  batchSize?: number;
  /** Longest sleep without a NOTIFY or a known due job. */
  maxIdleMs?: number;
  /** How long `stop()` waits for running jobs before aborting them. */
  stopTimeoutMs?: number;
  /** Connection for LISTEN; default: the knex connection settings of `db`. */
  listenConnection?: string | Record<string, unknown>;
  onError?: (error: unknown, context: { jobId?: string; phase: string }) => void;
}

export interface RunCounts {
  acquired: number;
  executed: number;
  retried: number;
  incidents: number;
  skipped: number;
}

/** What `/api/health` shows of this node's executor. */
export interface ExecutorStatus {
  state: 'running' | 'stopped';
  running: number;
  queued: number;
  maxConcurrency: number;
  /** When the last lease round asked the database for due jobs (null: never). */
  lastLeaseAt: Date | null;
  /** When the executor will look again on its own, without a NOTIFY (null: not sleeping). */
  wakeAt: Date | null;
}

export interface JobExecutor {
  readonly nodeId: string;
  status(): ExecutorStatus;
  start(): void;
  /** Stop leasing, wait for running jobs (then abort them), give back leases not started. */
  stop(): Promise<void>;
  /** For tests and tools: lease and run everything due now, until nothing is left. */
  runDueJobsOnce(): Promise<RunCounts>;
  /** Look for due jobs now (e.g. after moving a test clock). */
  wake(): void;
}

export function createJobExecutor(options: JobExecutorOptions): JobExecutor {
  const { db } = options;
  const clock = options.clock ?? (() => new Date());
  const deps = { db, events: options.events, clock };
  const settings = jobRunSettings(options);
  const nodeId = options.nodeId ?? `${os.hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const maxConcurrency = Math.max(1, options.maxConcurrency ?? 4);
  const batchSize = Math.max(maxConcurrency, options.batchSize ?? maxConcurrency * 2);
  const maxIdleMs = options.maxIdleMs ?? 30_000;
  const reportError = options.onError ?? ((error, context) => console.error(`job executor ${nodeId} (${context.phase})`, error));
  // A throwing error handler must not break a lease round or a job's bookkeeping.
  const onError = (error: unknown, context: { jobId?: string; phase: string }) => {
    try {
      reportError(error, context);
    } catch {
      // nothing left to tell
    }
  };

  const queue: JobRow[] = [];
  const running = new Map<string, Promise<unknown>>();
  const stopController = new AbortController();
  let started = false;
  let stopping = false;
  let pumping: Promise<void> | null = null;
  let pumpAgain = false;
  /** The last lease round filled its batch: more may be due, look again as slots free up. */
  let moreMayBeDue = false;
  let timer: NodeJS.Timeout | undefined;
  let timerAt: number | null = null;
  let lastLeaseAt: Date | null = null;
  let listener: JobListener | undefined;

  const lease = (limit: number) => {
    lastLeaseAt = new Date();
    return acquireDueJobs(db, { now: clock(), owner: nodeId, leaseMs: settings.leaseMs, limit });
  };
  const run = (job: JobRow) => runLeasedJob(deps, settings, job, nodeId, stopController.signal);

  function sleep(ms: number) {
    clearTimeout(timer);
    timerAt = null;
    if (stopping) return;
    const delay = Math.max(0, Math.min(ms, maxIdleMs));
    timerAt = Date.now() + delay;
    timer = setTimeout(() => {
      timerAt = null;
      void pump();
    }, delay);
    timer.unref();
  }

  /** Makes sure the executor looks again by `at` (a retried job's back-off, no NOTIFY for it). */
  function wakeBy(at: Date) {
    const ms = at.getTime() - clock().getTime();
    if (timerAt === null || Date.now() + ms < timerAt) sleep(ms);
  }

  function dispatch() {
    while (!stopping && running.size < maxConcurrency && queue.length > 0) {
      const job = queue.shift()!;
      const done = run(job)
        .then((outcome) => {
          if (outcome.status === 'retry') wakeBy(outcome.dueAt);
        })
        .catch((error) => onError(error, { jobId: job.id, phase: 'run' }))
        .finally(() => {
          running.delete(job.id);
          dispatch();
          if (moreMayBeDue && queue.length < maxConcurrency) void pump();
        });
      running.set(job.id, done);
    }
  }

  /** Lease rounds until nothing more can be taken now, then sleep until the next due job. */
  async function leaseRounds(): Promise<void> {
    try {
      do {
        pumpAgain = false;
        const room = batchSize - running.size - queue.length;
        // Full: a finishing job pumps again (dispatch), so no sleep timer is needed meanwhile.
        if (room <= 0) {
          moreMayBeDue = true;
          return;
        }
        const jobs = await lease(room);
        if (stopping) {
          await releaseLeases(db, jobs.map((job) => job.id), nodeId);
          return;
        }
        moreMayBeDue = jobs.length === room;
        queue.push(...jobs);
        dispatch();
      } while (pumpAgain || (moreMayBeDue && batchSize - running.size - queue.length > 0));
      const next = await nextWakeAt(db);
      // Due jobs we could not get are held by another node's short transaction: look again soon.
      sleep(next ? Math.max(next.getTime() - clock().getTime(), 100) : maxIdleMs);
    } catch (error) {
      onError(error, { phase: 'acquire' });
      pumpAgain = false; // the back-off below wins over wake-ups during the failed round
      sleep(Math.min(5_000, maxIdleMs));
    }
  }

  /**
   * One lease round at a time; a wake-up during a round asks for one more. `pumping` is
   * cleared only after it was assigned (a round can end without awaiting anything), and a
   * wake-up that came too late for the round's loop starts the next round.
   */
  function pump(): Promise<void> {
    if (!started || stopping) return Promise.resolve();
    if (pumping) {
      pumpAgain = true;
      return pumping;
    }
    const round: Promise<void> = leaseRounds().finally(() => {
      if (pumping === round) pumping = null;
      if (pumpAgain && !stopping) void pump();
    });
    pumping = round;
    return round;
  }

  return {
    nodeId,
    status() {
      return {
        state: started && !stopping ? 'running' : 'stopped',
        running: running.size,
        queued: queue.length,
        maxConcurrency,
        lastLeaseAt,
        wakeAt: timerAt === null ? null : new Date(timerAt),
      };
    },
    start() {
      if (started) return;
      started = true;
      listener = createJobListener({
        connection: (options.listenConnection ?? (db.client.config as { connection: unknown }).connection) as string,
        channel: JOBS_CHANNEL,
        onNotify: () => void pump(),
        onError: (error) => onError(error, { phase: 'listen' }),
      });
      listener.start();
      void pump();
    },

    async stop() {
      if (stopping) return;
      stopping = true;
      clearTimeout(timer);
      timerAt = null;
      await listener?.stop();
      await pumping?.catch(() => {});
      const notStarted = queue.splice(0).map((job) => job.id);
      try {
        await releaseLeases(db, notStarted, nodeId);
      } catch (error) {
        onError(error, { phase: 'stop' });
      }
      const all = Promise.allSettled([...running.values()]);
      let waiting: NodeJS.Timeout | undefined;
      const timedOut = await Promise.race([
        all.then(() => false),
        new Promise<boolean>((resolve) => (waiting = setTimeout(() => resolve(true), options.stopTimeoutMs ?? 10_000))),
      ]);
      clearTimeout(waiting);
      if (timedOut) {
        // Effects see the abort; a timer's transaction cannot be cut short and ends on its own.
        stopController.abort(new Error('The job executor is stopping'));
        await all;
      }
    },

    async runDueJobsOnce() {
      const counts: RunCounts = { acquired: 0, executed: 0, retried: 0, incidents: 0, skipped: 0 };
      const tally = (outcome: JobOutcome) => {
        if (outcome.status === 'executed') counts.executed += 1;
        else if (outcome.status === 'retry') counts.retried += 1;
        else if (outcome.status === 'incident') counts.incidents += 1;
        else counts.skipped += 1;
      };
      while (true) {
        const jobs = await lease(batchSize);
        if (jobs.length === 0) return counts;
        counts.acquired += jobs.length;
        let next = 0;
        const worker = async () => {
          while (next < jobs.length) tally(await run(jobs[next++]!));
        };
        await Promise.all(Array.from({ length: Math.min(maxConcurrency, jobs.length) }, worker));
      }
    },

    wake() {
      void pump();
    },
  };
}
