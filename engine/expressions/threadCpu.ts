/**
 * The processor time one thread of this process has used, and the time it spent waiting for a
 * processor, read from Linux's /proc. The FEEL sandbox does not count that wait against a
 * worker (feelSandbox.ts): on a loaded machine a descheduled worker is slow through no fault of
 * its expression (the FEEL expression "0" was refused at 150 ms wall-clock at load 20). The
 * syntax check counts its own thread's processor time. Where /proc is missing (not Linux)
 * nothing here works, and callers fall back to wall-clock time.
 *
 * `/proc/self/task/<tid>/schedstat` gives the time on the processor and the time spent runnable
 * but waiting for a processor (the run-queue delay), in nanoseconds (kernels with scheduler
 * statistics, nearly all); `/proc/self/task/<tid>/stat` gives utime + stime (fields 14 and 15)
 * in clock ticks of 10 ms, the fallback, and no run-queue delay. The file is opened once and
 * read with pread: about 60 µs under load against about 200 µs for a readFileSync of the path.
 */
import { execFileSync } from 'node:child_process';
import { closeSync, openSync, readlinkSync, readSync } from 'node:fs';

/** The calling thread's kernel id, or 0 where /proc is missing. Call it from the thread itself. */
export function ownThreadId(): number {
  try {
    // `/proc/thread-self` → `<pid>/task/<tid>`
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    return Number.isSafeInteger(tid) && tid > 0 ? tid : 0;
  } catch {
    return 0;
  }
}

let ticksPerSecond: number | undefined;

/** USER_HZ: 100 on every common Linux; asked once, and only when the stat fallback is needed. */
function clockTicksPerSecond(): number {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8', timeout: 2_000 }).trim()) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

/** Processor milliseconds from the text of a `schedstat` file: its first number is nanoseconds. */
export function parseSchedstat(text: string): number | null {
  return parseSchedstatTimes(text)?.cpuMs ?? null;
}

/** Both times of a `schedstat` file: `<on the processor ns> <waiting for one ns> <time slices>`. */
export function parseSchedstatTimes(text: string): ThreadTimes | null {
  const [onProcessor, waiting] = text.split(' ');
  const cpuNs = Number(onProcessor);
  const waitingNs = Number(waiting);
  if (!text.includes(' ') || !Number.isFinite(cpuNs)) return null;
  return { cpuMs: cpuNs / 1e6, waitingMs: waiting !== undefined && waiting !== '' && Number.isFinite(waitingNs) ? waitingNs / 1e6 : null };
}

/**
 * Processor milliseconds from the text of a `stat` file: utime + stime, fields 14 and 15. The
 * thread's name (field 2, in parentheses) may hold spaces and parentheses itself, so the fields
 * are counted from the last `)`: field 3 is the first after it.
 */
export function parseStat(text: string, ticksPerSec: number): number | null {
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[14 - 3]);
  const stime = Number(fields[15 - 3]);
  return Number.isFinite(utime) && Number.isFinite(stime) && fields.length > 13 ? ((utime + stime) * 1000) / ticksPerSec : null;
}

/** A thread's times so far, in ms. */
export interface ThreadTimes {
  /** On a processor. */
  cpuMs: number;
  /** Runnable but waiting for a processor (the machine's load); null where it cannot be read (stat). */
  waitingMs: number | null;
}

export interface ThreadCpuClock {
  /** How precise a reading is, in ms: 0.001 for schedstat, one clock tick (10 ms) for stat. */
  readonly resolutionMs: number;
  /** The thread's processor time in ms, or null once the thread has ended. */
  read(): number | null;
  /** Its processor time and run-queue delay, or null once the thread has ended. */
  sample(): ThreadTimes | null;
  close(): void;
}

/** A clock for thread `tid` of this process, or null where it cannot be read (not Linux, no such thread). */
export function threadCpuClock(tid: number): ThreadCpuClock | null {
  if (!tid) return null;
  const buffer = Buffer.alloc(1024);
  for (const kind of ['schedstat', 'stat'] as const) {
    let fd: number;
    try {
      fd = openSync(`/proc/self/task/${tid}/${kind}`, 'r');
    } catch {
      continue;
    }
    const perSecond = kind === 'stat' ? clockTicksPerSecond() : 0;
    const sample = (): ThreadTimes | null => {
      try {
        // pread from 0: the kernel writes the file anew on every read.
        const length = readSync(fd, buffer, 0, buffer.length, 0);
        const text = buffer.toString('latin1', 0, length);
        if (kind === 'schedstat') return parseSchedstatTimes(text);
        const cpuMs = parseStat(text, perSecond);
        return cpuMs === null ? null : { cpuMs, waitingMs: null };
      } catch {
        // ESRCH: the thread has ended (a worker out of heap, or terminated).
        return null;
      }
    };
    if (sample() === null) {
      closeSync(fd);
      continue;
    }
    let open = true;
    return {
      resolutionMs: kind === 'schedstat' ? 0.001 : 1000 / perSecond,
      read: () => (open ? (sample()?.cpuMs ?? null) : null),
      sample: () => (open ? sample() : null),
      close: () => {
        if (open) closeSync(fd);
        open = false;
      },
    };
  }
  return null;
}

/** Per thread: every thread (a vitest worker, say) loads its own copy of this module. */
let ownClock: ThreadCpuClock | null | undefined;

/**
 * The calling thread's processor time in ms, or null where it cannot be read. For work done on
 * the event loop itself, such as the FEEL syntax check (feel.ts), so that a check descheduled
 * by a loaded machine is not taken for a check too complex to finish.
 */
export function ownCpuMs(): number | null {
  if (ownClock === undefined) ownClock = threadCpuClock(ownThreadId());
  return ownClock?.read() ?? null;
}
