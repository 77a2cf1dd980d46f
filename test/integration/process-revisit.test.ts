/**
 * 回访 (revisit) with the key-account template's real forms, automations and demo users, over
 * HTTP. Time moves by executing due jobs now (`POST /api/jobs/:id/execute`), never by sleeping.
 *
 * 1. From a profile card (发起回访): plan → the day-before reminder → the visit, recorded (a
 *    visit record; the customer's last and next visit dates) → the survey link, answered once
 *    on the public page (the second answer refused) → a low score starts feedback_loop with
 *    the survey as its source.
 * 2. The daily schedule starts one revisit per due customer, tells the owner, and none again
 *    while it runs; with no answer in 7 days the owner asks by phone, and a good score ends it.
 */
import { describe, expect, it } from 'vitest';
import { TEST_ADMIN_PASSWORD, useTestServer } from '../helpers/server.ts';

const t = useTestServer({ LIUZHUAN_LOAD_TEMPLATES: 'true' });

async function as(username: string) {
  const token = await t.login(username, username === 'admin' ? TEST_ADMIN_PASSWORD : 'demo123');
  return async (method: string, path: string, body?: unknown, status = 200) => {
    const answer = await t.request(method, path, { token, body });
    expect(answer.status, `${method} ${path}: ${JSON.stringify(answer.body)}`).toBe(status);
    return answer.body;
  };
}

