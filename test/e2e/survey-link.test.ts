/**
 * The customer's side of a revisit, in a real browser: on a phone-sized page the customer
 * opens the single-use survey link the process made, sees their own name fixed, answers and
 * gets the thank-you page; the same link then says it was used. The owner, logged in, watches
 * the instance finish live. The admin publishes the survey form at a link (外链) from its data
 * page. Screenshots: public-link-survey, public-link-used, public-link-admin.
 */
import { describe, expect, it } from 'vitest';
import { useBrowser } from '../helpers/browser.ts';
import { bpmn, flow } from '../helpers/engine.ts';
import { TEST_ADMIN_PASSWORD, useTestServer } from '../helpers/server.ts';

const t = useTestServer({ LIUZHUAN_LOAD_TEMPLATES: 'true' });
const browser = useBrowser();
const CUSTOMER = '华东精密制造有限公司';

/** The survey part of 回访: send the link to the owner, wait for the answer, a low score needs a follow-up. */
const SURVEY_PROCESS = bpmn(
  `<process id="survey_e2e" name="满意度回访" isExecutable="true">
    <startEvent id="s"/>
    <sendTask id="sendSurvey" name="发送满意度调查链接"><extensionElements>
      <liuzhuan:publicLink form="satisfaction_survey" message="survey_answered" expiresIn="P14D" variable="surveyLink" notify="\${owner}">
        <liuzhuan:entry key="customer" value="customer"/>
      </liuzhuan:publicLink>
    </extensionElements></sendTask>
    <receiveTask id="awaitAnswer" name="等待客户答复" messageRef="m"/>
    <exclusiveGateway id="gw" default="gw-done"/>
    <userTask id="followUp" name="跟进低分" camunda:assignee="\${owner}"/>
    <endEvent id="done"/>
    ${flow('s', 'sendSurvey')}${flow('sendSurvey', 'awaitAnswer')}${flow('awaitAnswer', 'gw')}
    ${flow('gw', 'followUp', '= answer.score < 80 or answer.would_recommend = false')}
    <sequenceFlow id="gw-done" sourceRef="gw" targetRef="done"/>${flow('followUp', 'done')}
  </process>`,
  '<message id="m" name="survey_answered"/>',
);

describe('the survey link on a phone', () => {
  it('the customer answers once; the owner sees the revisit finish; the admin publishes a form link', { timeout: 180_000 }, async () => {
    const admin = await t.login('admin', TEST_ADMIN_PASSWORD);
    const owner = await t.login('zhangsan', 'demo123');
    expect((await t.request('POST', '/api/definitions', { token: admin, body: { xml: SURVEY_PROCESS } })).status).toBe(201);
    const started = await t.request('POST', '/api/instances', {
      token: owner,
      body: { definitionKey: 'survey_e2e', businessKey: 'revisit-e2e-1', variables: { customer: CUSTOMER, owner: 'zhangsan' } },
    });
    expect(started.status, JSON.stringify(started.body)).toBe(201);
    const instanceId = started.body.id as string;
    const link = (await t.request('GET', `/api/instances/${instanceId}`, { token: owner })).body.variables.surveyLink as string;
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
    const slider = page.locator('.ant-slider-handle').first();
    await slider.focus();
    await page.keyboard.press('End');
    for (let i = 0; i < 8; i++) await page.keyboard.press('ArrowLeft');
    await page.locator('#root_would_recommend').check();
    await page.locator('#root_comments').fill('上门很及时，工程师讲解清楚。');
    await browser.screenshot(page, 'public-link-survey');
    await page.getByTestId('public-link-submit').click();
    await page.getByTestId('public-link-thanks').waitFor();
    expect(await page.getByTestId('public-link-thanks').textContent()).toContain('提交成功');

    // The answer reached the instance: 92 and would recommend, so it ends without a follow-up.
    await expect.poll(() => status.getAttribute('data-status'), { timeout: 30_000 }).toBe('completed');
    const variables = (await t.request('GET', `/api/instances/${instanceId}`, { token: owner })).body.variables;
    expect(variables.answer).toMatchObject({ customer: CUSTOMER, score: 92, would_recommend: true, comments: '上门很及时，工程师讲解清楚。' });

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
    // The picture without the toast over the drawer's title.
    await adminPage.locator('.ant-message-notice').waitFor({ state: 'detached' });
    await browser.screenshot(adminPage, 'public-link-admin');
    const published = (await t.request('GET', '/api/forms/satisfaction_survey/public-links', { token: admin })).body;
    expect(published[0]).toMatchObject({ kind: 'form', title: '展会满意度问卷', maxUses: 200, channel: { channel: 'expo' }, state: 'open' });
  });
});
