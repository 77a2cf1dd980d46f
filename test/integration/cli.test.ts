/**
 * The `liuzhuan` CLI (scripts/cli/) against a real running server: each command through
 * main() in-process (the same code the bin runs, with its stdout, stderr and environment
 * captured), checking exit codes, --json output and the server's state afterwards; the bin
 * itself is spawned twice (npx from the project root, and a command with LIUZHUAN_TOKEN), and
 * backup/restore spawn the operator scripts as they do for a user.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { promisify } from 'node:util';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { connect } from '../../engine/db/connection.ts';
import { withDatabase } from '../../engine/db/database.ts';
import { main } from '../../scripts/cli/main.ts';
import type { Io } from '../../scripts/cli/io.ts';
import { parseFilter, parseVars } from '../../scripts/cli/options.ts';
import { serverMajor, toolMajor } from '../../scripts/pgTools.ts';
import { projectRoot } from '../../server/config.ts';
import { bpmn, flow } from '../helpers/engine.ts';
import { TEST_ADMIN_PASSWORD, useTestServer } from '../helpers/server.ts';

const t = useTestServer();
const execFileAsync = promisify(execFile);
const folder = mkdtempSync(path.join(os.tmpdir(), 'lz-cli-'));
const configDir = path.join(folder, 'config');

interface Result {
  code: number;
  out: string;
  err: string;
  json: any;
}

/** One CLI run in-process: a non-TTY terminal (unless `tty`), the test's config folder, English messages. */
async function cli(argv: string[], options: { env?: Record<string, string | undefined>; tty?: boolean; stdin?: Io['stdin'] } = {}): Promise<Result> {
  let out = '';
  let err = '';
  const stdoutStream = new PassThrough();
  stdoutStream.on('data', (chunk) => (out += String(chunk)));
  const io: Io = {
    argv,
    env: { PATH: process.env.PATH, HOME: folder, LANG: 'en_US.UTF-8', LIUZHUAN_CONFIG_DIR: configDir, LIUZHUAN_URL: t.url, ...options.env },
    cwd: folder,
    stdin: options.stdin ?? Readable.from([]),
    out: (text) => (out += text),
    err: (text) => (err += text),
    stdoutIsTTY: false,
    stderrIsTTY: Boolean(options.tty),
    columns: 100,
    stdoutStream,
    onInterrupt: () => () => {},
  };
  const code = await main(io);
  let json: unknown;
  try {
    json = JSON.parse(out);
  } catch {
    json = undefined;
  }
  return { code, out, err, json };
}

const review = bpmn(`<process id="cli_review" name="CLI review" isExecutable="true">
  <startEvent id="start"/><userTask id="review" name="Review" camunda:assignee="admin"/><endEvent id="end"/>
  ${flow('start', 'review')}${flow('review', 'end')}
</process>`);

const customerForm = {
  key: 'cli_customer',
  title: '客户',
  schema: {
    type: 'object',
    required: ['name', 'amount'],
    additionalProperties: false,
    properties: { name: { type: 'string', minLength: 1 }, amount: { type: 'number', minimum: 0 }, tier: { type: 'string', enum: ['A', 'B', 'C'] } },
  },
  uiSchema: { name: { 'ui:title': { 'zh-CN': '客户名称', en: 'Customer name' } }, amount: { 'ui:title': { 'zh-CN': '金额', en: 'Amount' } } },
};

let admin = '';
const credentialsFile = path.join(configDir, 'credentials.json');
const recordCount = async () => (await t.server.ctx.db.raw(`select count(*)::int as n from records where form_key = 'cli_customer'`)).rows[0].n as number;

beforeAll(async () => {
  admin = await t.login('admin', TEST_ADMIN_PASSWORD);
  expect((await t.request('POST', '/api/forms', { token: admin, body: customerForm })).status).toBe(201);
  writeFileSync(path.join(folder, 'review.bpmn'), review);
  writeFileSync(path.join(folder, 'broken.bpmn'), bpmn('<process id="broken" isExecutable="true"><startEvent id="s"/>' + flow('s', 'nowhere') + '</process>'));
  // Row 3 (line 3 of the file) is bad: no name, a negative amount.
  writeFileSync(path.join(folder, 'customers.csv'), 'Customer name,金额,tier,Remark\n华东客户,1200.5,A,x\n,-3,B,y\nBeta,80,C,\n');
});

afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe('liuzhuan against a running server', () => {
  it('logs in (token stored 0600), refuses a wrong password with 4, and says who is logged in', async () => {
    const wrong = await cli(['login', '--username', 'admin', '--password', 'not-it', '--json']);
    expect(wrong.code).toBe(4);
    expect(wrong.json.error.status).toBe(401);
    expect(existsSync(credentialsFile)).toBe(false);

    const login = await cli(['login', '-u', 'admin', '-p', TEST_ADMIN_PASSWORD, '--json']);
    expect(login.code, login.err).toBe(0);
    expect(login.json).toMatchObject({ server: t.url, user: { username: 'admin', role: 'admin' }, credentials: credentialsFile });
    expect(statSync(credentialsFile).mode & 0o777).toBe(0o600);
    const stored = JSON.parse(readFileSync(credentialsFile, 'utf8')).servers[t.url];
    expect((await t.request('GET', '/api/auth/me', { token: stored.token })).body.username).toBe('admin');

    // On a terminal the missing answers are asked, the password without echo.
    const terminal = Object.assign(Readable.from([`admin\n${TEST_ADMIN_PASSWORD}\n`]), { isTTY: true });
    const prompted = await cli(['login'], { stdin: terminal });
    expect(prompted.code, prompted.err).toBe(0);
    expect(prompted.err).toContain('Username: admin');
    expect(prompted.err).toContain('Password: ');
    expect(prompted.err).not.toContain(TEST_ADMIN_PASSWORD);
    expect(JSON.parse(readFileSync(credentialsFile, 'utf8')).servers[t.url].token).not.toBe(stored.token);
    // Without a terminal nothing can be asked: a usage error, not a hang.
    expect((await cli(['login', '-u', 'admin'])).code).toBe(1);

    const me = await cli(['whoami']);
    expect(me.code).toBe(0);
    expect(me.out).toContain('admin');
  });

  it('deploys a BPMN file, and a broken one exits 2 with the server message and details', async () => {
    const deployed = await cli(['deploy', 'review.bpmn', '--json']);
    expect(deployed.code, deployed.err).toBe(0);
    expect(deployed.json.definitions).toEqual([expect.objectContaining({ key: 'cli_review', version: 1 })]);
    const latest = await t.request('GET', '/api/definitions/cli_review/latest', { token: admin });
    expect(latest.body.id).toBe(deployed.json.definitions[0].id);

    const broken = await cli(['deploy', 'broken.bpmn']);
    expect(broken.code).toBe(2);
    expect(broken.err).toMatch(/liuzhuan: 4\d\d /);
    expect(broken.err).toContain('nowhere');
    expect((await t.request('GET', '/api/definitions/broken/latest', { token: admin })).status).toBe(404);
  });

  it('starts with typed --var values and a business key, lists the task, completes it', async () => {
    const started = await cli(['start', 'cli_review', '--var', 'amount=1200', '--var', 'vip=true', '--var', 'code="007"', '--var', 'name=华东客户', '--var', 'tags=["a",1]', '--business-key', 'BK-1', '--json']);
    expect(started.code, started.err).toBe(0);
    const instanceId = started.json.id as string;
    const [task] = started.json.nextTasks;
    expect(task).toMatchObject({ name: 'Review', assignee: 'admin' });
    const stored = await t.server.ctx.db('process_instances').where({ id: instanceId }).first();
    expect(stored.business_key).toBe('BK-1');
    expect(stored.variables).toMatchObject({ amount: 1200, vip: true, code: '007', name: '华东客户', tags: ['a', 1] });

    const listed = await cli(['tasks', '--json']);
    expect(listed.code).toBe(0);
    expect(listed.json.items.map((item: any) => item.id)).toContain(task.id);
    const table = await cli(['tasks', '--process', 'cli_review']);
    expect(table.out).toMatch(new RegExp(`${task.id}\\s+Review\\s+cli_review\\s+BK-1`));

    const completed = await cli(['complete', task.id, '--var', 'approved=true', '--comment', 'ok', '--json']);
    expect(completed.code, completed.err).toBe(0);
    expect(completed.json).toMatchObject({ id: task.id, instanceId, status: 'completed' });
    expect((await t.request('GET', `/api/instances/${instanceId}`, { token: admin })).body.status).toBe('completed');
    expect((await t.server.ctx.db('tasks').where({ id: task.id }).first()).status).toBe('completed');
    expect((await cli(['tasks', '--box', 'done', '--json'])).json.items.map((item: any) => item.id)).toContain(task.id);

    // Completing it again: the server refuses (4xx) and the CLI says so with exit 2.
    const again = await cli(['complete', task.id]);
    expect(again.code).toBe(2);
  });

  it('imports a CSV skipping the bad row (bar on a TTY, report saved), and all-or-nothing exits 2 importing nothing', async () => {
    const skipped = await cli(['import-records', 'cli_customer', 'customers.csv', '--mode', 'skip', '--map', 'Remark=', '--report', 'refused.xlsx', '--json'], { tty: true });
    expect(skipped.code, skipped.err).toBe(0);
    expect(skipped.json).toMatchObject({ status: 'done', totalRows: 3, imported: 2, refused: 1, mapping: ['name', 'amount', 'tier', null] });
    expect(skipped.json.refusedRows).toEqual([{ row: 3, errors: expect.stringContaining('Customer name') }]);
    expect(skipped.err).toMatch(/\r\x1b\[K\[[█░]+\] \d\/3 rows/);
    expect(await recordCount()).toBe(2);
    const report = new ExcelJS.Workbook();
    await report.xlsx.readFile(path.join(folder, 'refused.xlsx'));
    expect(report.worksheets[0]!.getRow(2).getCell(1).value).toBe(3);

    const all = await cli(['import-records', 'cli_customer', 'customers.csv', '--map', '#4=']);
    expect(all.code).toBe(2);
    expect(all.err).toContain('1 row(s) refused: nothing was imported');
    expect(all.err).toMatch(/import: 3\/3 rows \(100%\).*failed/);
    expect(all.err).toContain('row 3:');
    expect(await recordCount()).toBe(2);

    const unknownColumn = await cli(['import-records', 'cli_customer', 'customers.csv', '--map', 'Nope=name']);
    expect(unknownColumn.code).toBe(1);
    expect(unknownColumn.err).toContain('#4 Remark');
    // Its upload was given back at once, not left to expire.
    const [latest] = await t.server.ctx.db('import_jobs').orderBy('created_at', 'desc').limit(1);
    expect(latest.status).toBe('cancelled');
  });

  it('exports filtered records as .xlsx (read back) and as CSV on stdout', async () => {
    const xlsx = await cli(['export-records', 'cli_customer', '--out', 'big.xlsx', '--filter', 'amount>=100', '--json']);
    expect(xlsx.code, xlsx.err).toBe(0);
    expect(xlsx.json).toMatchObject({ format: 'xlsx', truncated: false, file: path.join(folder, 'big.xlsx') });
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(path.join(folder, 'big.xlsx'));
    const sheet = workbook.worksheets[0]!;
    const cells = sheet.getSheetValues().flat().map(String);
    expect(cells).toContain('华东客户');
    expect(cells).not.toContain('Beta');

    const csv = await cli(['export-records', 'cli_customer', '--filter', 'name~Bet', '--sort', '-createdAt']);
    expect(csv.code, csv.err).toBe(0);
    expect(csv.out).toContain('Beta');
    expect(csv.out).not.toContain('华东客户');

    const badFilter = await cli(['export-records', 'cli_customer', '--filter', 'nosuchfield=1']);
    expect(badFilter.code).toBe(2);
    expect(badFilter.err).toContain('nosuchfield');
  });

  it('reads --var values as JSON when they parse and --filter expressions as the API\'s filters', () => {
    expect(parseVars(['n=1.5', 's=abc', 'q="1"', 'o={"a":[1]}', 'e=', 'eq=a=b'])).toEqual({ n: 1.5, s: 'abc', q: '1', o: { a: [1] }, e: '', eq: 'a=b' });
    expect(() => parseVars(['a=1', 'a=2'])).toThrow('given twice');
    expect(['tier=A', 'tier!=C', 'amount>=10', 'amount<5', 'name~华东', 'tier:in=A,B', 'filter[x][lte]=3', 'a=b>c'].map(parseFilter)).toEqual([
      ['filter[tier][eq]', 'A'],
      ['filter[tier][ne]', 'C'],
      ['filter[amount][gte]', '10'],
      ['filter[amount][lt]', '5'],
      ['filter[name][contains]', '华东'],
      ['filter[tier][in]', 'A,B'],
      ['filter[x][lte]', '3'],
      ['filter[a][eq]', 'b>c'],
    ]);
    expect(() => parseFilter('amount')).toThrow('expected field=value');
  });

  it('exits 1 on usage errors, 3 when the server is unreachable, 4 without a valid token', async () => {
    expect((await cli(['start'])).code).toBe(1);
    expect((await cli(['start', 'cli_review', '--var', 'novalue'])).code).toBe(1);
    expect((await cli(['no-such-command'])).code).toBe(1);
    const help = await cli(['complete', '--help']);
    expect(help.code).toBe(0);
    expect(help.out).toContain('--json');

    const down = await cli(['tasks', '--server', 'http://127.0.0.1:9', '--json'], { env: { LIUZHUAN_TOKEN: admin } });
    expect(down.code).toBe(3);
    expect(down.json.error.message).toContain('Cannot reach the Liuzhuan server at http://127.0.0.1:9');

    const elsewhere = await cli(['tasks'], { env: { LIUZHUAN_CONFIG_DIR: path.join(folder, 'empty') } });
    expect(elsewhere.code).toBe(4);
    expect(elsewhere.err).toContain('liuzhuan login');
    expect((await cli(['tasks'], { env: { LIUZHUAN_TOKEN: 'not-a-token' } })).code).toBe(4);
  });

  it('logs out: the session ends on the server and the stored token is gone', async () => {
    const token = JSON.parse(readFileSync(credentialsFile, 'utf8')).servers[t.url].token as string;
    const out = await cli(['logout', '--json']);
    expect(out.code).toBe(0);
    expect(out.json).toMatchObject({ loggedOut: true, forgotten: true });
    expect(existsSync(credentialsFile)).toBe(false);
    expect((await t.request('GET', '/api/auth/me', { token })).status).toBe(401);
    expect((await cli(['whoami'])).code).toBe(4);
  });
});

describe('the bin', () => {
  // `npx liuzhuan` runs the project's own bin when the package name matches (checked by hand: npm's
  // own start costs 10 s on a busy machine, too much per run); what it needs is the bin entry and an
  // executable shim with a shebang, which this spawns directly, as npx does.
  it('is package.json\'s bin, executable, and runs a command with LIUZHUAN_TOKEN', async () => {
    const bin = JSON.parse(readFileSync(path.join(projectRoot, 'package.json'), 'utf8')).bin.liuzhuan as string;
    const shim = path.join(projectRoot, bin);
    expect(statSync(shim).mode & 0o111).not.toBe(0);
    expect(readFileSync(shim, 'utf8')).toMatch(/^#!\/usr\/bin\/env node\n/);

    const env = { ...process.env, LIUZHUAN_URL: t.url, LIUZHUAN_TOKEN: admin, LIUZHUAN_CONFIG_DIR: configDir };
    const tasks = await execFileAsync(shim, ['tasks', '--box', 'done', '--json'], { env, cwd: folder });
    expect(JSON.parse(tasks.stdout).total).toBeGreaterThanOrEqual(1);
    const refused = await execFileAsync(shim, ['start', 'no_such_process'], { env, cwd: folder }).catch((error) => error);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('no_such_process');
  });
});

// pg_dump refuses servers newer than itself (test/integration/backup-restore.test.ts covers that case).
const pgDumpMajor = await toolMajor('pg_dump').then((tool) => tool.major, () => 0);
const serverVersion = await (async () => {
  const adminDb = connect(inject('postgresAdminUrl'), { poolMax: 1 });
  try {
    return serverMajor((await adminDb.raw(`SELECT current_setting('server_version_num') AS n`)).rows[0].n);
  } finally {
    await adminDb.destroy();
  }
})();

describe.runIf(pgDumpMajor >= serverVersion)('backup and restore (local, against DATABASE_URL)', () => {
  // The round trip itself is test/integration/backup-restore.test.ts's: here the CLI runs the
  // scripts, passes the options, answers the manifest as JSON and maps restore's refusal to 2.
  it('backs up the live database with its manifest as JSON, and a restore over a non-empty database exits 2', async () => {
    const name = (await t.server.ctx.db.raw('SELECT current_database() AS name')).rows[0].name as string;
    const env = { DATABASE_URL: withDatabase(inject('postgresAdminUrl'), name), LIUZHUAN_PG_BIN: process.env.LIUZHUAN_PG_BIN };
    mkdirSync(path.join(folder, 'backups'));
    const backup = await cli(['backup', '--out', 'backups/lz.dump', '--json'], { env });
    expect(backup.code, backup.err).toBe(0);
    expect(backup.json).toMatchObject({ archive: path.join(folder, 'backups/lz.dump'), format: 'liuzhuan-backup/1', counts: { records: 2, process_instances: 1 } });
    expect(statSync(path.join(folder, 'backups/lz.dump')).size).toBeGreaterThan(0);

    const restore = await cli(['restore', 'backups/lz.dump', '--json'], { env });
    expect(restore.code).toBe(2);
    expect(restore.err).toContain('already holds');
    expect(restore.json.error.exitCode).toBe(2);
  });
});