/** Today in Shanghai shifted by `days`, YYYY-MM-DD. */
function day(days: number): string {
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
  return new Date(Date.parse(`${today}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

async function customers(): Promise<Map<string, any>> {
  const admin = await as('admin');
  const { items } = await admin('GET', '/api/forms/customer_profile/records?pageSize=100');
  return new Map(items.map((record: any) => [record.data.name, record]));
}

async function taskAt(username: string, instanceId: string, elementId: string) {
  const call = await as(username);
  const tasks = (await call('GET', `/api/tasks?instanceId=${instanceId}`)).filter((task: any) => task.elementId === elementId);
  expect(tasks, `${username} at ${elementId}`).toHaveLength(1);
  return tasks[0];
}

async function executeJob(instanceId: string, elementId: string) {
  const admin = await as('admin');
  const job = (await admin('GET', `/api/jobs?instanceId=${instanceId}`)).find((row: any) => row.elementId === elementId);
  expect(job, `a job at ${elementId}`).toBeDefined();
  expect((await admin('POST', `/api/jobs/${job.id}/execute`)).status).toBe('executed');
}

async function notificationTitles(username: string): Promise<string[]> {
  const body = await (await as(username))('GET', '/api/notifications?limit=100');
  return (body.items ?? body).map((n: { title: string }) => n.title);
}

describe('revisit', () => {
  it('runs from a profile card through the visit and a survey answered once to a feedback loop', async () => {
    const zhangsan = await as('zhangsan');
    const card = (await customers()).get('北辰零售连锁'); // tier B, owner zhangsan
    const starts = await zhangsan('GET', `/api/forms/customer_profile/records/${card.id}/starts`);
    expect(starts.map((s: any) => s.definitionKey)).toEqual(['revisit']);
    // Only a process that starts from this form may be started from it.
    const wrong = await t.request('POST', `/api/forms/customer_profile/records/${card.id}/starts/feedback_loop`, {
      token: await t.login('zhangsan', 'demo123'),
    });
    expect(wrong.status).toBe(409);
    expect(wrong.body.error.code).toBe('not_started_from_form');

    const started = await zhangsan('POST', `/api/forms/customer_profile/records/${card.id}/starts/revisit`, undefined, 201);
    expect(started).toMatchObject({ definitionKey: 'revisit', businessKey: card.id, status: 'active' });
    const instance = await zhangsan('GET', `/api/instances/${started.id}`);
    expect(instance.record.formKey).toBe('revisit_plan');
    expect((await customers()).get('北辰零售连锁').data.revisit_open).toBe(true);
    // A second 发起回访 while this one runs is refused, naming it.
    const second = await t.request('POST', `/api/forms/customer_profile/records/${card.id}/starts/revisit`, { token: await t.login('zhangsan', 'demo123') });
    expect(second.status).toBe(409);
    expect(second.body.error).toMatchObject({ code: 'already_running', details: [expect.objectContaining({ pointer: started.id })] });

    // Plan: the visit is due on the planned day, with a reminder the day before.
    const plan = await taskAt('zhangsan', started.id, 'plan');
    await zhangsan('POST', `/api/tasks/${plan.id}/submit`, { variables: { planned_on: day(3), goal: '了解新门店的系统需求' } });
    const visit = await taskAt('zhangsan', started.id, 'visit');
    expect(visit.dueAt.slice(0, 10)).toBe(day(3));
    await executeJob(started.id, 'dayBefore');
    expect(await notificationTitles('zhangsan')).toContain('回访提醒：明天回访北辰零售连锁');

    // The visit is recorded: a visit record, and the customer's dates (tier B: next in 3 months).
    await zhangsan('POST', `/api/tasks/${visit.id}/submit`, { variables: { visited_on: day(3), method: 'onsite', summary: '需求已确认' } });
    const visits = (await zhangsan('GET', '/api/forms/visit_record/records?pageSize=100')).items.filter((r: any) => r.data.customer === '北辰零售连锁');
    expect(visits.map((r: any) => r.data)).toContainEqual(expect.objectContaining({ visited_on: day(3), visitor: 'zhangsan', method: 'onsite' }));
    const visited = (await customers()).get('北辰零售连锁').data;
    expect(visited.last_visit_on).toBe(day(3));
    const inThreeMonths = new Date(`${day(3)}T00:00:00Z`);
    inThreeMonths.setUTCMonth(inThreeMonths.getUTCMonth() + 3);
    expect(visited.next_revisit_on).toBe(inThreeMonths.toISOString().slice(0, 10));

    // The survey link: single use, answered on the public page without a login.
    const link = (await zhangsan('GET', `/api/instances/${started.id}`)).variables.surveyLink as string;
    expect(link).toMatch(/^\/p\//);
    const token = link.replace(/^\/p\//, '');
    const page = await t.request('GET', `/api/public/links/${token}`);
    expect(page.status).toBe(200);
    // The customer sees their name; the survey's date and channel are fixed by the link, off the page.
    expect(page.body.prefill).toEqual({ customer: '北辰零售连锁' });
    expect(page.body.hiddenFields).toEqual(expect.arrayContaining(['channel', 'surveyed_on']));
    const answered = await t.request('POST', `/api/public/links/${token}`, {
      body: { data: { score: 60, would_recommend: false, comments: '响应慢', channel: 'phone' } },
    });
    expect(answered.status, JSON.stringify(answered.body)).toBe(201);
    const again = await t.request('POST', `/api/public/links/${token}`, { body: { data: { score: 100 } } });
    expect(again.status).toBe(410);
    expect(again.body.error.code).toBe('link_used');

    // A low score: feedback_loop runs as a called instance, its record pointing at the survey and back.
    const admin = await as('admin');
    const children = (await admin('GET', '/api/instances?definitionKey=feedback_loop&pageSize=100')).items.filter((i: any) => i.parentInstanceId === started.id);
    expect(children).toHaveLength(1);
    const child = await admin('GET', `/api/instances/${children[0].id}`);
    const improvement = (await admin('GET', `/api/forms/improvement/records/${child.record.id}`)).data;
    expect(improvement).toMatchObject({ source: 'survey', source_form: 'satisfaction_survey', customer: '北辰零售连锁', owner: 'zhangsan' });
    expect(improvement.summary).toContain('60');
    const survey = (await admin('GET', `/api/forms/satisfaction_survey/records/${improvement.source_record_id}`)).data;
    expect(survey).toMatchObject({ score: 60, would_recommend: false, customer: '北辰零售连锁', channel: 'online', feedback_instance_id: child.id });
    expect(survey.surveyed_on).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect((await taskAt('zhangsan', child.id, 'analyse')).name).toBe('分析原因并指派改进');
  }, 120_000);

  it('starts once per due customer on the daily schedule; no answer in 7 days → the owner asks by phone', async () => {
    const admin = await as('admin');
    // 华东 (A, zhangsan) is due; 南海 and 云帆 are not; 北辰 has a revisit running; 康宁 was visited lately.
    const cards = await customers();
    const set = async (name: string, change: object) => {
      const card = cards.get(name);
      await admin('PUT', `/api/forms/customer_profile/records/${card.id}`, { data: { ...card.data, ...change } });
    };
    await set('华东精密制造有限公司', { next_revisit_on: day(-1) });
    await set('南海物流集团', { next_revisit_on: day(30) });
    await set('云帆信息科技', { next_revisit_on: day(60) });
    await set('康宁医疗器械', { last_visit_on: day(-10) }); // tier B: due in about 3 months
    const automation = (await admin('GET', '/api/automations')).find((a: any) => a.name === '按客户等级定期发起回访');
    // The pending tick of the template's schedule (the job list does not show payloads).
    const tickJob = async () =>
      (await t.server.ctx.db('jobs').where({ type: 'automation:tick' }).whereRaw("payload->>'automationId' = ?", [automation.id]).first('id')) as { id: string };
    const revisits = async (): Promise<any[]> => (await admin('GET', '/api/instances?definitionKey=revisit&pageSize=100')).items;

    const before = new Set((await revisits()).map((i) => i.id));
    const first = await tickJob();
    expect((await admin('POST', `/api/jobs/${first.id}/execute`)).status).toBe('executed');
    const startedNow = (await revisits()).filter((i) => !before.has(i.id));
    expect(startedNow.map((i: any) => i.businessKey)).toEqual([cards.get('华东精密制造有限公司').id]);
    expect(await notificationTitles('zhangsan')).toContain('到期回访：华东精密制造有限公司');

    // The next tick: 华东 is still being revisited, nothing starts twice.
    const second = await tickJob();
    expect(second.id).not.toBe(first.id);
    expect((await admin('POST', `/api/jobs/${second.id}/execute`)).status).toBe('executed');
    expect((await revisits()).length).toBe(before.size + 1);

    const id = startedNow[0].id;
    const zhangsan = await as('zhangsan');
    await zhangsan('POST', `/api/tasks/${(await taskAt('zhangsan', id, 'plan')).id}/submit`, { variables: { planned_on: day(0) } });
    await zhangsan('POST', `/api/tasks/${(await taskAt('zhangsan', id, 'visit')).id}/submit`, { variables: { visited_on: day(0), method: 'phone', summary: '例行回访' } });
    // Seven days without an answer.
    await executeJob(id, 'noAnswer');
    const phone = await taskAt('zhangsan', id, 'phoneFollowUp');
    await zhangsan('POST', `/api/tasks/${phone.id}/submit`, { variables: { score: 92, would_recommend: true } });

    const done = await admin('GET', `/api/instances/${id}`);
    expect(done.status).toBe('completed');
    expect((await admin('GET', `/api/forms/revisit_plan/records/${done.record.id}`)).data).toMatchObject({ status: 'done', customer: '华东精密制造有限公司' });
    const card = (await customers()).get('华东精密制造有限公司').data;
    expect(card).toMatchObject({ revisit_open: false, last_visit_on: day(0) });
    const surveys = (await admin('GET', '/api/forms/satisfaction_survey/records?pageSize=100')).items;
    expect(surveys.map((r: any) => r.data)).toContainEqual(expect.objectContaining({ customer: '华东精密制造有限公司', score: 92, channel: 'phone' }));
    // A good score starts no feedback loop.
    expect((await admin('GET', '/api/instances?definitionKey=feedback_loop&pageSize=100')).items.filter((i: any) => i.parentInstanceId === id)).toEqual([]);
  }, 120_000);
});
