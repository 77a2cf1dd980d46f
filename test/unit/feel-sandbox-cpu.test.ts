/**
 * The FEEL sandbox's blocking bound counts the time the worker holds its caller by its own
 * doing — wall-clock time less its run-queue delay —, not plain wall-clock time (issue 18): a
 * spinning expression is stopped after about LIUZHUAN_MAX_BLOCKING_MS, while a worker the
 * machine does not let run is not refused for load it did not cause; it still ends at the
 * wall-clock budget.
 *
 * A descheduled worker is made for real: its thread is pinned to processor 0 (`taskset -p`, a
 * thread id is a pid to the kernel) beside busy processes pinned there too, so it gets a
 * fraction of that processor. Linux only (/proc, taskset); skipped elsewhere.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { evaluateExpression, ExpressionError } from '../../engine/expressions/index.ts';
import { blockingBackstopMs, deadlineIn, letOthersRun } from '../../engine/expressions/budget.ts';
import { stopFor } from '../../engine/expressions/feelSandbox.ts';
import { sandboxStarting, sandboxState } from '../../engine/expressions/sandboxWorkers.ts';
import { ownCpuMs, ownThreadId, parseSchedstat, parseSchedstatTimes, parseStat, threadCpuClock } from '../../engine/expressions/threadCpu.ts';
import { configureEngineLimits } from '../../engine/limits.ts';

const linux = existsSync('/proc/thread-self');
const canPin = linux && (() => {
  try {
    execFileSync('taskset', ['-V'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

const feel = (source: string, variables: Record<string, unknown> = {}) => evaluateExpression({ language: 'feel', source }, variables);

/** Holds this thread's processor for `ms` of wall-clock time. */
function spin(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // busy
  }
}

function stoppedBy(work: () => unknown): { error: ExpressionError; ms: number } {
  const started = performance.now();
  try {
    work();
  } catch (error) {
    expect(error).toBeInstanceOf(ExpressionError);
    expect((error as ExpressionError).code).toBe('expression_budget_exceeded');
    return { error: error as ExpressionError, ms: performance.now() - started };
  }
  throw new Error('expected the evaluation to be stopped');
}

/** A catastrophic regular expression: 2^40 steps of backtracking, no allocation (it spins). */
const SPINNER = `matches("${'a'.repeat(40)}!", "^(a+)+$")`;

afterEach(() => configureEngineLimits());

describe.runIf(linux)('reading a thread\'s processor time (/proc)', () => {
  it('reads this thread\'s processor time, which grows by what it spins and not by what it sleeps', async () => {
    const clock = threadCpuClock(ownThreadId())!;
    expect(clock).not.toBeNull();
    const before = clock.read()!;
    spin(60);
    const spun = clock.read()! - before;
    // Block the thread itself (a futex wait): a timer would let the event loop run whatever
    // earlier files of this shared worker left behind (sockets, pools, GC), which is this
    // thread's processor time too (22 ms of it was seen in one CI run).
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100);
    const slept = clock.read()! - before - spun;
    // Spinning 60 ms of wall-clock time uses at most 60 ms (less if descheduled); sleeping next to none.
    expect(spun).toBeGreaterThan(0);
    expect(spun).toBeLessThanOrEqual(60 + 20);
    expect(slept).toBeLessThan(20);
    expect(ownCpuMs()).toBeGreaterThanOrEqual(before + spun);
    clock.close();
    expect(clock.read()).toBeNull();
  });

  it('parses both files the kernel writes, and they agree to a clock tick', async () => {
    const { readFileSync } = await import('node:fs');
    const tid = ownThreadId();
    spin(30);
    const schedstat = parseSchedstat(readFileSync(`/proc/self/task/${tid}/schedstat`, 'latin1'));
    const stat = parseStat(readFileSync(`/proc/self/task/${tid}/stat`, 'latin1'), 100);
    expect(schedstat).not.toBeNull();
    expect(stat).not.toBeNull();
    expect(Math.abs(stat! - schedstat!)).toBeLessThan(30);
    // A thread name with spaces and parentheses does not shift the fields.
    expect(parseStat('42 (a) b (c)) R 1 2 3 4 5 6 7 8 9 10 250 50 0 0', 100)).toBe(3_000);
    expect(parseSchedstat('garbage')).toBeNull();
    // schedstat: on the processor, waiting for one (ns), time slices.
    expect(parseSchedstatTimes('123000000 45000000 7\n')).toEqual({ cpuMs: 123, waitingMs: 45 });
    expect(threadCpuClock(tid)!.sample()).toMatchObject({ cpuMs: expect.any(Number), waitingMs: expect.any(Number) });
  });

  it('says null for a thread that does not exist', () => {
    expect(threadCpuClock(2 ** 31 - 1)).toBeNull();
    expect(threadCpuClock(0)).toBeNull();
  });
});

