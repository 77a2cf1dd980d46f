/**
 * A node that dies without stopping its embedded PostgreSQL (SIGKILL, OOM, a power cut of
 * the Node process only) leaves the postmaster running on the data folder. PostgreSQL then
 * refuses a second server on that folder, so the next start would fail. Before starting,
 * find such a leftover through `postmaster.pid` and stop it cleanly; a lock file whose
 * process is gone or is not a postmaster of this folder is stale and removed.
 */
import { existsSync, readFileSync, readlinkSync, realpathSync, rmSync } from 'node:fs';
import path from 'node:path';

export interface LeftoverPostmaster {
  pid: number;
  port: number | null;
}

type Outcome = { found: 'none' } | { found: 'stale'; pid: number } | ({ found: 'stopped' } & LeftoverPostmaster);

/** `postmaster.pid`: line 1 is the PID, line 4 the port (PostgreSQL's documented layout). */
function readLockFile(databaseDir: string): LeftoverPostmaster | null {
  const file = path.join(databaseDir, 'postmaster.pid');
  if (!existsSync(file)) return null;
  const lines = readFileSync(file, 'utf8').split('\n');
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!Number.isInteger(pid) || pid <= 0) return null;
  return { pid, port: Number.isInteger(port) && port > 0 ? port : null };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A postmaster changes its working directory to its data folder: that tells ours from a reused PID. */
function servesFolder(pid: number, databaseDir: string): boolean {
  try {
    return readlinkSync(`/proc/${pid}/cwd`) === realpathSync(databaseDir);
  } catch {
    return false;
  }
}

async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return !isAlive(pid);
}

export async function stopLeftoverPostmaster(databaseDir: string): Promise<Outcome> {
  const lock = readLockFile(databaseDir);
  if (!lock) return { found: 'none' };
  if (!isAlive(lock.pid) || !servesFolder(lock.pid, databaseDir)) {
    // PostgreSQL would refuse to start if the PID now belongs to another live process.
    rmSync(path.join(databaseDir, 'postmaster.pid'), { force: true });
    return { found: 'stale', pid: lock.pid };
  }
  // Fast shutdown: ends sessions, writes a checkpoint; nothing committed is lost.
  process.kill(lock.pid, 'SIGINT');
  if (await waitForExit(lock.pid, 30_000)) return { found: 'stopped', ...lock };
  // Immediate shutdown: the next start replays the WAL, still losing nothing committed.
  process.kill(lock.pid, 'SIGQUIT');
  if (await waitForExit(lock.pid, 10_000)) return { found: 'stopped', ...lock };
  throw new Error(
    `A PostgreSQL left running on ${databaseDir} (pid ${lock.pid}) did not stop; stop it by hand and start again`,
  );
}
