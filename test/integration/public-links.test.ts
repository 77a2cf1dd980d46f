/**
 * Public links (外链) over real HTTP and Postgres: a single-use link a process makes for its
 * waiting instance (the survey), a form published by an admin (limited in time and count,
 * channel recorded), a flow form's start link, and what each refuses — used, expired,
 * revoked, closed, unknown, bad data, a second answer racing the first, too many requests.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { bpmn, flow } from '../helpers/engine.ts';
import { TEST_ADMIN_PASSWORD, useTestServer } from '../helpers/server.ts';

const t = useTestServer();
let admin: string;
let staff: string;

const SURVEY_FORM = {
  key: 'survey_t',
  title: '满意度调查',
  schema: {
    type: 'object',
    required: ['score'],
    properties: {
      customer: { type: 'string' },
      score: { type: 'integer', minimum: 0, maximum: 100 },
      comment: { type: 'string', maxLength: 500 },
      // Staff-only: a visitor neither sees nor sets it.
      feedback_instance_id: { type: 'string', format: 'uuid' },
    },
  },
};

/** start → send the link → wait for `survey_answered` → score < 80: follow-up task, else end. */
function surveyProcess(id: string, link: string, message = 'survey_answered'): string {
  return bpmn(
    `<process id="${id}" isExecutable="true">
      <startEvent id="s"/>
      <sendTask id="send" name="发送满意度调查"><extensionElements>${link}</extensionElements></sendTask>
      <intermediateCatchEvent id="wait" name="等待答复"><messageEventDefinition messageRef="m-${id}"/></intermediateCatchEvent>
      <exclusiveGateway id="gw" default="gw-done"/>
      <userTask id="followUp" name="跟进低分" camunda:assignee="admin"/>
      <endEvent id="done"/>
      ${flow('s', 'send')}${flow('send', 'wait')}${flow('wait', 'gw')}${flow('gw', 'followUp', '= answer.score < 80')}
      <sequenceFlow id="gw-done" sourceRef="gw" targetRef="done"/>${flow('followUp', 'done')}
    </process>`,
    `<message id="m-${id}" name="${message}"/>`,
  );
}

const SURVEY_LINK =
  '<liuzhuan:publicLink form="survey_t" message="survey_answered" expiresIn="P14D" variable="surveyLink" notify="${owner}">' +
  '<liuzhuan:entry key="customer" value="customer"/></liuzhuan:publicLink>';

async function post(path: string, body: unknown, token = admin) {
  return t.request('POST', path, { token, body });
}
async function get(path: string, token = admin) {
  return t.request('GET', path, { token });
}
/** The public page's calls: no token at all. */
const visitor = {
  open: (path: string) => t.request('GET', `/api/public/links/${path.replace(/^\/p\//, '')}`),
  answer: (path: string, data: unknown, query = '') =>
    t.request('POST', `/api/public/links/${path.replace(/^\/p\//, '')}${query}`, { body: { data } }),
};

async function deploy(xml: string) {
  return post('/api/definitions', { xml });
}

async function startSurvey(processId: string, businessKey: string): Promise<{ id: string; link: string }> {
  const started = await post('/api/instances', { definitionKey: processId, businessKey, variables: { owner: 'admin', customer: '华东精密' } });
  expect(started.status, JSON.stringify(started.body)).toBe(201);
  const instance = await get(`/api/instances/${started.body.id}`);
  return { id: started.body.id, link: instance.body.variables.surveyLink };
}

async function recordCount(form: string): Promise<number> {
  return (await get(`/api/forms/${form}/records`)).body.total;
}

beforeAll(async () => {
  admin = await t.login('admin', TEST_ADMIN_PASSWORD);
  expect((await post('/api/users', { username: 'zhangsan', displayName: '张三', password: 'zhangsan-pass-1', role: 'staff' })).status).toBe(201);
  staff = await t.login('zhangsan', 'zhangsan-pass-1');
  expect((await post('/api/forms', SURVEY_FORM)).status).toBe(201);
  expect((await deploy(surveyProcess('survey_flow', SURVEY_LINK))).status).toBe(201);
});

