/**
 * Conditions in the admin's words, over HTTP: a routing rule or a form-bound process's branch
 * that compares a select field with a value it cannot hold (an option's label, a typo) or
 * names something that is not a field is refused with 422 naming the rule or the flow and
 * listing what the field can hold; a valid rule still routes its records.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { bpmn, flow } from '../helpers/engine.ts';
import { TEST_ADMIN_PASSWORD, useTestServer } from '../helpers/server.ts';

const t = useTestServer();
let admin: string;
const departments: Record<string, string> = {};

const complaintForm = {
  key: 'complaint-rc',
  title: '客户投诉单',
  schema: {
    type: 'object',
    required: ['category'],
    properties: {
      customer: { type: 'string' },
      category: { type: 'string', enum: ['billing', 'service', 'other'] },
      severity: { type: 'string', enum: ['low', 'medium', 'high'] },
      amount: { type: 'number' },
    },
  },
  uiSchema: {
    'ui:title': { 'zh-CN': '客户投诉单', en: 'Customer complaint' },
    'ui:order': ['customer', 'category', 'severity', 'amount'],
    customer: { 'ui:title': { 'zh-CN': '客户', en: 'Customer' } },
    category: { 'ui:title': { 'zh-CN': '投诉类别', en: 'Category' }, 'ui:enumNames': { 'zh-CN': ['账单', '服务', '其他'], en: ['Billing', 'Service', 'Other'] } },
    severity: { 'ui:title': { 'zh-CN': '严重程度', en: 'Severity' }, 'ui:widget': 'radio', 'ui:enumNames': ['低', '中', '高'] },
  },
};

const routing = (rules: { name: string; condition: string; department?: string }[]) => ({
  defaultDepartmentId: departments.service,
  rules: rules.map((rule) => ({ name: rule.name, condition: rule.condition, departmentId: departments[rule.department ?? 'finance'] })),
});

/** The details as an admin reads them: where, and what. */
const said = (body: any) => body.error.details.map(({ pointer, message }: { pointer: string; message: string }) => ({ pointer, message }));

async function putRouting(body: unknown, language?: string) {
  const response = await fetch(`${t.url}/api/routing/${complaintForm.key}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}`, ...(language ? { 'accept-language': language } : {}) },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as any };
}

beforeAll(async () => {
  admin = await t.login('admin', TEST_ADMIN_PASSWORD);
  expect((await t.request('POST', '/api/forms', { token: admin, body: complaintForm })).status).toBe(201);
  for (const code of ['finance', 'service']) {
    const created = await t.request('POST', '/api/departments', { token: admin, body: { code, name: code } });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    departments[code] = created.body.id;
  }
});

