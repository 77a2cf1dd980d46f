/**
 * `npm start` without DATABASE_URL after the node process was killed: its embedded
 * PostgreSQL outlived it, and the next start must stop that leftover and come up, saying so.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { spawnNode, stopNodes, waitUntilHealthy, type NodeProcess } from '../helpers/processes.ts';

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'liuzhuan-leftover-'));
const nodes: NodeProcess[] = [];
const env = {
  DATABASE_URL: '',
  LIUZHUAN_DATA_DIR: dataDir,
  LIUZHUAN_LOAD_TEMPLATES: 'false',
  ADMIN_PASSWORD: 'leftover-admin-password',
};

function postmasterPid(): number | null {
  const file = path.join(dataDir, 'postgres', 'postmaster.pid');
  return existsSync(file) ? Number(readFileSync(file, 'utf8').split('\n')[0]) : null;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

afterAll(async () => {
  await stopNodes(nodes);
  const pid = postmasterPid();
  if (pid && alive(pid)) process.kill(pid, 'SIGINT');
  rmSync(dataDir, { recursive: true, force: true });
});

describe('embedded PostgreSQL left running by a killed node', () => {
  it('is stopped by the next start, which comes up and logs it', async () => {
    const first = await spawnNode('first', env);
    nodes.push(first);
    await waitUntilHealthy(first, 60_000);
    const leftover = postmasterPid();
    expect(leftover).toBeGreaterThan(0);

    first.child.kill('SIGKILL');
    await first.exited;
    // The state this finding is about: the node is gone, its database is not.
    expect(alive(leftover!)).toBe(true);

    const second = await spawnNode('second', env);
    nodes.push(second);
    await waitUntilHealthy(second, 60_000);
    expect(alive(leftover!)).toBe(false);
    expect(second.output()).toContain(`Stopped a PostgreSQL left running`);
    expect(second.output()).toContain(`pid ${leftover}`);

    // The data survived: the admin created by the first start still logs in.
    const login = await fetch(`${second.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: 'leftover-admin-password' }),
    });
    expect(login.status).toBe(200);
  }, 150_000);
});