describe('a single-use link bound to a waiting instance', () => {
  it('is made by the send task, notifies the owner, shows only the form, and moves the instance with the answer once', async () => {
    const { id, link } = await startSurvey('survey_flow', 'CUS-1');
    // 256 random bits, base64url: 43 characters.
    expect(link).toMatch(/^\/p\/[A-Za-z0-9_-]{43}$/);
    expect((await get(`/api/instances/${id}`)).body.activeElementIds).toEqual(['wait']);

    const notes = await get('/api/notifications');
    expect(notes.body.items[0]).toMatchObject({ title: '外链已生成：满意度调查', link });

    // The page itself is the designer's (index.html for /p/*), kept out of search indexes.
    const html = await fetch(`${t.url}${link}`);
    expect(html.headers.get('x-robots-tag')).toBe('noindex, nofollow');
    expect([200, 503]).toContain(html.status); // 503: the designer is not built in this checkout

    const page = await visitor.open(link);
    expect(page.status).toBe(200);
    expect(page.body).toMatchObject({
      kind: 'instance',
      title: '满意度调查',
      prefill: { customer: '华东精密' },
      hiddenFields: ['feedback_instance_id'],
      form: { key: 'survey_t', schema: SURVEY_FORM.schema },
    });
    // Nothing else of the instance reaches the public page.
    expect(JSON.stringify(page.body)).not.toMatch(/CUS-1|admin/);

    const before = await recordCount('survey_t');
    const bad = await visitor.answer(link, { score: 'ninety' });
    expect(bad.status).toBe(422);
    expect(bad.body.error.details).toEqual([expect.objectContaining({ pointer: '/score' })]);
    expect(await recordCount('survey_t')).toBe(before);
    expect((await visitor.open(link)).status).toBe(200);

    const answered = await visitor.answer(
      link,
      { score: 60, comment: '响应慢', customer: '别的客户', feedback_instance_id: id },
      '?channel=sms&utm_source=revisit&bad%20name=x',
    );
    expect(answered.status, JSON.stringify(answered.body)).toBe(201);
    const instance = (await get(`/api/instances/${id}`)).body;
    expect(instance.activeElementIds).toEqual(['followUp']);
    // The link's customer wins; the staff-only field is dropped.
    const stored = { score: 60, comment: '响应慢', customer: '华东精密' };
    expect(instance.variables).toMatchObject({ answer: stored, answerRecordId: answered.body.recordId });
    const record = (await get(`/api/forms/survey_t/records/${answered.body.recordId}`)).body;
    expect(record.data).toEqual(stored);
    const links = (await get(`/api/instances/${id}/public-links`)).body;
    expect(links).toEqual([expect.objectContaining({ kind: 'instance', path: link, useCount: 1, maxUses: 1, state: 'used' })]);
    const answers = (await get(`/api/forms/survey_t/public-links/${links[0].id}/answers`)).body;
    expect(answers).toEqual([expect.objectContaining({ recordId: answered.body.recordId, instanceId: id, channel: { channel: 'sms', utm_source: 'revisit' } })]);

    const again = await visitor.answer(link, { score: 100 });
    expect(again.status).toBe(410);
    expect(again.body.error.code).toBe('link_used');
    expect((await visitor.open(link)).body.error.code).toBe('link_used');
    expect(await recordCount('survey_t')).toBe(before + 1);
  });

  it('two answers at once: exactly one counts, the other is told the link is used', async () => {
    const { id, link } = await startSurvey('survey_flow', 'CUS-2');
    const before = await recordCount('survey_t');
    const results = await Promise.all([visitor.answer(link, { score: 95 }), visitor.answer(link, { score: 10 })]);
    expect(results.map((result) => result.status).sort()).toEqual([201, 410]);
    expect(results.find((result) => result.status === 410)!.body.error.code).toBe('link_used');
    expect(await recordCount('survey_t')).toBe(before + 1);
    const winner = results.find((result) => result.status === 201)!.body.recordId;
    expect((await get(`/api/instances/${id}`)).body.variables.answerRecordId).toBe(winner);
  });

  it('an instance that no longer waits closes its link (410 link_closed) and nothing is written', async () => {
    const { id, link } = await startSurvey('survey_flow', 'CUS-3');
    const byPhone = await post('/api/messages', { messageName: 'survey_answered', correlationKey: 'CUS-3', variables: { answer: { score: 90 } } });
    expect(byPhone.status).toBe(200);
    const before = await recordCount('survey_t');
    expect((await visitor.open(link)).body.error.code).toBe('link_closed');
    const late = await visitor.answer(link, { score: 50 });
    expect(late.status).toBe(410);
    expect(late.body.error.code).toBe('link_closed');
    expect(await recordCount('survey_t')).toBe(before);
    expect((await get(`/api/instances/${id}/public-links`)).body[0].useCount).toBe(0);
  });

  it('an expired link says so, in the language asked for', async () => {
    const xml = surveyProcess('survey_now', SURVEY_LINK.replace('P14D', 'PT0S'));
    expect((await deploy(xml)).status).toBe(201);
    const { link } = await startSurvey('survey_now', 'CUS-4');
    const token = link.slice(3);
    const english = await fetch(`${t.url}/api/public/links/${token}`, { headers: { 'accept-language': 'en' } });
    expect(english.status).toBe(410);
    expect(await english.json()).toEqual({ error: { code: 'link_expired', message: 'This link has expired' } });
    const answer = await visitor.answer(link, { score: 80 });
    expect(answer.status).toBe(410);
    expect(answer.body.error).toEqual({ code: 'link_expired', message: '此链接已过期' });
  });

  it('refuses at deploy a link whose message nothing catches, or whose form does not exist', async () => {
    const uncaught = await deploy(surveyProcess('survey_bad', SURVEY_LINK.replace('message="survey_answered"', 'message="nobody_waits"')));
    expect(uncaught.status).toBe(422);
    expect(uncaught.body.error.details).toEqual([expect.objectContaining({ pointer: 'send', code: 'public_link_message_uncaught' })]);
    const missing = await deploy(surveyProcess('survey_bad', SURVEY_LINK.replace('form="survey_t"', 'form="no_such_form"')));
    expect(missing.status).toBe(422);
    expect(missing.body.error.details).toEqual([expect.objectContaining({ pointer: 'send', code: 'public_link_form_missing' })]);
  });

  it('an unknown or malformed token is 404 link_not_found', async () => {
    for (const token of ['A'.repeat(43), 'short', '../../api/users']) {
      const page = await t.request('GET', `/api/public/links/${encodeURIComponent(token)}`);
      expect(page.status).toBe(404);
      expect(page.body.error.code).toBe('link_not_found');
    }
    expect((await visitor.answer('A'.repeat(43), { score: 1 })).body.error.code).toBe('link_not_found');
  });
});