describe('routing rule conditions', () => {
  it('refuses a select compared with its label, naming the rule and listing the values with their labels; saves nothing', async () => {
    const refused = await putRouting(routing([{ name: '账单问题', condition: 'category = "账单"' }]));
    expect(refused.status).toBe(422);
    expect(refused.body.error.code).toBe('invalid_condition');
    expect(refused.body.error.message).toContain('规则“账单问题”');
    // A stable code and its values, for a client that words the problem itself.
    expect(refused.body.error.details[0]).toMatchObject({
      code: 'condition_value_impossible',
      params: { field: 'category', fieldLabel: '投诉类别', value: '"账单"', allowed: '"billing"（账单）、"service"（服务）、"other"（其他）' },
    });
    expect(said(refused.body)).toEqual([
      {
        pointer: '/rules/0/condition',
        message: '投诉类别 不可能是 "账单"（“账单”是选项的名称，它存储的值是 "billing"）。投诉类别 可以是："billing"（账单）、"service"（服务）、"other"（其他）',
      },
    ]);
    // Nothing was stored: the form still has no routing.
    expect((await t.request('GET', `/api/routing/${complaintForm.key}`, { token: admin })).body).toEqual({ defaultDepartmentId: null, rules: [] });
  });

  it('answers in English when asked, for every shape it reads (in, list contains, !=, and/or)', async () => {
    const refused = await putRouting(
      routing([
        { name: 'ok', condition: 'category = "billing"' },
        { name: 'in list', condition: '(category in ["billing", "Service"]) or severity = "high"' },
        { name: 'builder in', condition: 'amount > 10 and list contains(["other", "misc"], category)' },
        { name: 'not equal', condition: 'not(severity != "urgent")' },
      ]),
      'en',
    );
    expect(refused.status).toBe(422);
    expect(refused.body.error.message).toMatch(/^Rule "in list": Category can never be "Service"/);
    expect(said(refused.body)).toEqual([
      {
        pointer: '/rules/1/condition',
        message: 'Category can never be "Service" ("Service" is an option\'s label; its stored value is "service"). Category can be: "billing" (Billing), "service" (Service), "other" (Other)',
      },
      { pointer: '/rules/2/condition', message: 'Category can never be "misc". Category can be: "billing" (Billing), "service" (Service), "other" (Other)' },
      { pointer: '/rules/3/condition', message: 'Severity can never be "urgent". Severity can be: "low" (低), "medium" (中), "high" (高)' },
    ]);
  });

  it('refuses names that are not fields, recognising field and option labels', async () => {
    const refused = await putRouting(
      routing([
        { name: 'labels', condition: '投诉类别 = 账单' },
        { name: 'typo', condition: 'priority = "high"' },
      ]),
      'en',
    );
    expect(refused.status).toBe(422);
    expect(refused.body.error.details.map((detail: { code: string }) => detail.code)).toEqual(['condition_field_label', 'condition_option_label', 'condition_unknown_name']);
    expect(said(refused.body)).toEqual([
      { pointer: '/rules/0/condition', message: "投诉类别 is a field's label; write the field's name category in conditions" },
      { pointer: '/rules/0/condition', message: '账单 is a label of an option of category (Category); write its value "billing" (in quotes)' },
      {
        pointer: '/rules/1/condition',
        message: 'priority is not a field of this form. Its fields are: customer (Customer), category (Category), severity (Severity), amount',
      },
    ]);
  });

  it('accepts what it cannot analyse and what fits; a valid rule routes a record to its department', async () => {
    const saved = await putRouting(
      routing([
        { name: '账单', condition: 'category = "billing"' },
        { name: 'loops', condition: 'some x in [amount] satisfies x > 1000', department: 'service' },
        { name: 'functions', condition: 'contains(customer, "VIP") and string length(customer) > 3', department: 'service' },
      ]),
    );
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    const record = await t.request('POST', `/api/forms/${complaintForm.key}/records`, {
      token: admin,
      body: { data: { customer: 'ACME', category: 'billing', severity: 'low' } },
    });
    expect(record.status, JSON.stringify(record.body)).toBe(201);
    const queue = await t.request('GET', `/api/departments/${departments.finance}/queue`, { token: admin });
    expect(queue.body.items.map((ticket: any) => ticket.recordId)).toEqual([record.body.id]);
  });
});

describe('branch conditions of a process bound to the form', () => {
  const process = (id: string, condition: string) =>
    bpmn(`<process id="${id}" isExecutable="true">
      <extensionElements><liuzhuan:settings><liuzhuan:entry key="form" value="${complaintForm.key}"/></liuzhuan:settings></extensionElements>
      <startEvent id="s"/><exclusiveGateway id="gw" default="gw-other"/><userTask id="billingDesk"/><userTask id="other"/>
      ${flow('s', 'gw')}${flow('gw', 'billingDesk', condition).replace('<sequenceFlow ', '<sequenceFlow name="账单类" ')}${flow('gw', 'other')}
    </process>`);

  it('refuses a deploy whose branch compares a select with a value it cannot hold, naming the flow', async () => {
    const before = await t.request('GET', '/api/definitions', { token: admin });
    const refused = await t.request('POST', '/api/definitions', { token: admin, body: { xml: process('complaint_flow', '= category = "账单"') } });
    expect(refused.status).toBe(422);
    expect(refused.body.error.code).toBe('invalid_bpmn');
    expect(refused.body.error.details).toEqual([
      {
        pointer: 'gw-billingDesk',
        code: 'condition_value_impossible',
        params: expect.objectContaining({ flowId: 'gw-billingDesk', field: 'category', value: '"账单"' }),
        message: expect.stringMatching(/^The condition of flow 'gw-billingDesk' \(账单类\) can never hold: Category can never be "账单".*"billing" \(Billing\)/),
      },
    ]);
    expect(await t.request('GET', '/api/definitions', { token: admin })).toEqual(before);
  });

  it('deploys a branch that fits, and one reading a variable that is not a form field', async () => {
    const deployed = await t.request('POST', '/api/definitions', {
      token: admin,
      body: { xml: process('complaint_flow', '= category = "billing" and approved = true') },
    });
    expect(deployed.status, JSON.stringify(deployed.body)).toBe(201);
    // The start list carries the form's title per language, for an English page.
    const startable = await t.request('GET', '/api/flow-forms', { token: admin });
    expect(startable.body).toEqual([
      expect.objectContaining({ formKey: complaintForm.key, title: '客户投诉单', titles: { 'zh-CN': '客户投诉单', en: 'Customer complaint' } }),
    ]);
  });
});