describe('when to stop (stopFor)', () => {
  const limits = { wallMs: 1_000, blockingMs: 150 };
  it('stops on processor time where the run-queue delay cannot be read, not on the wall-clock time a descheduled worker waited', () => {
    expect(stopFor({ elapsedMs: 600, cpuUsedMs: 40 }, limits)).toBeNull();
    expect(stopFor({ elapsedMs: 160, cpuUsedMs: 151 }, limits)).toBe('cpu');
    expect(stopFor({ elapsedMs: 1_000, cpuUsedMs: 40 }, limits)).toBe('wall');
    expect(stopFor({ elapsedMs: 10, cpuUsedMs: 3, died: true }, limits)).toBe('died');
  });
  it('counts the time the worker held the caller less its run-queue delay: asleep for its garbage collector counts, queued behind the load does not', () => {
    // A nested `for` on a quiet machine: 100 ms of processor time, 60 asleep while V8's helpers collect, 5 queued.
    expect(stopFor({ elapsedMs: 165, cpuUsedMs: 100, queuedMs: 5 }, limits)).toBe('cpu');
    expect(stopFor({ elapsedMs: 140, cpuUsedMs: 100, queuedMs: 5 }, limits)).toBeNull();
    // Descheduled: 600 ms waited, 500 of them queued for a processor.
    expect(stopFor({ elapsedMs: 600, cpuUsedMs: 90, queuedMs: 500 }, limits)).toBeNull();
    // Asleep while the load keeps the collector's helpers queued: not refused on little processor time.
    expect(stopFor({ elapsedMs: 400, cpuUsedMs: 60, queuedMs: 100 }, limits)).toBeNull();
    expect(stopFor({ elapsedMs: 1_000, cpuUsedMs: 60, queuedMs: 100 }, limits)).toBe('wall');
  });
  it('bounds wall-clock time by the blocking limit where processor time cannot be read', () => {
    expect(stopFor({ elapsedMs: 149, cpuUsedMs: null }, limits)).toBeNull();
    expect(stopFor({ elapsedMs: 150, cpuUsedMs: null }, limits)).toBe('blocking');
    expect(stopFor({ elapsedMs: 100, cpuUsedMs: null }, { wallMs: 100, blockingMs: 150 })).toBe('wall');
  });
});

describe.runIf(linux)('the sandbox on processor time', () => {
  it('stops a spinning expression for the time it held the caller, long before its wall-clock budget', () => {
    // Wall-clock budgets out of reach: on a loaded machine the default backstop (500 ms) comes first.
    configureEngineLimits({ maxBlockingMs: 150, maxBlockingWallMs: 20_000, expressionTimeoutMs: 20_000 });
    expect(feel('1 + 1')).toBe(2);
    const { error, ms } = stoppedBy(() => feel(SPINNER));
    expect(error.message).toMatch(/FEEL evaluation stopped: it held the server for more than 150 ms \(LIUZHUAN_MAX_BLOCKING_MS\), not counting time the machine kept it waiting for a processor; it had used \d+ ms of processor time/);
    // Not the wall-clock backstop (a generous bound: this is not a speed test).
    expect(ms).toBeLessThan(15_000);
    expect(feel('amount * 2', { amount: 21 })).toBe(42);
  });

  it('starts the stopped worker\'s replacements from the stop, one at a time, until two spares wait for the next stops', async () => {
    // Stopped after 20 ms, before the spare started beside the first worker has finished starting.
    configureEngineLimits({ maxBlockingMs: 20 });
    feel('0');
    stoppedBy(() => feel(SPINNER));
    // A replacement is starting or started at once; never two starting together (they would
    // take both processors of a two-core machine from the event loop).
    expect(sandboxState().spares).toBeGreaterThanOrEqual(1);
    let mostStarting = 0;
    await expect
      .poll(() => {
        const state = sandboxState();
        mostStarting = Math.max(mostStarting, state.spares - state.sparesStarted);
        return state.sparesStarted;
      }, { timeout: 30_000, interval: 5 })
      .toBe(2);
    expect(mostStarting).toBeLessThanOrEqual(1);
    expect(sandboxState().spares).toBe(2);
    expect(feel('0')).toBe(0);
  });

  it('lets a command wait for a spare that is still starting without holding the event loop, and does not charge it', async () => {
    configureEngineLimits({ maxBlockingMs: 20 });
    feel('0');
    // Stops 20 ms apart: a worker takes longer than that to start, so the next one has not.
    for (let i = 0; i < 3; i += 1) stoppedBy(() => feel(SPINNER));
    const starting = sandboxStarting();
    expect(starting !== null).toBe(!sandboxState().nextStarted);
    const deadline = deadlineIn(1_000);
    const before = deadline.at;
    let turns = 0;
    const ticking = setInterval(() => (turns += 1), 1);
    await letOthersRun(deadline);
    clearInterval(ticking);
    // Whether or not it was still starting, the next evaluation waits for nobody now.
    expect(sandboxState().nextStarted).toBe(true);
    if (starting) {
      // Other work ran meanwhile, and the wait was not charged to the command.
      expect(turns).toBeGreaterThan(0);
      expect(deadline.at).toBeGreaterThan(before);
    }
    expect(feel('0')).toBe(0);
  });
});

