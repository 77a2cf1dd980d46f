/**
 * Personal data (issue 14): encrypted at rest (raw SQL sees no clear value), masked in answers,
 * unmask gives the clear value with an audit row, exact-match filters through the blind index,
 * key rotation keeps values readable, the audit log refuses UPDATE/DELETE and is searchable and
 * exportable, the data subject's erase leaves no trace, and retention erases old records only.
 */
import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { configureDataKeys, keyring, parseDataKeys } from '../../engine/privacy/keys.ts';
import { rotateDataKey } from '../../engine/privacy/rotate.ts';
import { bpmn, flow } from '../helpers/engine.ts';
import { TEST_ADMIN_PASSWORD, useTestServer } from '../helpers/server.ts';

const oldKey = `k1:${randomBytes(32).toString('base64')}`;
const t = useTestServer({ LIUZHUAN_DATA_KEYS: oldKey });
let admin: string;
let viewer: string;
let unmasker: string;
let unmaskerId: string;
const PHONE = '13812345678';
const NAME = '张三丰';

const schema = {
  type: 'object',
  required: ['company'],
  properties: {
    company: { type: 'string' },
    contact: { type: 'string', 'x-personal': 'name' },
    phone: { type: 'string', 'x-personal': 'phone' },
    email: { type: 'string', format: 'email', 'x-personal': 'email' },
    idNumber: { type: 'string', 'x-personal': 'idNumber' },
    note: { type: 'string' },
  },
};

const db = () => t.server.ctx.db;
const create = async (data: Record<string, unknown>) => {
  const created = await t.request('POST', '/api/forms/lead/records', { token: admin, body: { data } });
  expect(created.status).toBe(201);
  return created.body.id as string;
};

beforeAll(async () => {
  admin = await t.login('admin', TEST_ADMIN_PASSWORD);
  for (const username of ['pd_viewer', 'pd_unmasker']) {
    const user = await t.request('POST', '/api/users', { token: admin, body: { username, displayName: username, password: 'password-123' } });
    expect(user.status).toBe(201);
    if (username === 'pd_unmasker') unmaskerId = user.body.id;
  }
  viewer = await t.login('pd_viewer', 'password-123');
  unmasker = await t.login('pd_unmasker', 'password-123');
  expect((await t.request('POST', '/api/forms', { token: admin, body: { key: 'lead', title: '线索', schema } })).status).toBe(201);
  // Everyone views; only pd_unmasker may unmask.
  for (const group of [
    { name: '全员查看', members: { everyone: true }, actions: ['view', 'add'] },
    { name: '可显示', members: { users: [unmaskerId] }, actions: ['view', 'unmask'] },
  ]) {
    const saved = await t.request('POST', '/api/forms/lead/permission-groups', {
      token: admin,
      body: { ...group, fields: { visible: '*', editable: '*' }, filter: null },
    });
    expect(saved.status, JSON.stringify(saved.body)).toBe(201);
  }
});

