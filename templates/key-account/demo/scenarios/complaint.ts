/**
 * 投诉处理 now: a billing complaint waiting in finance's queue and a delivery one in the
 * service queue (first response due), one being resolved by 李四, one waiting for the owner's
 * phone confirmation, a serious one at the service manager's countersign, one whose 4-hour
 * first response ran out and went to the department head, and one closed.
 */
import type { Complaint } from '../../types.generated.ts';
import type { DemoContext } from '../context.ts';
import { complete, fireTimer, startAs } from '../drive.ts';
import { anyCustomerOf, type ProcessScenario, type ScenarioInput } from './types.ts';

type Stage = 'respond' | 'resolve' | 'confirm' | 'countersign' | 'escalated' | 'closed';

const CASES: { stage: Stage; owner: string; category: Complaint['category']; severity: Complaint['severity']; text: string }[] = [
  { stage: 'respond', owner: 'zhangsan', category: 'billing', severity: 'medium', text: '发票金额与合同约定不一致，要求更正。' },
  { stage: 'respond', owner: 'zhaoliu', category: 'delivery', severity: 'medium', text: '本周到货比约定晚了三天，影响产线排期。' },
  { stage: 'resolve', owner: 'zhangsan', category: 'quality', severity: 'medium', text: '一批零件表面划伤，要求退换。' },
  { stage: 'confirm', owner: 'zhangsan', category: 'service', severity: 'low', text: '售后工程师上门迟到且未提前通知。' },
  { stage: 'countersign', owner: 'zhaoliu', category: 'quality', severity: 'high', text: '设备连续两次停机，影响客户生产。' },
  { stage: 'escalated', owner: 'zhangsan', category: 'other', severity: 'medium', text: '希望提供电子版操作手册，至今无人答复。' },
  { stage: 'closed', owner: 'zhangsan', category: 'delivery', severity: 'low', text: '包装轻微破损，货物无损。' },
];
const SERIOUS: Complaint['severity'][] = ['high', 'critical'];
const ORDER: Stage[] = ['respond', 'resolve', 'confirm', 'countersign', 'closed'];
const reached = (stage: Stage, step: Stage) => ORDER.indexOf(stage) > ORDER.indexOf(step);

async function runCase(ctx: DemoContext, input: ScenarioInput, item: (typeof CASES)[number]): Promise<void> {
  const customer = anyCustomerOf(input, item.owner);
  const handler = item.category === 'billing' ? 'wangwu' : 'lisi';
  // Received now: the process stamps received_at, and the first response is due 4 hours on.
  const id = await startAs(ctx, 'complaint_handling', item.owner, {
    customer: customer.name,
    category: item.category,
    severity: item.severity,
    description: item.text,
    owner: item.owner,
  });
  if (item.stage === 'escalated') return fireTimer(ctx, id, 'responseOverdue');
  if (reached(item.stage, 'respond')) await complete(ctx, id, 'respond', handler, { first_response: '已致电客户，了解情况并承诺尽快处理。' });
  if (reached(item.stage, 'resolve')) await complete(ctx, id, 'resolve', handler, { resolution: '已安排更换并补发，客户认可处理方案。' });
  if (reached(item.stage, 'confirm')) await complete(ctx, id, 'confirmByPhone', item.owner, { confirmation: 'satisfied' });
  if (reached(item.stage, 'countersign') && SERIOUS.includes(item.severity)) await complete(ctx, id, 'countersign', 'sunqi', {}, 'approve');
}

export const complaintScenario: ProcessScenario = {
  processKey: 'complaint_handling',
  async run(ctx, input) {
    for (const item of CASES) await runCase(ctx, input, item);
    return CASES.length;
  },
};
