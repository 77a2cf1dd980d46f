/**
 * `npm run backup` / `npm run restore` end to end: a running server with a waiting user task
 * and a pending timer is backed up (pg_dump of a live database), restored into a new empty
 * database, and a server started on the copy finishes both — the task completed over HTTP,
 * the timer fired by the restored node's executor. A non-empty target is refused.
 *
 * pg_dump refuses servers newer than itself: when the run's PostgreSQL is newer than the
 * machine's pg_dump (the embedded 18 against Debian 12's client 15), this file checks that the
 * backup says so clearly and writes nothing, instead of the round trip.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { checkConsistency } from '../../engine/consistency/index.ts';
import { connect, type Db } from '../../engine/db/connection.ts';
import { withDatabase } from '../../engine/db/database.ts';
import { projectRoot, readConfig } from '../../server/config.ts';
import { startServer, type RunningServer } from '../../server/server.ts';
import { serverMajor, toolMajor } from '../../scripts/pgTools.ts';
import { bpmn, flow } from '../helpers/engine.ts';
import { TEST_ADMIN_PASSWORD, useTestServer } from '../helpers/server.ts';

const t = useTestServer();
const execFileAsync = promisify(execFile);
const folder = mkdtempSync(path.join(os.tmpdir(), 'lz-backup-'));
const archive = path.join(folder, 'liuzhuan.dump');

const pgDumpMajor = await toolMajor('pg_dump').then((tool) => tool.major, () => 0);
const serverVersion = await (async () => {
  const admin = connect(inject('postgresAdminUrl'), { poolMax: 1 });
  try {
    return serverMajor((await admin.raw(`SELECT current_setting('server_version_num') AS n`)).rows[0].n);
  } finally {
    await admin.destroy();
  }
})();
const canDump = pgDumpMajor >= serverVersion;

/** Runs an operator script against `databaseUrl`: exit code and output. */
async function script(file: string, args: string[], databaseUrl: string, env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return execFileAsync(process.execPath, ['--import', 'tsx', file, ...args], {
    cwd: projectRoot,
    env: { ...process.env, DATABASE_URL: databaseUrl, LIUZHUAN_PG_BIN: process.env.LIUZHUAN_PG_BIN ?? '', ...env },
  }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }),
  );
}

const approval = bpmn(`<process id="approval" isExecutable="true">
  <startEvent id="start"/><userTask id="approve" camunda:assignee="admin"/><endEvent id="end"/>
  ${flow('start', 'approve')}${flow('approve', 'end')}
</process>`);
// Due after the backup and the restore (about 8 s on a quiet machine, twice that at load 14), so the
// timer is pending in the archive and fires on the restored node; a late timer fires at once there.
const reminder = bpmn(`<process id="reminder" isExecutable="true">
  <startEvent id="start"/>
  <intermediateCatchEvent id="wait"><timerEventDefinition><timeDuration>PT15S</timeDuration></timerEventDefinition></intermediateCatchEvent>
  <endEvent id="end"/>${flow('start', 'wait')}${flow('wait', 'end')}
</process>`);

let sourceUrl = '';
const restoredName = `lz_restore_${randomBytes(6).toString('hex')}`;
let restoredDb: Db | undefined;
let restored: RunningServer | undefined;

beforeAll(async () => {
  const name = (await t.server.ctx.db.raw('SELECT current_database() AS name')).rows[0].name as string;
  sourceUrl = withDatabase(inject('postgresAdminUrl'), name);
});

afterAll(async () => {
  await restored?.close();
  await restoredDb?.destroy();
  if (restoredDb && !inject('testDatabasesDisposable')) {
    const admin = connect(inject('postgresAdminUrl'), { poolMax: 1 });
    await admin.raw('DROP DATABASE IF EXISTS ?? WITH (FORCE)', [restoredName]);
    await admin.destroy();
  }
  rmSync(folder, { recursive: true, force: true });
});

describe.skipIf(canDump)(`backup with pg_dump ${pgDumpMajor} of PostgreSQL ${serverVersion}`, () => {
  it('refuses with what to install, and leaves no archive behind', async () => {
    const result = await script('scripts/backup.ts', ['--out', archive], sourceUrl);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`cannot back up PostgreSQL ${serverVersion}`);
    expect(result.stderr).toContain(`postgresql-client-${serverVersion}`);
    expect(result.stderr).toContain('LIUZHUAN_PG_BIN');
    expect(existsSync(archive) || existsSync(`${archive}.partial`) || existsSync(`${archive}.json`)).toBe(false);
  });
});