describe('links an admin publishes for a form', () => {
  it('only admins publish, list and revoke', async () => {
    expect((await post('/api/forms/survey_t/public-links', {}, staff)).status).toBe(403);
    expect((await get('/api/forms/survey_t/public-links', staff)).status).toBe(403);
    expect((await t.request('POST', '/api/forms/survey_t/public-links', { body: {} })).status).toBe(401);
    const bad = await post('/api/forms/survey_t/public-links', { maxUses: 0, expiresAt: '2000-01-01T00:00:00Z' });
    expect(bad.status).toBe(422);
    expect(bad.body.error.details.map((detail: { pointer: string }) => detail.pointer)).toContain('/maxUses');
    expect((await post('/api/forms/no_such_form/public-links', {})).status).toBe(404);
  });

  it('limited in count, with channel defaults recorded on each answer; revoked and expired links refuse', async () => {
    const created = await post('/api/forms/survey_t/public-links', { title: '展会问卷', maxUses: 2, channel: { channel: 'poster' } });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toMatchObject({ kind: 'form', state: 'open', useCount: 0, maxUses: 2, title: '展会问卷' });
    const { path, id } = created.body;
    expect((await visitor.open(path)).body).toMatchObject({ kind: 'form', title: '展会问卷' });

    expect((await visitor.answer(path, { score: 70 }, '?utm_source=wechat')).status).toBe(201);
    expect((await visitor.answer(path, { score: 90 }, '?channel=booth')).status).toBe(201);
    const third = await visitor.answer(path, { score: 90 });
    expect(third.status).toBe(410);
    expect(third.body.error.code).toBe('link_used');
    const answers = (await get(`/api/forms/survey_t/public-links/${id}/answers`)).body;
    expect(answers.map((answer: { channel: object }) => answer.channel)).toEqual([{ channel: 'booth' }, { channel: 'poster', utm_source: 'wechat' }]);
    const record = (await get(`/api/forms/survey_t/records/${answers[1].recordId}`)).body;
    expect(record.data).toEqual({ score: 70 });

    const other = (await post('/api/forms/survey_t/public-links', {})).body;
    expect((await post(`/api/forms/survey_t/public-links/${other.id}/revoke`, {})).body.state).toBe('revoked');
    expect((await visitor.answer(other.path, { score: 1 })).body.error.code).toBe('link_revoked');

    const soon = (await post('/api/forms/survey_t/public-links', { expiresAt: new Date(Date.now() + 3_600_000).toISOString() })).body;
    // The clock moved past the expiry: set the link's expiry into the past.
    await t.server.ctx.db('public_links').where({ id: soon.id }).update({ expires_at: new Date(Date.now() - 1000) });
    expect((await visitor.open(soon.path)).body.error.code).toBe('link_expired');

    const listed = (await get('/api/forms/survey_t/public-links')).body;
    expect(listed.map((link: { id: string; state: string }) => [link.id, link.state])).toEqual([
      [soon.id, 'expired'],
      [other.id, 'revoked'],
      [id, 'used'],
    ]);
  });

  it("a flow form's link starts its process as the link's visitor, without the fields the process keeps to itself", async () => {
    const schema = { type: 'object', required: ['summary'], properties: { summary: { type: 'string', minLength: 1 }, status: { type: 'string' } } };
    expect((await post('/api/forms', { key: 'complaint_t', title: '投诉', schema })).status).toBe(201);
    const xml = bpmn(`<process id="complaint_t_flow" isExecutable="true">
      <startEvent id="s" camunda:formKey="complaint_t"><extensionElements><liuzhuan:fieldPermissions>
        <liuzhuan:field name="status" access="hidden"/></liuzhuan:fieldPermissions></extensionElements></startEvent>
      <userTask id="handle" name="处理投诉" camunda:assignee="admin"/>
      ${flow('s', 'handle')}</process>`);
    expect((await deploy(xml)).status).toBe(201);
    const link = (await post('/api/forms/complaint_t/public-links', { channel: { channel: 'website' } })).body;
    expect(link).toMatchObject({ kind: 'start', processKey: 'complaint_t_flow' });
    expect((await visitor.open(link.path)).body.hiddenFields).toEqual(['status']);
    const answered = await visitor.answer(link.path, { summary: '发票开错了', status: 'closed' });
    expect(answered.status, JSON.stringify(answered.body)).toBe(201);
    const record = (await get(`/api/forms/complaint_t/records/${answered.body.recordId}`)).body;
    expect(record.instanceId).toBeTruthy();
    const instance = (await get(`/api/instances/${record.instanceId}`)).body;
    expect(instance).toMatchObject({ definitionKey: 'complaint_t_flow', startedBy: 'public-link', activeElementIds: ['handle'], variables: { summary: '发票开错了' } });
    expect(record.data).toEqual({ summary: '发票开错了' });
    // The visitor is no one who can log in.
    expect((await t.request('POST', '/api/auth/login', { body: { username: 'public-link', password: '!public-link' } })).status).toBe(401);
  });
});

describe('rate limits', () => {
  it('answers to one link beyond 10 a minute are refused with 429', async () => {
    const link = (await post('/api/forms/survey_t/public-links', {})).body;
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) statuses.push((await visitor.answer(link.path, { score: 'bad' })).status);
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(422));
    expect(statuses[10]).toBe(429);
    expect((await visitor.answer(link.path, { score: 1 })).body.error.code).toBe('too_many_requests');
  });
});
