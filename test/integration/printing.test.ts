/** Print pages over real HTTP: the default page, a handlebars print template, escaping, 404/422. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readTemplateApp, templatesDir } from '../../templates/app.ts';
import { TEST_ADMIN_PASSWORD, useTestServer } from '../helpers/server.ts';

const t = useTestServer();
let admin: string;
let recordId: string;

async function page(urlPath: string, token = admin) {
  const response = await fetch(`${t.url}${urlPath}`, { headers: { authorization: `Bearer ${token}` } });
  return { status: response.status, type: response.headers.get('content-type') ?? '', text: await response.text() };
}

beforeAll(async () => {
  admin = await t.login('admin', TEST_ADMIN_PASSWORD);
  const complaint = readTemplateApp('key-account').forms.find((form) => form.key === 'complaint')!;
  const saved = await t.request('POST', '/api/forms', { token: admin, body: { ...complaint, title: complaint.title['zh-CN'] } });
  expect(saved.status, JSON.stringify(saved.body)).toBe(201);
  const created = await t.request('POST', '/api/forms/complaint/records', {
    token: admin,
    body: {
      data: {
        customer: '华东重工',
        category: 'quality',
        severity: 'high',
        description: '<script>alert("x")</script> 焊缝开裂',
        received_at: '2026-03-05T08:00:00Z',
        status: 'open',
      },
    },
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  recordId = created.body.id;
});

describe('GET /api/forms/:key/records/:id/print', () => {
  it('prints a default page: zh-CN titles, enum labels, escaped values, print CSS', async () => {
    const { status, type, text } = await page(`/api/forms/complaint/records/${recordId}/print`);
    expect(status).toBe(200);
    expect(type).toMatch(/^text\/html/);
    expect(text).toMatch(/^<!doctype html>/);
    expect(text).toContain('@media print');
    expect(text).toContain('size: A4');
    expect(text).toContain('<h1>抱怨管理卡</h1>');
    expect(text).toContain('<th>严重程度</th><td>高</td>');
    expect(text).toContain('<th>抱怨类别</th><td>质量</td>');
    expect(text).toContain('华东重工');
    // Escaped text (the sanitiser re-serialises it, writing quotes in text as they are).
    expect(text).toContain('&lt;script&gt;alert("x")&lt;/script&gt; 焊缝开裂');
    expect(text).not.toContain('<script>');
  });

  it('renders the shipped 抱怨管理卡 print template', async () => {
    const body = readFileSync(path.join(templatesDir, 'key-account/print/complaint_card.hbs'), 'utf8');
    const saved = await t.request('PUT', '/api/templates/print/complaint_card', {
      token: admin,
      body: { formKey: 'complaint', title: '抱怨管理卡', body },
    });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    const { status, text } = await page(`/api/forms/complaint/records/${recordId}/print?template=complaint_card`);
    expect(status).toBe(200);
    expect(text).toContain('<title>抱怨管理卡</title>');
    expect(text).toContain('<tr><th>严重程度</th><td>高</td></tr>');
    expect(text).toContain('<tr><th>状态</th><td>待处理</td></tr>');
    expect(text).toContain('2026年3月5日');
    expect(text).toContain('&lt;script&gt;');
    const listed = await t.request('GET', '/api/templates/print', { token: admin });
    expect(listed.body.map((item: { key: string }) => item.key)).toContain('complaint_card');
  });

  it('picks up an edited template (cache keyed by updated_at)', async () => {
    await t.request('PUT', '/api/templates/print/mini', { token: admin, body: { formKey: 'complaint', title: 'Mini', body: 'v1 {{customer}}' } });
    expect((await page(`/api/forms/complaint/records/${recordId}/print?template=mini`)).text).toContain('v1 华东重工');
    await t.request('PUT', '/api/templates/print/mini', { token: admin, body: { formKey: 'complaint', title: 'Mini', body: 'v2 {{customer}}' } });
    expect((await page(`/api/forms/complaint/records/${recordId}/print?template=mini`)).text).toContain('v2 华东重工');
  });

  it('answers 404 for an unknown record or template, 422 for a bad template', async () => {
    expect((await page(`/api/forms/complaint/records/00000000-0000-0000-0000-000000000000/print`)).status).toBe(404);
    expect((await page(`/api/forms/complaint/records/not-a-uuid/print`)).status).toBe(404);
    expect((await page(`/api/forms/complaint/records/${recordId}/print?template=nope`)).status).toBe(404);
    const broken = await t.request('PUT', '/api/templates/print/broken', {
      token: admin,
      body: { formKey: 'complaint', title: 'x', body: '<h1>\n{{#each fields}}\n{{title}}' },
    });
    expect(broken.status).toBe(422);
    expect(broken.body.error.code).toBe('invalid_template');
    const raw = await t.request('PUT', '/api/templates/print/raw', { token: admin, body: { formKey: 'complaint', title: 'x', body: '{{{description}}}' } });
    expect(raw.status).toBe(422);
    expect((await t.request('GET', '/api/templates/print/broken', { token: admin })).status).toBe(404);
  });
});