describe.runIf(canDump)('backup while the server runs, restore into an empty database', () => {
  it('continues the waiting task and fires the pending timer on the restored copy', async () => {
    const token = await t.login('admin', TEST_ADMIN_PASSWORD);
    for (const xml of [approval, reminder]) expect((await t.request('POST', '/api/definitions', { token, body: { xml } })).status).toBe(201);
    // A personal field, encrypted with the data key the archive does not carry.
    const form = await t.request('POST', '/api/forms', {
      token,
      body: { key: 'lead', title: '线索', schema: { type: 'object', properties: { phone: { type: 'string', 'x-personal': 'phone' } } } },
    });
    expect(form.status).toBe(201);
    const lead = await t.request('POST', '/api/forms/lead/records', { token, body: { data: { phone: '13812345678' } } });
    expect(lead.status).toBe(201);
    const waiting = (await t.request('POST', '/api/instances', { token, body: { definitionKey: 'approval' } })).body.id as string;
    const timed = (await t.request('POST', '/api/instances', { token, body: { definitionKey: 'reminder' } })).body.id as string;

    const backup = await script('scripts/backup.ts', ['--out', archive, '--with-data-keys'], sourceUrl);
    expect(backup.code, backup.stderr).toBe(0);
    expect(backup.stdout).toContain('Backup written');
    const manifest = JSON.parse(readFileSync(`${archive}.json`, 'utf8'));
    expect(manifest).toMatchObject({ format: 'liuzhuan-backup/1', counts: { process_instances: 2, tasks: 1, records: 1, jobs: expect.any(Number) } });
    expect(manifest.source).not.toContain('@');
    expect(manifest.dataKeys.usedKeyIds).toHaveLength(1);
    expect(backup.stdout).toContain(`encrypted with data key(s) ${manifest.dataKeys.usedKeyIds[0]}`);
    // The keys are in their own file, never in the archive.
    expect(existsSync(`${archive}.data-keys`)).toBe(true);
    expect(readFileSync(archive).includes(readFileSync(`${archive}.data-keys`, 'utf8').split(':')[1]!.trim().slice(0, 20))).toBe(false);

    // Into a database that holds tables: refused, nothing changed.
    const refused = await script('scripts/restore.ts', [archive], sourceUrl);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('Restore only into an empty database');
    // --force over a database a server is connected to: refused too.
    const forced = await script('scripts/restore.ts', [archive, '--force'], sourceUrl);
    expect(forced.code).toBe(2);
    expect(forced.stderr).toContain('a running server?');

    const admin = connect(inject('postgresAdminUrl'), { poolMax: 1 });
    await admin.raw('CREATE DATABASE ??', [restoredName]);
    await admin.destroy();
    const restoredUrl = withDatabase(inject('postgresAdminUrl'), restoredName);
    // A new machine's data folder without keys: --data-keys installs the backup's key file there.
    const dataDir = path.join(folder, 'data');
    const restore = await script('scripts/restore.ts', [archive, '--data-keys', `${archive}.data-keys`], restoredUrl, { LIUZHUAN_DATA_DIR: dataDir });
    expect(restore.code, restore.stderr).toBe(0);
    expect(restore.stderr).toContain('row counts match the manifest');
    expect(restore.stdout).toContain(`Data keys: ${manifest.dataKeys.usedKeyIds[0]} found in ${path.join(dataDir, 'data-keys')}`);

    restoredDb = connect(restoredUrl);
    // The timer is pending in the copy: it fires there, not because the source fired it.
    expect(await restoredDb('jobs').where({ instance_id: timed, type: 'timer' }).first()).toBeTruthy();
    restored = await startServer(
      { ...readConfig({ PORT: '0', LIUZHUAN_LOAD_TEMPLATES: 'false', LIUZHUAN_DEMO_CUSTOMERS: '0' }), databaseUrl: restoredUrl },
      { db: restoredDb, url: restoredUrl, embedded: false, close: async () => {} },
    );
    const call = async (method: string, route: string, body?: unknown, bearer?: string) => {
      const response = await fetch(`${restored!.url}${route}`, {
        method,
        headers: { 'content-type': 'application/json', ...(bearer ? { authorization: `Bearer ${bearer}` } : {}) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: response.status, body: await response.json() };
    };
    // Users came along: the same admin logs in on the copy.
    const login = await call('POST', '/api/auth/login', { username: 'admin', password: TEST_ADMIN_PASSWORD });
    expect(login.status).toBe(200);
    const copyToken = login.body.token as string;
    const tasks = await call('GET', `/api/tasks?instanceId=${waiting}`, undefined, copyToken);
    expect(tasks.body).toEqual([expect.objectContaining({ elementId: 'approve' })]);
    expect((await call('POST', `/api/tasks/${tasks.body[0].id}/complete`, { variables: {} }, copyToken)).status).toBe(200);
    expect((await call('GET', `/api/instances/${waiting}`, undefined, copyToken)).body.status).toBe('completed');

    await expect
      .poll(async () => (await call('GET', `/api/instances/${timed}`, undefined, copyToken)).body.status, { timeout: 30_000, interval: 250 })
      .toBe('completed');
    expect(await checkConsistency(restoredDb)).toEqual([]);
    // The restored personal field decrypts with the key the restore installed (masked for display, clear in the store).
    const records = await call('GET', '/api/forms/lead/records', undefined, copyToken);
    expect(records.status).toBe(200);
    expect(JSON.stringify(records.body)).toContain('138****5678');
  }, 90_000);
});
