/**
 * Liuzhuan nodes as real child processes (`node --import tsx server/main.ts`), for tests
 * that need several nodes on one database or need to kill one mid-flight.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { findFreePort } from '../../engine/db/embeddedPostgres.ts';
import { projectRoot } from '../../server/config.ts';

export interface NodeProcess {
  name: string;
  url: string;
  child: ChildProcess;
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
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: projectRoot,
    env: { ...process.env, LOG_LEVEL: 'warn', ...env, PORT: String(port) },
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
    exited,
    alive: () => !done,
    output: () => lines.join('\n'),
  };
}

/** Waits until `GET /api/health` answers 200, or fails with what the process printed. */
export async function waitUntilHealthy(node: NodeProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!node.alive()) throw new Error(`node ${node.name} exited during start:\n${node.output()}`);
    try {
      const response = await fetch(`${node.url}/api/health`, { signal: AbortSignal.timeout(1_000) });
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`node ${node.name} not healthy after ${timeoutMs} ms:\n${node.output()}`);
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
