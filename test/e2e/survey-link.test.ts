/**
 * The customer's side of the template's 回访 (revisit), in a real browser: on a phone-sized
 * page the customer opens the single-use survey link the process made, sees their own name fixed, answers and
 * gets the thank-you page; the same link then says it was used. The survey's date and channel are
 * fixed by the link and kept off the page (nothing for the customer to fill); the score slider
 * shows the number chosen. The owner, logged in, watches
 * the instance finish live. The admin publishes the survey form at a link (外链) from its data
 * page. Screenshots: public-link-survey, public-link-used, public-link-admin.
 */
import { describe, expect, it } from 'vitest';
import { useBrowser } from '../helpers/browser.ts';
import { TEST_ADMIN_PASSWORD, useTestServer } from '../helpers/server.ts';

const t = useTestServer({ LIUZHUAN_LOAD_TEMPLATES: 'true' });
const browser = useBrowser();
const CUSTOMER = '北辰零售连锁'; // tier B, owner zhangsan

/** Today in Shanghai shifted by `days`, YYYY-MM-DD. */
function day(days: number): string {
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
  return new Date(Date.parse(`${today}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

describe('the survey link on a phone', () => {
  it('the customer answers once; the owner sees the revisit finish; the admin publishes a form link', { timeout: 180_000 }, async () => {
    const admin = await t.login('admin', TEST_ADMIN_PASSWORD);
    const owner = await t.login('zhangsan', 'demo123');
    const call = async (method: string, path: string, body?: unknown, status = 200) => {
      const answer = await t.request(method, path, { token: owner, body });
      expect(answer.status, `${method} ${path}: ${JSON.stringify(answer.body)}`).toBe(status);
      return answer.body;
    };
    // The template's real 回访 up to the survey: started from the customer's card, planned, visited.
    const cards = (await call('GET', '/api/forms/customer_profile/records?pageSize=100')).items as any[];
    const card = cards.find((record) => record.data.name === CUSTOMER);
    const instanceId = (await call('POST', `/api/forms/customer_profile/records/${card.id}/starts/revisit`, undefined, 201)).id as string;
    const taskAt = async (elementId: string) => (await call('GET', `/api/tasks?instanceId=${instanceId}`)).find((task: any) => task.elementId === elementId);
    await call('POST', `/api/tasks/${(await taskAt('plan')).id}/submit`, { variables: { planned_on: day(1), goal: '回访新门店上线情况' } });
    await call('POST', `/api/tasks/${(await taskAt('visit')).id}/submit`, { variables: { visited_on: day(1), method: 'onsite', summary: '系统运行稳定' } });
    const link = (await call('GET', `/api/instances/${instanceId}`)).variables.surveyLink as string;
    expect(link).toMatch(/^\/p\/[A-Za-z0-9_-]{43}$/);

    // The owner watches the instance.
    const { page: ownerPage } = await browser.person(t.url, 'zhangsan', 'demo123');
    await ownerPage.goto(`/instances/${instanceId}`);
    const status = ownerPage.getByTestId('instance-status');
    await expect.poll(() => status.getAttribute('data-status')).toBe('active');
    // The link is on the page too, for the owner to copy and send.
    await ownerPage.getByTestId('instance-public-links').waitFor();
    expect(await ownerPage.getByTestId('instance-public-links').textContent()).toContain(link);

    // The customer, on a phone, with no login.
    const { page } = await browser.visitor(t.url);
    await page.goto(link);
    await page.getByTestId('public-link-form').waitFor();
    expect(await page.getByTestId('public-link-form').textContent()).toContain('满意度调查');
    // Their own name, fixed by the link; the staff-only link to a feedback loop is not there.
    await expect.poll(() => page.locator('#root_customer').inputValue()).toBe(CUSTOMER);
    expect(await page.locator('#root_customer').isDisabled()).toBe(true);
    expect(await page.locator('#root_feedback_instance_id').count()).toBe(0);
    // The survey's date and channel are the process's to know: not asked, not shown.
    expect(await page.locator('#root_surveyed_on').count()).toBe(0);
    expect(await page.locator('#root_channel').count()).toBe(0);
    const form = (await page.getByTestId('public-link-form').innerText()) ?? '';
    expect(form).not.toContain('调查日期');
    expect(form).not.toContain('调查渠道');
    // The score: nothing chosen yet says so; the chosen number is shown, between 0 and 100.
    const score = page.getByTestId('range-value-root_score');
    expect(await score.innerText()).toBe('请拖动选择');
    expect(await page.locator('.ant-slider-mark').innerText()).toMatch(/^0\s*100$/);
    const slider = page.locator('.ant-slider-handle').first();
    await slider.focus();
    await page.keyboard.press('End');
    await expect.poll(() => score.innerText()).toBe('100');
    for (let i = 0; i < 8; i++) await page.keyboard.press('ArrowLeft');
    await expect.poll(() => score.innerText()).toBe('92');
    await page.locator('#root_would_recommend').check();
    await page.locator('#root_comments').fill('上门很及时，工程师讲解清楚。');
    await browser.screenshot(page, 'public-link-survey');
    await page.getByTestId('public-link-submit').click();
    await page.getByTestId('public-link-thanks').waitFor();
    expect(await page.getByTestId('public-link-thanks').textContent()).toContain('提交成功');

    // The answer reached the instance: 92 and would recommend, so it ends without a follow-up.
    await expect.poll(() => status.getAttribute('data-status'), { timeout: 30_000 }).toBe('completed');
    const variables = (await call('GET', `/api/instances/${instanceId}`)).variables;
    expect(variables.answer).toMatchObject({ customer: CUSTOMER, score: 92, would_recommend: true, comments: '上门很及时，工程师讲解清楚。' });
    const survey = (await call('GET', `/api/forms/satisfaction_survey/records/${variables.answerRecordId}`)).data;
    expect(survey).toMatchObject({ customer: CUSTOMER, score: 92, would_recommend: true, channel: 'online' });
    expect(survey.surveyed_on).toMatch(/^\d{4}-\d{2}-\d{2}$/);

    // The same link a second time.
    await page.goto(link);
    await page.getByTestId('public-link-state-link_used').waitFor();
    expect(await page.getByTestId('public-link-state-link_used').textContent()).toContain('此链接已使用过');
    await browser.screenshot(page, 'public-link-used');

    // In English when the browser says so.
    const { page: english } = await browser.visitor(t.url, { locale: 'en-US' });
    await english.goto(link);
    await english.getByTestId('public-link-state-link_used').waitFor();
    expect(await english.getByTestId('public-link-state-link_used').textContent()).toContain('This link has already been used');

    // The admin publishes the survey form at a link from its data page.
    const { page: adminPage } = await browser.person(t.url, 'admin', TEST_ADMIN_PASSWORD);
    await adminPage.goto('/forms/satisfaction_survey/records');
    await adminPage.getByTestId('public-links-open').click();
    await adminPage.getByTestId('public-link-title').fill('展会满意度问卷');
    await adminPage.getByTestId('public-link-max-uses').fill('200');
    await adminPage.getByTestId('public-link-channel').fill('expo');
    await adminPage.getByTestId('public-link-create-submit').click();
    const url = adminPage.getByTestId('public-link-url').first();
    await url.waitFor();
    expect(await url.textContent()).toMatch(new RegExp(`^${t.url}/p/[A-Za-z0-9_-]{43}$`));
    expect(await adminPage.getByTestId('public-link-list').textContent()).toContain('0 / 200');
    const published = (await t.request('GET', '/api/forms/satisfaction_survey/public-links', { token: admin })).body;
    expect(published[0]).toMatchObject({ kind: 'form', title: '展会满意度问卷', maxUses: 200, channel: { channel: 'expo' }, state: 'open' });

    // A visitor answers through it from a poster; the admin sees the answer with its channel.
    const token = published[0].token as string;
    const answered = await t.request('POST', `/api/public/links/${token}?utm_source=poster`, { body: { data: { score: 85 } } });
    expect(answered.status, JSON.stringify(answered.body)).toBe(201);
    await adminPage.locator('.ant-drawer-close').click();
    await adminPage.getByTestId('public-links-open').click();
    await expect.poll(() => adminPage.getByTestId('public-link-list').textContent()).toContain('1 / 200');
    await adminPage.locator('.ant-table-row-expand-icon').first().click();
    const answers = adminPage.getByTestId(`public-link-answers-${published[0].id}`);
    await expect.poll(() => answers.textContent()).toContain('utm_source: poster');
    expect(await answers.textContent()).toContain('expo');
    // The picture without the toast over the drawer's title.
    await adminPage.locator('.ant-message-notice').waitFor({ state: 'detached' });
    await browser.screenshot(adminPage, 'public-link-admin');
  });
});
