/**
 * Demo life: the first start with templates generates the demo (server/bootstrap.ts →
 * templates/key-account/demo/), `npm run demo` with the same seed and date into another fresh
 * database makes the same business data, every promised state is there as its users see it
 * over HTTP, and a second run is refused without writing anything.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { decryptValue, isEncrypted } from '../../engine/privacy/crypto.ts';
import { demoCustomers } from '../../templates/key-account/demo.ts';
import { todayInBeijing } from '../../templates/key-account/demo/dates.ts';
import { DemoRefused, generateDemo } from '../../templates/key-account/demo/generate.ts';
import { TEST_ADMIN_PASSWORD, useTestServer, type TestServer } from '../helpers/server.ts';

const run = promisify(execFile);
const CUSTOMERS = 8;
const first = useTestServer({ LIUZHUAN_LOAD_TEMPLATES: 'true', LIUZHUAN_DEMO_CUSTOMERS: String(CUSTOMERS) });
const second = useTestServer({ LIUZHUAN_LOAD_TEMPLATES: 'true' });

/** Logins hash a password: each demo user logs in once per file. */
const tokens = new Map<string, Promise<string>>();
function tokenOf(username: string): Promise<string> {
  if (!tokens.has(username)) tokens.set(username, first.login(username, username === 'admin' ? TEST_ADMIN_PASSWORD : 'demo123'));
  return tokens.get(username)!;
}

/** `npm run demo -- …` against the server's database, as an operator runs it. */
async function demoCli(t: TestServer, args: string[]) {
  // knex keeps the connection string parsed; the CLI takes it as DATABASE_URL again.
  const c = t.server.ctx.db.client.connectionSettings as { user: string; password?: string; host: string; port: string; database: string };
  const auth = encodeURIComponent(c.user) + (c.password ? `:${encodeURIComponent(c.password)}` : '');
  const url = `postgres://${auth}@${c.host}:${c.port}/${c.database}`;
  return run('npx', ['tsx', 'scripts/demo.ts', ...args], { env: { ...process.env, DATABASE_URL: url } }).then(
    (done) => ({ code: 0, ...done }),
    (failed: { code: number; stdout: string; stderr: string }) => failed,
  );
}

/** What the business sees, without row ids and timestamps: records by form, tickets, instances, open tasks. */
async function businessData(t: TestServer) {
  const db = t.server.ctx.db;
  const records = await db('records').select('form_key', 'data');
  const byForm: Record<string, string[]> = {};
  // Row ids (a record linking its source or feedback instance) and instants the engine stamps
  // while it runs (tier_computed_at, a process's string(now()): UTC ISO strings) differ from run
  // to run; the plan's own times carry +08:00 and must be equal.
  // Personal fields are stored encrypted with a fresh IV each time: compare their clear values.
  const stamped = (key: string, value: unknown): unknown =>
    isEncrypted(value) ? stamped(key, decryptValue(key, value))
    : typeof value !== 'string' ? value
    : /^\d{4}-\d\d-\d\dT[^+]*Z$/.test(value) ? '<instant>'
    : /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(value) ? '<id>'
    : value;
  for (const { form_key: form, data } of records) (byForm[form] ??= []).push(JSON.stringify(data, stamped));
  for (const rows of Object.values(byForm)) rows.sort();
  const tickets = await db('tickets as t')
    .join('departments as d', 'd.id', 't.department_id')
    .join('records as r', 'r.id', 't.record_id')
    .select(db.raw("d.code || ' ' || t.status || ' ' || coalesce(t.claimed_by, '-') || ' ' || (r.data->>'customer') AS line"));
  const instances = await db('process_instances').select(db.raw("definition_key || ' ' || status AS line"));
  const tasks = await db('tasks').where('status', 'open').select(db.raw("element_id || ' ' || coalesce(assignee, '-') AS line"));
  const lines = (rows: { line: string }[]) => rows.map((row) => row.line).sort();
  return { byForm, tickets: lines(tickets), instances: lines(instances), tasks: lines(tasks) };
}

