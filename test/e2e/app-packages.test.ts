/**
 * App packages on the apps page in a real browser (one page load): the admin exports the
 * key-account app with its records (the browser's download, read back), then imports a newer
 * version of that file through the page — the preview lists what it changes, the one conflict
 * with the admin's own change is decided "take theirs", the import shows its result and toast.
 */
import { describe, expect, it } from 'vitest';
import { useBrowser } from '../helpers/browser.ts';
import { TEST_ADMIN_PASSWORD, useTestServer } from '../helpers/server.ts';

const t = useTestServer({ LIUZHUAN_LOAD_TEMPLATES: 'true', LIUZHUAN_MAX_BLOCKING_MS: '5000' });
const browser = useBrowser();

describe('app packages on the apps page', () => {
  it('exports the app, then imports an upgrade with a preview and a conflict decided', async () => {
    const token = await t.login('admin', TEST_ADMIN_PASSWORD);
    const { page } = await browser.person(t.url, 'admin', TEST_ADMIN_PASSWORD);
    await page.goto('/admin/apps');

    await page.getByTestId('app-key-account-export').click();
    await page.getByTestId('app-export-records').click();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('app-export-download').click()]);
    expect(download.suggestedFilename()).toBe('key-account-1.0.0.lzapp.json');
    const chunks: Buffer[] = [];
    for await (const chunk of await download.createReadStream()) chunks.push(chunk as Buffer);
    const pkg = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    expect(pkg.forms).toHaveLength(9);
    expect(pkg.records.customer_profile.length).toBeGreaterThan(0);

    // The admin's own change since (over the API), and the publisher's 1.1.0 changing the same setting otherwise.
    const form = (await t.request('GET', '/api/forms/visit_record', { token })).body;
    const mine = structuredClone(form.schema);
    const field = Object.keys(mine.properties)[0]!;
    mine.properties[field].title = '管理员改的标题';
    expect((await t.request('POST', '/api/forms', { token, body: { key: 'visit_record', title: form.title, schema: mine, uiSchema: form.uiSchema } })).status).toBe(201);
    pkg.app.version = '1.1.0';
    const theirs = pkg.forms.find((f: any) => f.key === 'visit_record').schema;
    theirs.properties[field].title = '新版标题';
    theirs.properties.follow_up_note = { type: 'string', title: '跟进备注' };
    delete pkg.records;

    await page.getByTestId('app-import').click();
    const answered = page.waitForResponse((response) => response.url().endsWith('/api/apps/packages/preview'));
    await page.locator('.ant-modal .ant-upload input[type=file]').setInputFiles({ name: 'key-account-1.1.0.lzapp.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(pkg)) });
    const preview = page.getByTestId('app-import-preview');
    await preview.waitFor();
    expect(await page.getByTestId('app-import-mode').textContent()).toBe('升级');
    const previewBody = JSON.stringify(await (await answered).json()).slice(0, 3000);
    const changes = await page.getByTestId('app-import-changes').innerText();
    expect(changes, previewBody).toContain('visit_record');
    expect(changes).toContain('新增字段：follow_up_note');
    const conflicts = page.getByTestId('app-import-conflicts');
    // Where, in words, and only what differs on each side (not the field's raw JSON).
    const conflictText = await conflicts.innerText();
    expect(conflictText).toContain(`表单 · visit_record · ${field}`);
    expect(conflictText).toMatch(/标题：管理员改的标题[\s\S]*标题：新版标题/);
    expect(conflictText).not.toContain('"enum"');
    // Import waits for a choice.
    expect(await page.getByTestId('app-import-confirm').isDisabled()).toBe(true);
    await conflicts.locator('.ant-radio-wrapper').filter({ hasText: '采用新包' }).click();
    await page.getByTestId('app-import-confirm').click();
    await page.getByTestId('app-import-result').waitFor();
    const toast = page.locator('.ant-message-notice').filter({ hasText: '已导入' });
    await toast.waitFor();
    expect(await toast.textContent()).toContain('已导入 大客户管理 1.1.0');
    await browser.screenshot(page, 'admin-apps-import-package');

    const merged = (await t.request('GET', '/api/forms/visit_record', { token })).body.schema;
    expect(merged.properties[field].title).toBe('新版标题');
    expect(Object.keys(merged.properties)).toContain('follow_up_note');
  });
});
