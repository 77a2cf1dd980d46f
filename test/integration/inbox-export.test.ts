/**
 * Export of 已办 (done) and 我发起的 (started) as .xlsx and CSV (`GET /api/inbox/:box/export`,
 * engine/inbox/export.ts), read back with exceljs: the rows are the list's rows (same filters
 * and order), another user's tasks and instances are absent, headers are in the caller's
 * language, times are the caller's wall clock.
 */
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { bpmn, flow } from '../helpers/engine.ts';
import { TEST_ADMIN_PASSWORD, useTestServer } from '../helpers/server.ts';

const t = useTestServer();
let admin: string;
const tokens: Record<string, string> = {};

const list = async (box: string, token: string, query = '') => {
  const answer = await t.request('GET', `/api/inbox/${box}${query}`, { token });
  expect(answer.status).toBe(200);
  return answer.body.items as any[];
};

async function exported(box: string, token: string, query = ''): Promise<{ status: number; rows: unknown[][]; sheet: string; headers: Headers; text?: string }> {
  const response = await fetch(`${t.url}/api/inbox/${box}/export${query}`, { headers: { authorization: `Bearer ${token}` } });
  if (response.status !== 200) return { status: response.status, rows: [], sheet: '', headers: response.headers, text: await response.text() };
  if (response.headers.get('content-type')?.includes('text/csv')) return { status: 200, rows: [], sheet: '', headers: response.headers, text: await response.text() };
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(Buffer.from(await response.arrayBuffer()) as any);
  const rows: unknown[][] = [];
  workbook.worksheets[0]!.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
  return { status: 200, rows, sheet: workbook.worksheets[0]!.name, headers: response.headers };
}

beforeAll(async () => {
  admin = await t.login('admin', TEST_ADMIN_PASSWORD);
  for (const [username, displayName, locale] of [['ex_alice', '爱丽丝', 'zh-CN'], ['ex_bob', 'Bob', 'en']] as const) {
    const created = await t.request('POST', '/api/users', { token: admin, body: { username, displayName, password: 'password-123', role: 'staff', locale } });
    expect(created.status).toBe(201);
    tokens[username] = await t.login(username, 'password-123');
  }
  const xml = bpmn(`<process id="ex_review" name="订单审核" isExecutable="true">
    <startEvent id="start"/>
    <userTask id="check" name="检查订单" camunda:candidateUsers="ex_alice,ex_bob"/>
    <userTask id="approve" name="批准订单" camunda:assignee="ex_bob"/>
    <endEvent id="end"/>
    ${flow('start', 'check')}
    ${flow('check', 'approve')}
    ${flow('approve', 'end')}
  </process>`);
  expect((await t.request('POST', '/api/definitions', { token: admin, body: { xml } })).status).toBe(201);
  // Alice starts three and checks two; Bob starts one and checks it himself.
  for (const [who, businessKey] of [['ex_alice', 'ORD-1'], ['ex_alice', 'ORD-2'], ['ex_alice', 'ORD-3'], ['ex_bob', 'BOB-1']] as const) {
    const started = await t.request('POST', '/api/instances', { token: tokens[who], body: { definitionKey: 'ex_review', businessKey } });
    expect(started.status).toBe(201);
  }
  for (const [who, businessKey] of [['ex_alice', 'ORD-1'], ['ex_alice', 'ORD-3'], ['ex_bob', 'BOB-1']] as const) {
    const [task] = await list('todo', tokens[who]!, `?q=${businessKey}`);
    const done = await t.request('POST', `/api/tasks/${task.taskId}/complete`, { token: tokens[who], body: {} });
    expect(done.status, JSON.stringify(done.body)).toBe(200);
  }
});

describe('task list export', () => {
  it("已办 as .xlsx: the list's rows in its order, headers in the caller's language, nobody else's tasks", async () => {
    const shown = await list('done', tokens.ex_alice!);
    expect(shown.map((item) => item.businessKey)).toEqual(['ORD-3', 'ORD-1']);
    // UTC+8 (getTimezoneOffset -480): times are Beijing's wall clock.
    const file = await exported('done', tokens.ex_alice!, '?timezoneOffset=-480');
    expect(file.status, file.text).toBe(200);
    expect(file.headers.get('content-disposition')).toMatch(/attachment; filename="done-\d{4}-\d{2}-\d{2}\.xlsx"/);
    expect(file.sheet).toBe('已办');
    expect(file.rows[0]).toEqual(['流程', '任务', '流程状态', '到达时间', '办理时间', '发起人', '处理人', '业务编号', '摘要']);
    const body = file.rows.slice(1);
    expect(body.map((row) => row[7])).toEqual(shown.map((item) => item.businessKey));
    expect(body[0]!.slice(0, 3)).toEqual(['订单审核', '检查订单', '进行中']);
    expect(body[0]![5]).toBe('爱丽丝');
    const endedAt = body[0]![4] as Date;
    expect(endedAt.getTime()).toBe(Date.parse(shown[0].endedAt) + 8 * 3600_000);
    expect(body.flat()).not.toContain('BOB-1');
    // The list's summaries are form data: the export is an audit row with who, what and how many.
    const [audit] = await t.server.ctx.db('audit_log').where({ action: 'task.export', actor: 'ex_alice' }).orderBy('id', 'desc').select('subject', 'details');
    expect(audit).toMatchObject({ subject: '2 done tasks', details: { box: 'done', format: 'xlsx', rows: 2 } });
  });

  it('我发起的 as CSV in English for Bob, with the filter of the list; the other user\'s instances absent', async () => {
    const file = await exported('started', tokens.ex_bob!, '?format=csv');
    expect(file.status, file.text).toBe(200);
    expect(file.headers.get('content-type')).toContain('text/csv');
    const lines = file.text!.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines[0]).toBe('Process,Process status,Started,Ended,Business key,Summary');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(/^订单审核,In progress,\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2},,BOB-1,BOB-1$/);

    const filtered = await exported('started', tokens.ex_alice!, '?q=ORD-2');
    expect(filtered.rows.slice(1).map((row) => row[4])).toEqual(['ORD-2']);
    const all = await exported('started', tokens.ex_alice!);
    expect(all.rows.slice(1).map((row) => row[4])).toEqual((await list('started', tokens.ex_alice!)).map((item) => item.businessKey));
    expect(all.rows.slice(1).map((row) => row[4])).toEqual(['ORD-3', 'ORD-2', 'ORD-1']);
  });

  it('refuses other boxes, formats and bad sorts with a 422 naming the parameter', async () => {
    const traced = await t.server.ctx.db('audit_log').where({ action: 'task.export' }).count({ n: '*' });
    const todo = await exported('todo', tokens.ex_alice!);
    expect(todo.status).toBe(422);
    expect(JSON.parse(todo.text!).error.details[0].pointer).toBe('box');
    const format = await exported('done', tokens.ex_alice!, '?format=pdf');
    expect(format.status).toBe(422);
    expect(JSON.parse(format.text!).error.details[0].pointer).toBe('format');
    const sort = await exported('started', tokens.ex_alice!, '?sort=dueAt');
    expect(sort.status).toBe(422);
    expect((await fetch(`${t.url}/api/inbox/done/export`)).status).toBe(401);
    // A refused export traces nothing.
    expect(await t.server.ctx.db('audit_log').where({ action: 'task.export' }).count({ n: '*' })).toEqual(traced);
  });
});