describe('demo generator', () => {
  it('makes the same business data from the same seed on the first start and through npm run demo', { timeout: 180_000 }, async () => {
    const cli = await demoCli(second, ['--customers', String(CUSTOMERS), '--seed', '1']);
    expect(cli.code, cli.stderr).toBe(0);
    expect(cli.stderr).toContain(`demo: customers (${CUSTOMERS})`);
    const [a, b] = [await businessData(first), await businessData(second)];
    // The generated customers beside the five hand-written ones, and a history for them.
    expect(a.byForm.customer_profile).toHaveLength(CUSTOMERS + 5);
    expect(a.byForm.contract!.length).toBeGreaterThan(CUSTOMERS);
    expect(a.byForm.visit_record!.length).toBeGreaterThan(0);
    expect(a.byForm.satisfaction_survey!.length).toBeGreaterThan(0);
    expect(b).toEqual(a);
  });

  it('tiers the customers from their history: A, B and C all present, each card dated', async () => {
    const admin = await tokenOf('admin');
    const { body } = await first.request('GET', '/api/forms/customer_profile/records?pageSize=100', { token: admin });
    const tiers = new Set(body.items.map((item: { data: { tier: string } }) => item.data.tier));
    expect([...tiers].sort()).toEqual(['A', 'B', 'C']);
    for (const item of body.items) expect(item.data.tier_computed_at, item.data.name).toEqual(expect.any(String));
  });

  it("puts work in every demo user's inbox", async () => {
    const usernames = ['zhangsan', 'lisi', 'wangwu', 'zhaoliu', 'sunqi', 'zhouba', 'zhengshi', 'wujiu'];
    const boxes = await Promise.all(usernames.map(async (username) => first.request('GET', '/api/inbox/todo', { token: await tokenOf(username) })));
    for (const [index, todo] of boxes.entries()) {
      expect(todo.status).toBe(200);
      expect(todo.body.total, usernames[index]).toBeGreaterThan(0);
    }
  });

  it('leaves complaints waiting in the queue of each department complaints are routed to', async () => {
    const admin = await tokenOf('admin');
    const departments = (await first.request('GET', '/api/departments', { token: admin })).body as { id: string; code: string }[];
    for (const [code, member] of [['finance', 'wangwu'], ['service', 'lisi']] as const) {
      const token = await tokenOf(member);
      const id = departments.find((department) => department.code === code)!.id;
      const queue = await first.request('GET', `/api/departments/${id}/queue?status=queued`, { token });
      expect(queue.status).toBe(200);
      expect(queue.body.items.length, code).toBeGreaterThan(0);
    }
  });

  it('has a signed contract whose overdue installment reminded its owner and reached the head', async () => {
    const owner = await tokenOf('zhangsan');
    const notes = await first.request('GET', '/api/notifications?limit=100', { token: owner });
    expect(JSON.stringify(notes.body)).toContain('回款提醒');
    const head = await tokenOf('zhaoliu');
    const todo = await first.request('GET', '/api/inbox/todo?definitionKey=contract_approval&pageSize=100', { token: head });
    expect(todo.body.items.map((item: { elementId: string }) => item.elementId)).toContain('escalate');
  });

  it('runs feedback loops: one being implemented by the service department, one analysed again after a failed check', async () => {
    const admin = await tokenOf('admin');
    const running = await first.request('GET', '/api/instances?definitionKey=feedback_loop&status=active', { token: admin });
    expect(running.body.total).toBeGreaterThanOrEqual(2);
    const service = await tokenOf('lisi');
    const todo = await first.request('GET', '/api/inbox/todo?definitionKey=feedback_loop', { token: service });
    expect(todo.body.items.map((item: { elementId: string }) => item.elementId)).toContain('implement');
    const improvements = await first.request('GET', '/api/forms/improvement/records?pageSize=100', { token: admin });
    expect(improvements.body.items.map((item: { data: { loop_count?: number } }) => item.data.loop_count)).toContain(1);
  });

  it('runs revisits: one to plan, one visit due, one waiting for the survey, one whose low phone score started a feedback loop', async () => {
    const admin = await tokenOf('admin');
    const running = await first.request('GET', '/api/instances?definitionKey=revisit&status=active', { token: admin });
    expect(running.body.total).toBe(4);
    const improvements = await first.request('GET', '/api/forms/improvement/records?pageSize=100', { token: admin });
    expect(improvements.body.items.map((item: { data: { source: string } }) => item.data.source)).toContain('survey');
  });

  it('has an installment overdue that its owner sees on the contract', async () => {
    const today = todayInBeijing();
    const handWritten = new Set(demoCustomers.map((customer) => customer.name));
    const token = await tokenOf('zhangsan');
    const me = await first.request('GET', '/api/auth/me', { token });
    const { body } = await first.request('GET', '/api/forms/contract/records?pageSize=100', { token });
    type Contract = { createdBy: string; data: { customer: string; payments: { due_on: string; paid: boolean }[] } };
    // Sales see every contract without its amounts; their own with amounts and installments (templates/key-account/permissions.json).
    const own = (body.items as Contract[]).filter((item) => item.createdBy === me.body.id);
    expect(own.length).toBeGreaterThan(0);
    const overdue = own
      .filter((item) => !handWritten.has(item.data.customer))
      .flatMap((item) => item.data.payments.filter((payment) => !payment.paid && payment.due_on < today));
    expect(overdue.length).toBeGreaterThan(0);
  });

  it('refuses a second run of the same plan and writes nothing', async () => {
    const before = await businessData(second);
    const again = generateDemo(second.server.ctx.engine, { seed: 1, customers: CUSTOMERS, today: todayInBeijing() });
    await expect(again).rejects.toThrow(DemoRefused);
    await expect(again).rejects.toThrow(/already holds demo data \(customer ".+" exists\); nothing was created/);
    expect(await businessData(second)).toEqual(before);
  });
});
