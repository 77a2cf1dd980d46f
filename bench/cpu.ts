/**
 * CPU time spent by one benchmark run, so a figure survives a machine other work is loading
 * (wall-clock rates do not: they fall with every other process, CPU per unit of work hardly
 * moves).
 *
 *  - Node: `process.cpuUsage()` deltas of this process: the in-process engine and its callers,
 *    or over HTTP the server alone (its clients run in a process of their own,
 *    bench/httpClients.ts, which measures its own CPU the same way). It includes whatever else
 *    the process does meanwhile (the server's job executor polling, timers, the bench's RSS
 *    sampler).
 *  - PostgreSQL: the CPU time (utime + stime in /proc/<pid>/stat) of the backends connected to
 *    the benchmark's database, excluding the one asking. Only when PostgreSQL runs on this
 *    machine and its /proc entries are readable; otherwise NaN. A backend that exits during the
 *    run takes its CPU with it (the pools keep theirs for 30 s idle, longer than a run's
 *    pauses); one that starts during the run counts from its start.
 */
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { connect, type Db } from '../engine/db/connection.ts';

/** Milliseconds of CPU a run took. */
export interface CpuSpent {
  /** This process: user + system. */
  nodeMs: number;
  nodeUserMs: number;
  nodeSystemMs: number;
  /** PostgreSQL's backends on the benchmark's database; NaN when not readable. */
  postgresMs: number;
}

export interface CpuMeter {
  /** Starts measuring; the returned function ends it and gives what was spent in between. */
  start(): Promise<() => Promise<CpuSpent>>;
  close(): Promise<void>;
}

function clockTicksPerSecond(): number {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
}

/** utime + stime of `pid` in ticks, or undefined when its /proc entry cannot be read. */
function processTicks(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may hold spaces: count from after it.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // Fields 14 and 15 of stat(5), here at 11 and 12 (field 3 is index 0).
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return undefined;
  }
}

export function createCpuMeter(databaseUrl: string): CpuMeter {
  const db: Db = connect(databaseUrl, { poolMax: 1 });
  const msPerTick = 1000 / clockTicksPerSecond();

  /** Ticks by backend pid on the benchmark's database; undefined when none can be read. */
  const backendTicks = async (): Promise<Map<number, number> | undefined> => {
    const { rows } = await db.raw<{ rows: { pid: number }[] }>(
      'SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()',
    );
    const ticks = new Map<number, number>();
    for (const { pid } of rows) {
      const spent = processTicks(pid);
      if (spent !== undefined) ticks.set(pid, spent);
    }
    return rows.length > 0 && ticks.size === 0 ? undefined : ticks;
  };

  return {
    async start() {
      const before = await backendTicks();
      const nodeBefore = process.cpuUsage();
      return async () => {
        const node = process.cpuUsage(nodeBefore);
        const after = await backendTicks();
        let postgresTicks = 0;
        if (before && after) for (const [pid, ticks] of after) postgresTicks += ticks - (before.get(pid) ?? 0);
        return {
          nodeMs: (node.user + node.system) / 1000,
          nodeUserMs: node.user / 1000,
          nodeSystemMs: node.system / 1000,
          postgresMs: before && after ? postgresTicks * msPerTick : NaN,
        };
      };
    },
    close: () => db.destroy(),
  };
}
