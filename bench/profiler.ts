/**
 * A V8 CPU profile of the measured runs only (`--profile <dir>`): `node --cpu-prof` would
 * also record the setup — migrations, 128 password hashes, warm-up — which swamps a short
 * run. One .cpuprofile per workload, client count and round; read them with
 * bench/profileSummary.ts. Profiling costs CPU itself: take CPU figures from runs without it.
 */
import { Session } from 'node:inspector/promises';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface RunProfiler {
  /** Starts sampling; the returned function stops and writes `<dir>/<name>.cpuprofile`, returning its path. */
  start(name: string): Promise<() => Promise<string>>;
  close(): Promise<void>;
}

export async function createRunProfiler(dir: string, intervalUs = 250): Promise<RunProfiler> {
  mkdirSync(dir, { recursive: true });
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: intervalUs });
  return {
    async start(name) {
      await session.post('Profiler.start');
      return async () => {
        const { profile } = await session.post('Profiler.stop');
        const file = path.join(dir, `${name.replace(/[^a-z0-9.-]+/gi, '-')}.cpuprofile`);
        writeFileSync(file, JSON.stringify(profile));
        return file;
      };
    },
    async close() {
      await session.post('Profiler.disable');
      session.disconnect();
    },
  };
}
