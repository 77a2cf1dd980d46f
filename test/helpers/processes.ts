/**
 * Liuzhuan nodes as real child processes (`node --import tsx server/main.ts`), for tests
 * that need several nodes on one database or need to kill one mid-flight.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { findFreePort } from '../../engine/db/embeddedPostgres.ts';
import { projectRoot } from '../../server/config.ts';
import { eventually, GiveUp } from './eventually.ts';

export interface NodeProcess {
  name: string;
  url: string;
  child: ChildProcess;
  /** The `application_name` of its PostgreSQL connections (PGAPPNAME), to find them in pg_stat_activity. */
  applicationName: string;
  /** Resolves when the process has exited, however it ended. */
  exited: Promise<void>;
  alive(): boolean;
  /** The last lines the process printed, for failure messages. */
  output(): string;
}

const running = new Set<ChildProcess>();
// Should the test runner itself die, take the nodes along rather than leave them listening.
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

export async function spawnNode(name: string, env: Record<string, string>): Promise<NodeProcess> {
  const port = await findFreePort();
  const applicationName = `liuzhuan-test-${name}-${port}`;
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: projectRoot,
    env: { ...process.env, LOG_LEVEL: 'warn', ...env, PGAPPNAME: applicationName, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  const lines: string[] = [];
  const keep = (chunk: Buffer) => {
    lines.push(...chunk.toString().split('\n').filter(Boolean));
    if (lines.length > 100) lines.splice(0, lines.length - 100);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  let done = false;
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => {
      done = true;
      running.delete(child);
      resolve();
    });
  });
  return {
    name,
    url: `http://127.0.0.1:${port}`,
    child,
    applicationName,
    exited,
    alive: () => !done,
    output: () => lines.join('\n'),
  };
}

/** Waits until `GET /api/health` answers 200, or fails with what the process printed. */
export async function waitUntilHealthy(node: NodeProcess, timeoutMs: number): Promise<void> {
  try {
    await eventually(
      async () => {
        if (!node.alive()) throw new GiveUp(`node ${node.name} exited during start:\n${node.output()}`);
        // A refused connection (not listening yet) throws, and is tried again.
        const response = await fetch(`${node.url}/api/health`, { signal: AbortSignal.timeout(1_000) });
        return response.ok;
      },
      { message: `node ${node.name} to answer /api/health`, timeoutMs, intervalMs: 100 },
    );
  } catch (error) {
    if (error instanceof GiveUp) throw error;
    throw new Error(`node ${node.name} not healthy after ${timeoutMs} ms:\n${node.output()}`, { cause: error });
  }
}

/** SIGTERM (a graceful close), then SIGKILL for any node still there after `graceMs`. */
export async function stopNodes(nodes: NodeProcess[], graceMs = 5_000): Promise<void> {
  await Promise.all(
    nodes.map(async (node) => {
      if (!node.alive()) return;
      node.child.kill('SIGTERM');
      const timer = setTimeout(() => node.child.kill('SIGKILL'), graceMs);
      await node.exited;
      clearTimeout(timer);
    }),
  );
}
