/**
 * Script in print pages (issue #10, finding 10) and templates that save but never render
 * (finding 11). A staff-entered `javascript:` URL in `<a href="{{site}}">` and an admin's
 * `<img onerror>` ran in the browser; now the rendered body is sanitised and print pages carry
 * a CSP that forbids all script, and the app itself has a CSP. A template with a partial or
 * an unknown helper is refused when saved (422 with its line), and one stored before that
 * check answers 422 when printed, not 500.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { upsertPrintTemplate } from '../../engine/store/templates.ts';
import { TEST_ADMIN_PASSWORD, useTestServer } from '../helpers/server.ts';

const t = useTestServer();
let admin: string;
let recordId: string;

async function get(urlPath: string) {
  const response = await fetch(`${t.url}${urlPath}`, { headers: { authorization: `Bearer ${admin}` } });
  return { status: response.status, csp: response.headers.get('content-security-policy') ?? '', text: await response.text() };
}

beforeAll(async () => {
  admin = await t.login('admin', TEST_ADMIN_PASSWORD);
  const form = await t.request('POST', '/api/forms', {
    token: admin,
    body: {
      key: 'vendor',
      title: 'Vendor',
      schema: { type: 'object', properties: { name: { type: 'string' }, site: { type: 'string' } } },
    },
  });
  expect(form.status).toBe(201);
  const record = await t.request('POST', '/api/forms/vendor/records', {
    token: admin,
    body: { data: { name: 'ACME', site: 'javascript:alert(document.cookie)' } },
  });
  expect(record.status).toBe(201);
  recordId = record.body.id;
});

describe('Content-Security-Policy', () => {
  it('is sent for the designer and the API: scripts only from this origin, no inline script', async () => {
    for (const urlPath of ['/', '/inbox', '/api/health']) {
      const { csp } = await get(urlPath);
      expect(csp).toMatch(/(^|;)\s*script-src 'self'/);
      expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/);
      expect(csp).toMatch(/object-src 'none'/);
      expect(csp).toMatch(/frame-ancestors 'self'/);
    }
  });

  it('forbids every script on print pages', async () => {
    const { status, csp } = await get(`/api/forms/vendor/records/${recordId}/print`);
    expect(status).toBe(200);
    expect(csp).toMatch(/script-src 'none'/);
    expect(csp).toMatch(/default-src 'none'/);
  });
});

describe('print templates', () => {
  it("neutralises a staff-entered javascript: URL and an admin's <img onerror> and <script>", async () => {
    const saved = await t.request('PUT', '/api/templates/print/vendor_card', {
      token: admin,
      body: {
        formKey: 'vendor',
        title: 'Vendor card',
        body: '<h1>{{name}}</h1><p><a href="{{site}}">website</a></p><img src="x" onerror="alert(1)"><script>alert(2)</script><p onclick="alert(3)">ok</p>',
      },
    });
    expect(saved.status).toBe(200);
    const { status, text } = await get(`/api/forms/vendor/records/${recordId}/print?template=vendor_card`);
    expect(status).toBe(200);
    expect(text).toContain('<h1>ACME</h1>');
    expect(text).toContain('<a>website</a>');
    expect(text).toContain('<p>ok</p>');
    expect(text).not.toMatch(/javascript:/i);
    expect(text).not.toMatch(/onerror|onclick/i);
    expect(text).not.toMatch(/<script|alert\(2\)/);
  });

  it('keeps ordinary links and data: images', async () => {
    const record = await t.request('POST', '/api/forms/vendor/records', {
      token: admin,
      body: { data: { name: 'Beta', site: 'https://beta.example/?a=1&b=2' } },
    });
    const saved = await t.request('PUT', '/api/templates/print/vendor_link', {
      token: admin,
      body: { formKey: 'vendor', title: 'Vendor link', body: '<a href="{{site}}">site</a><img alt="logo" src="data:image/png;base64,iVBORw0KGgo=">' },
    });
    expect(saved.status).toBe(200);
    const { text } = await get(`/api/forms/vendor/records/${record.body.id}/print?template=vendor_link`);
    expect(text).toContain('<a href="https://beta.example/?a=1&amp;b=2">site</a>');
    expect(text).toContain('<img alt="logo" src="data:image/png;base64,iVBORw0KGgo=" />');
  });

  it('refuses a partial, a partial block and an unknown helper at save, naming the line', async () => {
    const cases: [string, number, RegExp][] = [
      ['<p>\n{{> foo}}</p>', 2, /partials/],
      ['{{#> layout}}x{{/layout}}', 1, /partial blocks/],
      ['<p>{{name}}</p>\n\n{{shout name}}', 3, /unknown helper "shout"/],
      ['{{#if (nope name)}}x{{/if}}', 1, /unknown helper "nope"/],
    ];
    for (const [body, line, message] of cases) {
      const saved = await t.request('PUT', '/api/templates/print/broken', { token: admin, body: { formKey: 'vendor', title: 'Broken', body } });
      expect(saved.status, body).toBe(422);
      expect(saved.body.error.code).toBe('invalid_template');
      expect(saved.body.error.details[0]).toMatchObject({ pointer: '/body', line, message: expect.stringMatching(message) });
    }
    expect((await t.request('GET', '/api/templates/print/broken', { token: admin })).status).toBe(404);
  });

  it('refuses a partial in a message template too', async () => {
    const saved = await t.request('PUT', '/api/templates/messages/broken_message', {
      token: admin,
      body: { channel: 'inApp', subject: 'Hi', body: 'Hello {{> signature}}' },
    });
    expect(saved.status).toBe(422);
    expect(saved.body.error.code).toBe('invalid_template');
  });

  it('answers 422 naming the template when one stored before these checks fails to render', async () => {
    await upsertPrintTemplate(t.server.ctx.db, { key: 'legacy', formKey: 'vendor', title: 'Legacy', body: '<p>{{> foo}}</p>' });
    const response = await t.request('GET', `/api/forms/vendor/records/${recordId}/print?template=legacy`, { token: admin });
    expect(response.status).toBe(422);
    expect(response.body.error).toMatchObject({ code: 'invalid_template', message: expect.stringContaining('"legacy"') });
  });
});
