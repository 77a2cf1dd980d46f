/** `GET /api/apps` — the installed template apps and what each brought, for the admin pages. */
import { describe, expect, it } from 'vitest';
import { bpmn, flow } from '../helpers/engine.ts';
import { TEST_ADMIN_PASSWORD, useTestServer } from '../helpers/server.ts';

const withTemplates = useTestServer({ LIUZHUAN_LOAD_TEMPLATES: 'true' });
const withoutTemplates = useTestServer();

describe('GET /api/apps', () => {
  it('lists the key-account app with its forms, routing, message and print templates', async () => {
    const token = await withTemplates.login('admin', TEST_ADMIN_PASSWORD);
    const { status, body } = await withTemplates.request('GET', '/api/apps', { token });
    expect(status).toBe(200);
    expect(body).toHaveLength(1);
    const [app] = body;
    expect(app).toMatchObject({ key: 'key-account', title: { 'zh-CN': '大客户管理', en: 'Key-account management' } });
    // workflows/contract_approval.bpmn, deployed by the template, is bound to the contract form.
    expect(app.definitions.map((d: any) => d.key)).toContain('contract_approval');
    expect(app.forms.find((form: any) => form.key === 'contract').definitionKey).toBe('contract_approval');
    // workflows/complaint_handling.bpmn is bound to the complaint form.
    expect(app.definitions).toContainEqual(expect.objectContaining({ key: 'complaint_handling', name: '投诉处理', version: 1, formKey: 'complaint' }));
    expect(app.forms.map((form: any) => form.key)).toEqual([
      'customer_profile',
      'visit_record',
      'complaint',
      'revisit_plan',
      'satisfaction_survey',
      'contract',
      'complaint_confirmation',
      'payment_record',
      'improvement',
    ]);
    const complaint = app.forms.find((form: any) => form.key === 'complaint');
    expect(complaint).toMatchObject({ version: 1, title: { 'zh-CN': expect.any(String) }, definitionKey: 'complaint_handling' });
    expect(complaint.recordCount).toBeGreaterThan(0);
    // templates/key-account/routing.json: two rules, default queue 客服部.
    const departments = (await withTemplates.request('GET', '/api/departments', { token })).body as any[];
    const service = departments.find((d) => d.code === 'service');
    expect(complaint.routing).toEqual({ defaultDepartmentId: service.id, ruleCount: 2 });
    expect(app.forms.find((form: any) => form.key === 'contract').routing).toBeNull();
    expect(app.messageTemplates.map((m: any) => m.key).sort()).toEqual(['complaint_escalated', 'complaint_received', 'payment_escalated', 'payment_overdue', 'revisit_due', 'revisit_reminder', 'task_due']);
    expect(app.messageTemplates[0]).toMatchObject({ channel: 'inApp', subject: expect.any(String), updatedAt: expect.any(String) });
    expect(app.printTemplates).toEqual([expect.objectContaining({ key: 'complaint_card', formKey: 'complaint', title: '抱怨管理卡' })]);
  });

  it('shows a process bound to one of its forms, and a print template an admin added', async () => {
    const token = await withTemplates.login('admin', TEST_ADMIN_PASSWORD);
    const xml = bpmn(
      `<process id="complaintFlow" name="抱怨处理" isExecutable="true"><startEvent id="s" camunda:formKey="complaint"/><userTask id="u"/>${flow('s', 'u')}</process>`,
    );
    expect((await withTemplates.request('POST', '/api/definitions', { token, body: { xml } })).status).toBe(201);
    const added = await withTemplates.request('PUT', '/api/templates/print/contract_sheet', {
      token,
      body: { formKey: 'contract', title: '合同单', body: '<h1>{{formTitle}}</h1>' },
    });
    expect(added.status).toBe(200);

    const [app] = (await withTemplates.request('GET', '/api/apps', { token })).body;
    expect(app.definitions).toEqual(expect.arrayContaining([expect.objectContaining({ key: 'complaintFlow', name: '抱怨处理', version: 1, formKey: 'complaint' })]));
    expect(app.forms.find((form: any) => form.key === 'complaint').definitionKey).toBe('complaintFlow');
    expect(app.printTemplates.map((p: any) => p.key).sort()).toEqual(['complaint_card', 'contract_sheet']);
  });

  it('is for admins only', async () => {
    const staff = await withTemplates.login('zhangsan', 'demo123');
    expect((await withTemplates.request('GET', '/api/apps', { token: staff })).status).toBe(403);
    expect((await withTemplates.request('GET', '/api/apps')).status).toBe(401);
  });

  it('lists nothing when no template app was installed', async () => {
    const token = await withoutTemplates.login('admin', TEST_ADMIN_PASSWORD);
    expect((await withoutTemplates.request('GET', '/api/apps', { token })).body).toEqual([]);
  });
});
