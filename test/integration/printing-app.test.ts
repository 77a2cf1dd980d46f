/** The key-account template app installs its message and print templates at first start. */
import { beforeAll, describe, expect, it } from 'vitest';
import { TEST_ADMIN_PASSWORD, useTestServer } from '../helpers/server.ts';

const t = useTestServer({ LIUZHUAN_LOAD_TEMPLATES: 'true' });
let admin: string;

beforeAll(async () => {
  admin = await t.login('admin', TEST_ADMIN_PASSWORD);
});

describe('key-account templates', () => {
  it('are installed and print a demo complaint as 抱怨管理卡', async () => {
    const messages = (await t.request('GET', '/api/templates/messages', { token: admin })).body.map((m: { key: string }) => m.key);
    expect(messages).toEqual(expect.arrayContaining(['complaint_received', 'task_due']));
    const print = (await t.request('GET', '/api/templates/print?formKey=complaint', { token: admin })).body;
    expect(print.map((p: { key: string }) => p.key)).toEqual(['complaint_card']);

    const complaints = (await t.request('GET', '/api/forms/complaint/records', { token: admin })).body.items;
    expect(complaints.length).toBeGreaterThan(0);
    const response = await fetch(`${t.url}/api/forms/complaint/records/${complaints[0].id}/print?template=complaint_card`, {
      headers: { authorization: `Bearer ${admin}` },
    });
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain('<h1>抱怨管理卡</h1>');
    expect(html).toContain(complaints[0].data.customer);
  });
});