describe('encryption at rest and masking', () => {
  let id: string;
  beforeAll(async () => {
    id = await create({ company: '华东机械', contact: NAME, phone: PHONE, email: 'Zhang@Example.com', idNumber: '110101199003071234', note: 'VIP' });
  });

  it('stores no personal value in the clear', async () => {
    const row = await db()('records').where({ id }).first('data');
    const text = JSON.stringify(row.data);
    for (const clear of [PHONE, NAME, 'Zhang@Example.com', '110101199003071234']) expect(text).not.toContain(clear);
    expect(row.data.phone.$enc).toMatch(/^k1:/);
    expect(row.data.company).toBe('华东机械');
    const hits = await db().raw(`SELECT count(*)::int AS n FROM records WHERE data::text ILIKE ?`, [`%${PHONE}%`]);
    expect(hits.rows[0].n).toBe(0);
  });

  it('answers masked values to a reader without unmask, and unmask is refused to them', async () => {
    const read = await t.request('GET', `/api/forms/lead/records/${id}`, { token: viewer });
    expect(read.status).toBe(200);
    const data = read.body.record?.data ?? read.body.data;
    expect(data).toMatchObject({ company: '华东机械', contact: '张**', phone: '138****5678', email: 'Z***@Example.com', idNumber: '110101********1234' });
    const list = await t.request('GET', '/api/forms/lead/records', { token: viewer });
    expect(JSON.stringify(list.body)).not.toContain(PHONE);
    expect((await t.request('POST', `/api/forms/lead/records/${id}/unmask`, { token: viewer, body: {} })).status).toBe(403);
  });

  it('unmask gives the clear values and writes one audit row naming the fields', async () => {
    const before = await db()('audit_log').where({ action: 'record.unmask', record_id: id }).count({ n: '*' });
    const answer = await t.request('POST', `/api/forms/lead/records/${id}/unmask`, { token: unmasker, body: { fields: ['phone'] } });
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ data: { phone: PHONE } });
    const rows = await db()('audit_log').where({ action: 'record.unmask', record_id: id }).orderBy('id');
    expect(rows.length).toBe(Number(before[0]!.n) + 1);
    expect(rows.at(-1)).toMatchObject({ actor: 'pd_unmasker', form_key: 'lead', details: { fields: ['phone'] } });
    const refused = await t.request('POST', `/api/forms/lead/records/${id}/unmask`, { token: unmasker, body: { fields: ['company'] } });
    expect(refused.status).toBe(422);
  });

  it('filters personal fields by exact match only (blind index)', async () => {
    const found = await t.request('GET', `/api/forms/lead/records?filter[phone][eq]=${encodeURIComponent('138 1234 5678')}`, { token: admin });
    expect(found.status).toBe(200);
    expect(found.body.items.map((r: { id: string }) => r.id)).toContain(id);
    expect((await t.request('GET', '/api/forms/lead/records?filter[phone][contains]=1381', { token: admin })).status).toBe(422);
    expect((await t.request('GET', '/api/forms/lead/records?sort=phone', { token: admin })).status).toBe(422);
  });

  it('key rotation re-encrypts with the new key and values stay readable', async () => {
    const newKey = `k2:${randomBytes(32).toString('base64')}`;
    configureDataKeys({ ...keyring(), ...ringOf(`${newKey},${oldKey}`) });
    const result = await rotateDataKey(db(), { batch: 2 });
    expect(result.keyId).toBe('k2');
    expect(result.forms.find((f) => f.formKey === 'lead')!.changed).toBeGreaterThanOrEqual(1);
    const row = await db()('records').where({ id }).first('data');
    expect(row.data.phone.$enc).toMatch(/^k2:/);
    // Only the new key from now on: still readable, still findable.
    configureDataKeys({ ...keyring(), ...ringOf(newKey) });
    const answer = await t.request('POST', `/api/forms/lead/records/${id}/unmask`, { token: admin, body: { fields: ['phone', 'email'] } });
    expect(answer.body.data).toEqual({ phone: PHONE, email: 'Zhang@Example.com' });
    const found = await t.request('GET', `/api/forms/lead/records?filter[phone][eq]=${PHONE}`, { token: admin });
    expect(found.body.items.map((r: { id: string }) => r.id)).toContain(id);
  });
});

function ringOf(text: string) {
  const keys = parseDataKeys(text);
  return { current: keys[0]!, byId: new Map(keys.map((k) => [k.id, k])) };
}

