/** First start with templates enabled: key-account app, demo records, demo organisation. */
import { describe, expect, it, vi } from 'vitest';
import { bootstrapData } from '../../server/bootstrap.ts';
import { readConfig } from '../../server/config.ts';
import { TEST_ADMIN_PASSWORD, useTestServer } from '../helpers/server.ts';

const t = useTestServer({ LIUZHUAN_LOAD_TEMPLATES: 'true' });
const FORMS = ['complaint', 'complaint_confirmation', 'contract', 'customer_profile', 'improvement', 'payment_record', 'revisit_plan', 'satisfaction_survey', 'visit_record'];

describe('template app', () => {
  it('installs the key-account forms with bilingual labels', async () => {
    const admin = await t.login('admin', TEST_ADMIN_PASSWORD);
    const { body } = await t.request('GET', '/api/forms', { token: admin });
    expect(body.map((f: { key: string }) => f.key)).toEqual(FORMS);
    const profile = await t.request('GET', '/api/forms/customer_profile', { token: admin });
    expect(profile.body).toMatchObject({ title: '客户档案卡', version: 1 });
    expect(profile.body.uiSchema.name['ui:title']).toEqual({ 'zh-CN': '客户名称', en: 'Customer name' });
  });

  it('installs five demo customers that the schema accepts and filters find', async () => {
    const admin = await t.login('admin', TEST_ADMIN_PASSWORD);
    const customers = await t.request('GET', '/api/forms/customer_profile/records?filter[tier]=A', { token: admin });
    expect(customers.body.total).toBe(2);
    const all = await t.request('GET', '/api/forms/customer_profile/records?sort=-data.annual_revenue', { token: admin });
    expect(all.body.total).toBe(5);
    expect(all.body.items[0].data.name).toBe('华东精密制造有限公司');
  });

  it('validates template records, e.g. the phone pattern and RFM range', async () => {
    const admin = await t.login('admin', TEST_ADMIN_PASSWORD);
    const { status, body } = await t.request('POST', '/api/forms/customer_profile/records', {
      token: admin,
      body: { data: { name: 'X', tier: 'D', contact: 'Y', phone: 'abc', rfm: { recency: 6 } } },
    });
    expect(status).toBe(422);
    expect(body.error.details.map((d: { pointer: string }) => d.pointer).sort()).toEqual(['/phone', '/rfm/recency', '/tier']);
  });

  it('creates demo users in departments with heads; they log in with the demo password', async () => {
    const token = await t.login('zhangsan', 'demo123');
    const me = await t.request('GET', '/api/auth/me', { token });
    expect(me.body).toMatchObject({ role: 'staff', displayName: '张三', groups: ['staff', 'sales'] });
    const departments = await t.request('GET', '/api/departments', { token });
    expect(departments.body.map((d: { code: string }) => d.code)).toEqual(['finance', 'legal', 'management', 'sales', 'service']);
    const sales = departments.body.find((d: { code: string }) => d.code === 'sales');
    const users = await t.request('GET', '/api/users', { token });
    const head = users.body.find((u: { id: string }) => u.id === sales.headUserId);
    expect(head.username).toBe('zhaoliu');
    expect(sales.memberIds).toContain(me.body.id);
  });

  it('routes complaints from the very first start: billing to finance', async () => {
    const admin = await t.login('admin', TEST_ADMIN_PASSWORD);
    const routing = await t.request('GET', '/api/routing/complaint', { token: admin });
    expect(routing.status).toBe(200);
    const departments = (await t.request('GET', '/api/departments', { token: admin })).body;
    const finance = departments.find((d: { code: string }) => d.code === 'finance');
    const billingRule = routing.body.rules.find((rule: { condition: string }) => rule.condition.includes('billing'));
    expect(billingRule.departmentId).toBe(finance.id);
  });

  it('is idempotent: bootstrapping again adds no form version, record, user, department, process or automation', async () => {
    const db = t.server.ctx.db;
    const counts = async () =>
      Promise.all(['users', 'departments', 'department_members', 'form_versions', 'records', 'process_definitions', 'automations', 'jobs'].map((table) => db(table).count({ count: '*' })));
    const before = await counts();
    const print = vi.spyOn(console, 'log').mockImplementation(() => {});
    try {
      await bootstrapData(t.server.ctx, readConfig({ ADMIN_PASSWORD: TEST_ADMIN_PASSWORD }));
      expect(print).not.toHaveBeenCalled();
    } finally {
      print.mockRestore();
    }
    expect(await counts()).toEqual(before);
  });
});
