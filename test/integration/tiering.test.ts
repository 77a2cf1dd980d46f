/**
 * Customer tiering over HTTP with the key-account template app installed: on demand (admins
 * only), the daily job through the job executor's "execute now", and the template loader
 * upgrading an installed customer form to the version with the tiering fields.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { saveForm } from '../../engine/forms/forms.ts';
import { formFingerprint } from '../../templates/formFingerprint.ts';
import { installTemplateApp } from '../../templates/loader.ts';
import { TEST_ADMIN_PASSWORD, useTestServer } from '../helpers/server.ts';

const t = useTestServer({ LIUZHUAN_LOAD_TEMPLATES: 'true' });
const RUN = '/api/apps/key-account/tiering/run';

/** Today in the app's zone, shifted by `days`, as YYYY-MM-DD. */
function day(days: number): string {
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
  return new Date(Date.parse(`${today}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

async function admin() {
  return t.login('admin', TEST_ADMIN_PASSWORD);
}

async function create(token: string, form: string, data: object) {
  const created = await t.request('POST', `/api/forms/${form}/records`, { token, body: { data } });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return created.body;
}

let contractNo = 0;
const contract = (token: string, customer: string, amount: number, signedOn: string) =>
  create(token, 'contract', { customer, contract_no: `HT-T-${++contractNo}`, amount, signed_on: signedOn, payments: [] });

async function profiles(token: string): Promise<Map<string, any>> {
  const { body } = await t.request('GET', '/api/forms/customer_profile/records?pageSize=100', { token });
  return new Map(body.items.map((record: any) => [record.data.name, record]));
}

async function tieringJobs(token: string): Promise<any[]> {
  const { body } = await t.request('GET', '/api/jobs', { token });
  return body.filter((job: any) => job.type === 'tiering:daily');
}

describe('customer tiering', () => {
  it('recomputes on demand and writes tier and RFM to every profile card', async () => {
    const token = await admin();
    // Start from facts of our own: drop the demo contract (its date would age out of the windows).
    const demo = (await t.request('GET', '/api/forms/contract/records', { token })).body.items;
    for (const record of demo) expect((await t.request('DELETE', `/api/forms/contract/records/${record.id}`, { token })).status).toBe(204);

    await contract(token, '华东精密制造有限公司', 600_000, day(-10));
    await contract(token, '华东精密制造有限公司', 200_000, day(-100));
    await contract(token, '北辰零售连锁', 150_000, day(-400)); // in the 730-day ABC window, not the 365-day RFM one
    await contract(token, '南海物流集团', 50_000, day(-30));
    await contract(token, '南海物流集团', 1_000_000, day(-800)); // outside both windows
    await contract(token, '康宁医疗器械', 900_000, day(5)); // not signed yet: counts for nothing
    await create(token, 'visit_record', { customer: '北辰零售连锁', visited_on: day(-5), visitor: 'zhangsan', method: 'onsite' });
    await create(token, 'visit_record', { customer: '云帆信息科技', visited_on: day(-900), visitor: 'lisi', method: 'phone' });

    const run = await t.request('POST', RUN, { token });
    expect(run.status, JSON.stringify(run.body)).toBe(200);
    // ABC over 1,000,000: 华东 800k (before 0 % → A, cum 80 %), 北辰 150k (before 80 % → B, cum 95 %),
    // 南海 50k (before 95 % → C), 云帆 and 康宁 0 → C.
    expect(run.body).toMatchObject({ app: 'key-account', customers: 5, tiers: { A: 1, B: 1, C: 3 }, asOf: day(0) });

    // RFM over the 4 customers with any activity (康宁 has none: 111), score = ⌈5 · as-good-or-worse / 4⌉.
    // R days: 北辰 5 → 4/4 → 5; 华东 10 → 3/4 → 4; 南海 30 → 2/4 → 3; 云帆 900 → 1/4 → 2.
    // F (365 days): 华东 2 → 5; 南海 1 → 3/4 → 4; 北辰, 云帆 0 → 1.  M: 华东 800k → 5; 南海 50k → 4; others 0 → 1.
    const cards = await profiles(token);
    const expected: Record<string, [string, number, string, string]> = {
      华东精密制造有限公司: ['A', 800_000, '455', 'important_value'],
      北辰零售连锁: ['B', 150_000, '511', 'general_develop'],
      南海物流集团: ['C', 50_000, '344', 'important_value'],
      云帆信息科技: ['C', 0, '211', 'general_winback'],
      康宁医疗器械: ['C', 0, '111', 'general_winback'],
    };
    for (const [name, [tier, revenue, score, segment]] of Object.entries(expected)) {
      const card = cards.get(name);
      expect(card.data, name).toMatchObject({
        tier,
        tier_revenue: revenue,
        tier_computed_at: run.body.computedAt,
        rfm: { recency: Number(score[0]), frequency: Number(score[1]), monetary: Number(score[2]), score, segment },
      });
    }
    // Through the record update: the rest of the card is kept, the write is the admin's.
    const huadong = cards.get('华东精密制造有限公司');
    // contact and phone are personal (x-personal): answered masked, and kept through the tiering write.
    expect(huadong.data).toMatchObject({ contact: '陈*', phone: '021****0101', owner: 'zhangsan' });
    const me = (await t.request('GET', '/api/auth/me', { token })).body;
    expect(huadong.updatedBy).toBe(me.id);
  });

  it('is for admins only, and only for an app that has tiering', async () => {
    const staff = await t.login('zhangsan', 'demo123');
    const before = (await profiles(await admin())).get('南海物流集团').data.tier_computed_at;
    const refused = await t.request('POST', RUN, { token: staff });
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toMatch(/admin/);
    expect((await t.request('POST', RUN)).status).toBe(401);
    const unknown = await t.request('POST', '/api/apps/no-such-app/tiering/run', { token: await admin() });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.message).toContain('no-such-app');
    expect((await profiles(await admin())).get('南海物流集团').data.tier_computed_at).toBe(before);
    // The apps page offers the button for the apps that have tiering.
    const [app] = (await t.request('GET', '/api/apps', { token: await admin() })).body;
    expect(app).toMatchObject({ key: 'key-account', tiering: true });
  });

  it('runs daily as one job that recomputes and schedules the next day', async () => {
    const token = await admin();
    const [job, ...others] = await tieringJobs(token);
    expect(others).toEqual([]);
    // 02:00 in Shanghai is 18:00 UTC, within the next day.
    const due = new Date(job.dueAt);
    expect(due.getUTCHours()).toBe(18);
    expect(due.getTime() - Date.now()).toBeGreaterThan(0);
    expect(due.getTime() - Date.now()).toBeLessThanOrEqual(86_400_000);

    // A big new contract makes 南海 the top customer: 2,000k of 3,000k → A; 华东 800k (before 66.7 %) → A too.
    await contract(token, '南海物流集团', 2_000_000, day(-1));
    const executed = await t.request('POST', `/api/jobs/${job.id}/execute`, { token });
    expect(executed.body, JSON.stringify(executed.body)).toMatchObject({ status: 'executed', jobId: job.id });
    const cards = await profiles(token);
    expect(cards.get('南海物流集团').data).toMatchObject({ tier: 'A', tier_revenue: 2_050_000 });
    expect(cards.get('华东精密制造有限公司').data.tier).toBe('A');
    // 北辰: before 2,850k of 3,000k = 95 % → C.
    expect(cards.get('北辰零售连锁').data.tier).toBe('C');

    const [next, ...more] = await tieringJobs(token);
    expect(more).toEqual([]);
    expect(next.id).not.toBe(job.id);
    expect(new Date(next.dueAt).getTime() - due.getTime()).toBe(86_400_000);
  });

  it('upgrades a customer form installed from the earlier template, keeping its records, and leaves an admin-changed one alone', async () => {
    const db = t.server.ctx.db;
    const v1 = JSON.parse(readFileSync(new URL('../fixtures/customer_profile.v1.json', import.meta.url), 'utf8'));
    const template = JSON.parse(readFileSync(new URL('../../templates/key-account/forms/customer_profile.json', import.meta.url), 'utf8'));
    expect(template.replaces).toContain(formFingerprint(v1));
    const token = await admin();
    const recordsBefore = (await t.request('GET', '/api/forms/customer_profile/records?pageSize=100', { token })).body.items;

    // As on an installation from before tiering: the latest version is the old template.
    const { version: old } = await saveForm(db, { key: 'customer_profile', title: v1.title['zh-CN'], schema: v1.schema, uiSchema: v1.uiSchema }, null);
    const upgraded = await installTemplateApp(db, 'key-account', null);
    expect(upgraded).toMatchObject({ installedForms: [], upgradedForms: ['customer_profile'], demoRecords: 0, tieringScheduled: false });
    const form = (await t.request('GET', '/api/forms/customer_profile', { token })).body;
    expect(form.version).toBe(old + 1);
    expect(form.schema.properties.tier_computed_at).toBeDefined();
    const recordsAfter = (await t.request('GET', '/api/forms/customer_profile/records?pageSize=100', { token })).body.items;
    expect(recordsAfter).toEqual(recordsBefore);

    // An admin's own change is theirs: the loader neither re-saves the template nor touches it.
    const changed = { ...v1.schema, description: 'Our own profile card' };
    const { version: own } = await saveForm(db, { key: 'customer_profile', title: '客户', schema: changed, uiSchema: v1.uiSchema }, null);
    expect((await installTemplateApp(db, 'key-account', null)).upgradedForms).toEqual([]);
    expect((await t.request('GET', '/api/forms/customer_profile', { token })).body.version).toBe(own);
    // …and tiering still writes the fields that form has (the tier), not the ones it lacks.
    const run = await t.request('POST', RUN, { token });
    expect(run.status, JSON.stringify(run.body)).toBe(200);
    const card = (await profiles(token)).get('南海物流集团');
    expect(card.formVersion).toBe(own);
    expect(card.data.tier).toBe('A');
    expect(card.data.tier_computed_at).toBeUndefined();
    expect(Object.keys(card.data.rfm).sort()).toEqual(['frequency', 'monetary', 'recency']);
  });
});
