/**
 * 反馈闭环 by hand (source 手工登记): 孙七 logged a recurring delivery problem, analysed it and
 * assigned the improvement to the service department, which is implementing it now; a second
 * one went round once (not verified → analysed again) and waits for its new analysis.
 */
import { addDays } from '../dates.ts';
import { complete, startAs } from '../drive.ts';
import { anyCustomerOf, type ProcessScenario } from './types.ts';

const OWNER = 'sunqi';

export const feedbackScenario: ProcessScenario = {
  processKey: 'feedback_loop',
  async run(ctx, input) {
    const analysis = (round: number) => ({
      cause: round === 0 ? '承运商排班不足，旺季运力紧张。' : '新承运商交接不完整，部分线路仍沿用旧排班。',
      department: 'service',
      action_plan: round === 0 ? '增加备用承运商，并每周核对排班。' : '逐条线路核对排班并通知客户新的送货窗口。',
      due_on: addDays(ctx.today, 14),
    });
    const implementing = await startAs(ctx, 'feedback_loop', OWNER, {
      source: 'manual',
      customer: anyCustomerOf(input, 'zhangsan').name,
      summary: '多家客户反映旺季送货延迟。',
      owner: OWNER,
    });
    await complete(ctx, implementing, 'analyse', OWNER, analysis(0));

    const looped = await startAs(ctx, 'feedback_loop', OWNER, {
      source: 'manual',
      customer: anyCustomerOf(input, 'zhaoliu').name,
      summary: '客户反映售后电话常常无人接听。',
      owner: OWNER,
    });
    await complete(ctx, looped, 'analyse', OWNER, analysis(0));
    await complete(ctx, looped, 'implement', 'lisi', { implementation: '增设一名值班客服。' });
    await complete(ctx, looped, 'verify', OWNER, { verified: false, verification_note: '高峰时段仍有漏接。' });
    return 2;
  },
};