describe.runIf(canPin)('a worker descheduled by a loaded machine', () => {
  const burners: ChildProcess[] = [];
  let processors = '0';

  beforeAll(async () => {
    // `pid N's current affinity list: 0,1`
    processors = execFileSync('taskset', ['-cp', String(process.pid)], { encoding: 'utf8' }).trim().split(': ').pop()!;
    // Six processes spinning on processor 0: a thread pinned there gets about a seventh of it.
    for (let i = 0; i < 6; i += 1) {
      burners.push(spawn('taskset', ['-c', '0', process.execPath, '-e', 'for (;;) {}'], { stdio: 'ignore' }));
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
  });

  afterAll(() => {
    for (const burner of burners) burner.kill('SIGKILL');
  });

  /** Pins the sandbox's current worker thread to processor 0, beside the burners; returns its clock. */
  function pinWorker() {
    feel('0');
    const tid = sandboxState().threadId;
    expect(tid).toBeGreaterThan(0);
    execFileSync('taskset', ['-p', '-c', '0', String(tid)], { stdio: 'ignore' });
    return { tid, unpin: () => execFileSync('taskset', ['-p', '-c', processors, String(tid)], { stdio: 'ignore' }) };
  }

  it('does not refuse an expression that needs less processor time than the limit, however long it waits', () => {
    configureEngineLimits({ maxBlockingMs: 150, maxBlockingWallMs: 20_000, expressionTimeoutMs: 20_000 });
    const { tid, unpin } = pinWorker();
    try {
      const clock = threadCpuClock(tid)!;
      // An expression of about 30–80 ms of processor time: doubled until it uses 30 ms.
      let n = 5_000;
      let used = 0;
      let wall = 0;
      for (; n < 10_000_000; n *= 2) {
        const before = clock.read()!;
        const started = performance.now();
        expect(feel(`count(for i in 1..${n} return i)`)).toBe(n);
        wall = performance.now() - started;
        used = clock.read()! - before;
        if (used >= 30) break;
      }
      const queued = clock.sample()!.waitingMs!;
      clock.close();
      expect(used).toBeLessThan(150);
      // The kernel saw it queued behind the burners: the time the sandbox does not count.
      expect(queued).toBeGreaterThan(0);
      // It waited longer than the limit, wall-clock: the old rule would have refused it.
      expect(wall).toBeGreaterThan(150);
    } finally {
      unpin();
    }
  });

  it('still stops a spinning expression the machine does not let run, at the wall-clock budget, and says so', () => {
    configureEngineLimits({ maxBlockingMs: 150, expressionTimeoutMs: 400 });
    // About a seventh of a processor for 400 ms: some 60 ms of processor time, under the limit.
    pinWorker();
    const { error } = stoppedBy(() => feel(SPINNER));
    expect(error.message).toMatch(
      /it took longer than 400 ms \(LIUZHUAN_EXPRESSION_TIMEOUT_MS\) of wall-clock time, or more than 64 MB \(LIUZHUAN_EXPRESSION_MEMORY_MB\); it had used \d+ ms of processor time/,
    );
    // (The stopped worker is gone with its pinning.)
  });

  it('stops it at the blocking limit\'s wall-clock backstop when that comes first, and says so', () => {
    configureEngineLimits({ maxBlockingMs: 150, maxBlockingWallMs: 400, expressionTimeoutMs: 20_000 });
    pinWorker();
    const { error } = stoppedBy(() => feel(SPINNER));
    expect(error.message).toMatch(
      /it held the server for more than 400 ms of wall-clock time \(LIUZHUAN_MAX_BLOCKING_WALL_MS\); it had used \d+ ms of processor time, the machine being too busy to let it finish/,
    );
  });

  it('never takes a backstop lower than the limit itself', () => {
    configureEngineLimits({ maxBlockingMs: 150, maxBlockingWallMs: 20, expressionTimeoutMs: 20_000 });
    expect(blockingBackstopMs()).toBe(150);
  });
});
