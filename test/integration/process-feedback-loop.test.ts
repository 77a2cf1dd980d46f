/**
 * 反馈闭环 (feedback_loop) with the key-account template's real form (`improvement`) and demo
 * users, over HTTP: started as a caller starts it (survey source, no submission — the flow
 * form makes its record), the owner analyses and assigns an improvement to 客服部, the
 * department implements it, verification fails once (loop_count 1 on the record), then passes
 * and the loop closes; the improvement record and the survey record point at each other.
 * Started by hand from 发起, the starter owns it.
 */
import { describe, expect, it } from 'vitest';
import { TEST_ADMIN_PASSWORD, useTestServer } from '../helpers/server.ts';

const t = useTestServer({ LIUZHUAN_LOAD_TEMPLATES: 'true' });

async function as(username: string) {
  const token = await t.login(username, username === 'admin' ? TEST_ADMIN_PASSWORD : 'demo123');
  const call = async (method: string, path: string, body?: unknown, status = 200) => {
    const answer = await t.request(method, path, { token, body });
    expect(answer.status, `${method} ${path}: ${JSON.stringify(answer.body)}`).toBe(status);
    return answer.body;
  };
  return { token, call };
}

/** The one open task of the instance at `elementId`, as `username` sees it. */
async function taskAt(username: string, instanceId: string, elementId: string) {
  const { call } = await as(username);
  const tasks = (await call('GET', `/api/tasks?instanceId=${instanceId}`)).filter((task: any) => task.elementId === elementId);
  expect(tasks, `${username} at ${elementId}`).toHaveLength(1);
  return tasks[0];
}

describe('feedback_loop', () => {
  it('loops once when not verified, then closes; the source record and the improvement link both ways', async () => {
    const admin = await as('admin');
    const survey = await admin.call('POST', '/api/forms/satisfaction_survey/records', { data: { customer: '北辰零售连锁', score: 55, comments: '交付太慢' } }, 201);

    // As revisit's call activity starts it: the caller's variables, no form submission.
    const started = await t.server.ctx.engine.startInstance({
      definitionKey: 'feedback_loop',
      variables: { source: 'survey', source_form: 'satisfaction_survey', source_record_id: survey.id, customer: '北辰零售连锁', summary: '满意度 55 分：交付太慢', owner: 'zhangsan' },
      startedBy: 'zhangsan',
    });
    const instance = await admin.call('GET', `/api/instances/${started.id}`);
    expect(instance.record?.formKey).toBe('improvement');
    const recordPath = `/api/forms/improvement/records/${instance.record.id}`;
    expect((await admin.call('GET', recordPath)).data).toMatchObject({ source: 'survey', source_form: 'satisfaction_survey', source_record_id: survey.id, loop_count: 0, owner: 'zhangsan' });
    // …and the survey points back at the loop.
    expect((await admin.call('GET', `/api/forms/satisfaction_survey/records/${survey.id}`)).data.feedback_instance_id).toBe(started.id);

    const zhangsan = await as('zhangsan');
    const plan = { cause: '排产未考虑节假日', department: 'service', action_plan: '客服每周核对交付计划', due_on: '2030-01-15' };
    // The required analysis fields are required: 422 naming them, nothing moves.
    const analyse = await taskAt('zhangsan', started.id, 'analyse');
    const incomplete = await t.request('POST', `/api/tasks/${analyse.id}/submit`, { token: zhangsan.token, body: { variables: { cause: '?' } } });
    expect(incomplete.status).toBe(422);
    expect(JSON.stringify(incomplete.body)).toContain('/department');
    await zhangsan.call('POST', `/api/tasks/${analyse.id}/submit`, { variables: plan });

    // Assigned to 客服部: a member claims and implements it, due on the date set.
    const implement = await taskAt('lisi', started.id, 'implement');
    expect(implement.dueAt?.slice(0, 10)).toBe('2030-01-15');
    const lisi = await as('lisi');
    await lisi.call('POST', `/api/tasks/${implement.id}/claim`);
    await lisi.call('POST', `/api/tasks/${implement.id}/submit`, { variables: { implementation: '已建立每周核对' } });

    // The analyst verifies: not yet → analysed again, counted.
    const verify = await taskAt('zhangsan', started.id, 'verify');
    await zhangsan.call('POST', `/api/tasks/${verify.id}/submit`, { variables: { verified: false, verification_note: '仍有延迟' } });
    expect((await admin.call('GET', recordPath)).data).toMatchObject({ loop_count: 1, verified: false });
    const again = await taskAt('zhangsan', started.id, 'analyse');
    await zhangsan.call('POST', `/api/tasks/${again.id}/submit`, { variables: { ...plan, action_plan: '交付前一天电话确认' } });
    const implementAgain = await taskAt('lisi', started.id, 'implement');
    await lisi.call('POST', `/api/tasks/${implementAgain.id}/claim`);
    await lisi.call('POST', `/api/tasks/${implementAgain.id}/submit`, { variables: { implementation: '已执行电话确认' } });
    const verifyAgain = await taskAt('zhangsan', started.id, 'verify');
    await zhangsan.call('POST', `/api/tasks/${verifyAgain.id}/submit`, { variables: { verified: true, verification_note: '两周无延迟' } });

    const closed = await admin.call('GET', `/api/instances/${started.id}`);
    expect(closed.status).toBe('completed');
    expect((await admin.call('GET', recordPath)).data).toMatchObject({ loop_count: 1, verified: true, action_plan: '交付前一天电话确认', implementation: '已执行电话确认' });
  }, 120_000);

  it('starts by hand from 发起 with the starter as owner', async () => {
    const wangwu = await as('wangwu');
    const forms = await wangwu.call('GET', '/api/flow-forms');
    expect(forms.map((form: any) => form.definitionKey)).toContain('feedback_loop');
    const submitted = await wangwu.call('POST', '/api/forms/improvement/submit', { data: { source: 'manual', customer: '南海物流集团', summary: '发票抬头常出错' } }, 201);
    const analyse = await taskAt('wangwu', submitted.instance.id, 'analyse');
    expect(analyse.assignee).toBe('wangwu');
    // A field the start hides may not be filled in by the starter.
    const hidden = await t.request('POST', '/api/forms/improvement/submit', { token: wangwu.token, body: { data: { source: 'manual', summary: 'x', loop_count: 5 } } });
    expect(hidden.status).toBe(422);
  }, 120_000);
});
