/**
 * 合同审批 now (all submitted by 张三, so 赵六 is the department head): one at the head's
 * approval, one above the threshold at the finance/legal countersign, one at the general
 * manager, and one signed whose first installment is overdue — its daily reminder fired and,
 * past 7 days, the head's follow-up task (逾期回款督办) — while the second is not due yet.
 */
import type { DemoContext } from '../context.ts';
import { addDays } from '../dates.ts';
import { complete, fireTimer, runDueInstanceJobs, startAs } from '../drive.ts';
import { anyCustomerOf, type ProcessScenario, type ScenarioInput } from './types.ts';

type Stage = 'head' | 'countersign' | 'gm' | 'overdue';
const SUBMITTER = 'zhangsan';

const CASES: { stage: Stage; amount: number; title: string }[] = [
  { stage: 'head', amount: 280_000, title: '备件供应合同' },
  { stage: 'countersign', amount: 860_000, title: '生产线升级项目合同' },
  { stage: 'gm', amount: 1_500_000, title: '三年期设备维保框架协议' },
  { stage: 'overdue', amount: 360_000, title: '技术咨询服务合同' },
];

async function runCase(ctx: DemoContext, input: ScenarioInput, item: (typeof CASES)[number], index: number): Promise<void> {
  const customer = anyCustomerOf(input, SUBMITTER);
  // The overdue one was signed months ago; the others are being signed now.
  const signed = item.stage === 'overdue' ? addDays(ctx.today, -75) : ctx.today;
  const half = item.amount / 2;
  const id = await startAs(ctx, 'contract_approval', SUBMITTER, {
    customer: customer.name,
    contract_no: `HT-${ctx.today.slice(0, 4)}-S${String(index + 1).padStart(3, '0')}`,
    title: item.title,
    products: [{ name: item.title.replace(/合同|协议/g, '') || '服务', quantity: 1, unit_price: item.amount }],
    amount: item.amount,
    currency: 'CNY',
    signed_on: signed,
    end_on: addDays(signed, 364),
    payments: [
      { due_on: item.stage === 'overdue' ? addDays(ctx.today, -40) : addDays(signed, 30), amount: half },
      { due_on: addDays(signed, 120), amount: item.amount - half },
    ],
  });
  if (item.stage === 'head') return;
  await complete(ctx, id, 'headApproval', 'zhaoliu', {}, 'approve');
  if (item.stage === 'countersign') return;
  if (item.stage === 'gm') {
    await complete(ctx, id, 'countersign', 'zhouba', {}, 'approve');
    await complete(ctx, id, 'countersign', 'zhengshi', {}, 'approve');
    return;
  }
  // Signed: the first installment's 7-day escalation is past due and runs as the executor runs
  // due jobs (a server beside npm run demo may be the one that runs it). Its daily reminder
  // is next due tomorrow morning; the owner gets today's now (the earliest reminder job).
  await runDueInstanceJobs(ctx);
  await fireTimer(ctx, id, 'dueReminder');
}

export const contractScenario: ProcessScenario = {
  processKey: 'contract_approval',
  async run(ctx, input) {
    for (const [index, item] of CASES.entries()) await runCase(ctx, input, item, index);
    return CASES.length;
  },
};