describe('the audit log', () => {
  it('refuses UPDATE and DELETE', async () => {
    await expect(db().raw(`UPDATE audit_log SET actor = 'x'`)).rejects.toThrow(/append-only/);
    await expect(db().raw(`DELETE FROM audit_log`)).rejects.toThrow(/append-only/);
  });

  it('is searchable and exportable by admins only; the export is audited', async () => {
    expect((await t.request('GET', '/api/audit', { token: viewer })).status).toBe(403);
    const page = await t.request('GET', '/api/audit?action=record.unmask&actor=pd_unmasker&pageSize=5', { token: admin });
    expect(page.status).toBe(200);
    expect(page.body.total).toBeGreaterThanOrEqual(1);
    expect(page.body.items.every((i: { action: string }) => i.action === 'record.unmask')).toBe(true);
    const text = await t.request('GET', '/api/audit?q=pd_unmask', { token: admin });
    expect(text.body.total).toBeGreaterThanOrEqual(1);
    expect((await t.request('GET', '/api/audit?bogus=1', { token: admin })).status).toBe(422);
    const response = await fetch(`${t.url}/api/audit/export?action=record.unmask`, { headers: { authorization: `Bearer ${admin}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/csv');
    const csv = await response.text();
    expect(csv.split('\r\n')[0]).toContain('id,at,actor,action');
    expect(csv).toContain('pd_unmasker');
    expect(await db()('audit_log').where({ action: 'audit.export', actor: 'admin' }).first('id')).toBeTruthy();
    // Admin changes to the organisation are logged too (no password in the details).
    const userChange = await db()('audit_log').where({ action: 'user.change', subject: 'pd_viewer' }).first();
    expect(userChange).toMatchObject({ actor: 'admin', details: { op: 'create' } });
    expect(JSON.stringify(userChange.details)).not.toContain('password');
  });
});

describe("the data subject's rights", () => {
  let recordId: string;
  let otherId: string;
  beforeAll(async () => {
    recordId = await create({ company: '西南电力', contact: NAME, phone: PHONE, note: `回访：${NAME}说电话 ${PHONE} 白天可打` });
    otherId = await create({ company: '北方重工', contact: '李四', phone: '13900001111', note: '无' });
    // A process that carries the person in its variables, a task comment and a notification.
    const xml = bpmn(`<process id="pd_callback" isExecutable="true">
      <startEvent id="start"/>
      <userTask id="call" name="回电" camunda:assignee="admin"/>
      <endEvent id="end"/>
      ${flow('start', 'call')}
      ${flow('call', 'end')}
    </process>`);
    expect((await t.request('POST', '/api/definitions', { token: admin, body: { xml } })).status).toBe(201);
    const started = await t.request('POST', '/api/instances', {
      token: admin,
      body: { definitionKey: 'pd_callback', businessKey: `回电-${NAME}`, variables: { caller: NAME, callerPhone: PHONE } },
    });
    expect(started.status, JSON.stringify(started.body)).toBe(201);
    const tasks = await db()('tasks').where({ instance_id: started.body.id }).select('id');
    const done = await t.request('POST', `/api/tasks/${tasks[0].id}/complete`, { token: admin, body: { variables: {}, comment: `已回电 ${PHONE}` } });
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    await db()('notifications').insert({ username: 'pd_viewer', title: `${NAME} 的投诉`, body: `请联系 ${NAME}，电话 ${PHONE}` });
  });

  const identifiers = { phone: PHONE, name: NAME };

  it('search finds the records, instance, task history and notification naming them', async () => {
    expect((await t.request('POST', '/api/privacy/search', { token: viewer, body: { identifiers } })).status).toBe(403);
    const found = await t.request('POST', '/api/privacy/search', { token: admin, body: { identifiers } });
    expect(found.status, JSON.stringify(found.body)).toBe(200);
    const ids = found.body.records.map((r: { id: string }) => r.id);
    expect(ids).toContain(recordId);
    expect(ids).not.toContain(otherId);
    expect(found.body.counts.instances).toBeGreaterThanOrEqual(1);
    expect(found.body.counts.taskActions).toBeGreaterThanOrEqual(1);
    expect(found.body.counts.notifications).toBe(1);
    const report = await t.request('POST', '/api/privacy/export', { token: admin, body: { identifiers } });
    expect(report.status).toBe(200);
    expect(JSON.stringify(report.body.records)).toContain(PHONE);
    expect((await t.request('POST', '/api/privacy/search', { token: admin, body: { identifiers: { name: '张' } } })).status).toBe(422);
  });

  it('erase needs confirm, then leaves no trace in records, history or notifications, with its report', async () => {
    expect((await t.request('POST', '/api/privacy/erase', { token: admin, body: { identifiers } })).status).toBe(422);
    const erased = await t.request('POST', '/api/privacy/erase', { token: admin, body: { identifiers, confirm: true } });
    expect(erased.status, JSON.stringify(erased.body)).toBe(200);
    expect(erased.body.mode).toBe('anonymise');
    expect(erased.body.counts.records).toBeGreaterThanOrEqual(2);
    expect(erased.body.counts.notifications).toBe(1);
    expect(erased.body.records.map((r: { id: string }) => r.id)).toContain(recordId);

    for (const needle of [PHONE, NAME]) {
      const like = `%${needle}%`;
      const q = async (sql: string) => (await db().raw(sql, [like, like, like].slice(0, (sql.match(/\?/g) ?? []).length))).rows[0].n;
      expect(await q('SELECT count(*)::int AS n FROM task_actions WHERE comment ILIKE ? OR details::text ILIKE ?')).toBe(0);
      expect(await q('SELECT count(*)::int AS n FROM notifications WHERE title ILIKE ? OR body ILIKE ?')).toBe(0);
      expect(await q('SELECT count(*)::int AS n FROM process_instances WHERE variables::text ILIKE ? OR state::text ILIKE ? OR business_key ILIKE ?')).toBe(0);
      expect(await q('SELECT count(*)::int AS n FROM records WHERE data::text ILIKE ?')).toBe(0);
    }
    // Decrypted too: the record keeps its company, loses the person.
    const read = await t.request('POST', `/api/forms/lead/records/${recordId}/unmask`, { token: admin, body: {} });
    expect(read.body.data).toEqual({ contact: null, phone: null, email: null, idNumber: null });
    const record = await t.request('GET', `/api/forms/lead/records/${recordId}`, { token: admin });
    const data = record.body.record?.data ?? record.body.data;
    expect(data.company).toBe('西南电力');
    expect(data.note).not.toContain(NAME);
    // Someone else is untouched.
    const other = await t.request('POST', `/api/forms/lead/records/${otherId}/unmask`, { token: admin, body: { fields: ['phone'] } });
    expect(other.body.data.phone).toBe('13900001111');

    const again = await t.request('POST', '/api/privacy/search', { token: admin, body: { identifiers } });
    expect(again.body.counts).toEqual({ records: 0, instances: 0, taskActions: 0, notifications: 0 });
    const audit = await db()('audit_log').where({ action: 'privacy.erase' }).first();
    expect(audit.details.counts.records).toBe(erased.body.counts.records);
    expect(audit.subject).not.toContain(PHONE);
  });
});

describe('retention', () => {
  it('erases a record past the period and keeps a new one, audited', async () => {
    expect((await t.request('PUT', '/api/forms/lead/retention', { token: admin, body: { retention: { after: 'three years', action: 'erase' } } })).status).toBe(422);
    const saved = await t.request('PUT', '/api/forms/lead/retention', { token: admin, body: { retention: { after: 'P3Y', basis: 'createdAt', action: 'erase' } } });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    expect((await t.request('GET', '/api/forms/lead/retention', { token: admin })).body).toEqual({ retention: { after: 'P3Y', basis: 'createdAt', action: 'erase' } });
    const old = await create({ company: '旧客户', phone: '13700000000' });
    const fresh = await create({ company: '新客户', phone: '13700000001' });
    await db()('records').where({ id: old }).update({ created_at: db().raw("now() - interval '4 years'") });
    const job = await db()('jobs').where({ type: 'privacy:retention' }).first('id');
    expect(job).toBeTruthy();
    const ran = await t.request('POST', `/api/jobs/${job.id}/execute`, { token: admin });
    expect(ran.status, JSON.stringify(ran.body)).toBe(200);
    expect(await db()('records').where({ id: old }).first('id')).toBeUndefined();
    expect(await db()('records').where({ id: fresh }).first('id')).toBeTruthy();
    const audit = await db()('audit_log').where({ action: 'retention.run', form_key: 'lead' }).first();
    expect(audit.details.ids).toContain(old);
    // The next day's run is queued.
    const [{ n }] = await db()('jobs').where({ type: 'privacy:retention' }).count({ n: '*' });
    expect(Number(n)).toBe(1);
  });
});
