/**
 * 回访 now: one just started (the owner plans it), one planned for three days ahead (the visit
 * waits, reminder the day before), one visited whose survey link is out (waiting for the
 * customer), and one whose customer did not answer in 7 days — the owner's phone survey gave
 * a low score, which started 反馈闭环 (a running feedback loop, called from the revisit).
 */
import { addDays } from '../dates.ts';
import { userOf, type DemoContext } from '../context.ts';
import { complete, fireTimer } from '../drive.ts';
import { customerOf, type ProcessScenario, type ScenarioInput } from './types.ts';

type Stage = 'plan' | 'visit' | 'survey' | 'lowScore';
const CASES: { stage: Stage; owner: string }[] = [
  { stage: 'plan', owner: 'zhangsan' },
  { stage: 'visit', owner: 'zhaoliu' },
  { stage: 'survey', owner: 'zhangsan' },
  { stage: 'lowScore', owner: 'lisi' },
];

/** 发起回访 on the customer's profile card, as its owner does (business key = the profile record). */
async function startFromCard(ctx: DemoContext, customer: string, owner: string): Promise<string> {
  const card = await ctx.engine.deps.db('records').where('form_key', 'customer_profile').whereRaw("data->>'name' = ?", [customer]).first('id');
  const started = await ctx.engine.startFromRecord({ formKey: 'customer_profile', recordId: card.id, definitionKey: 'revisit', user: userOf(ctx, owner) });
  return started.id;
}

/** Starts one case; false when every customer already has a revisit running (a tiny demo). */
async function runCase(ctx: DemoContext, input: ScenarioInput, item: (typeof CASES)[number], revisited: Set<string>): Promise<boolean> {
  // One running revisit per customer (the process refuses a second): a customer of its own.
  const customer = customerOf(input, item.owner, revisited);
  if (!customer) return false;
  // The process assigns the customer's owner (startVariables), whoever the case preferred.
  const owner = customer.owner ?? item.owner;
  const planned = item.stage === 'visit' ? addDays(ctx.today, 3) : addDays(ctx.today, -2);
  const id = await startFromCard(ctx, customer.name, owner);
  if (item.stage === 'plan') return true;
  await complete(ctx, id, 'plan', owner, { planned_on: planned, goal: '了解合同执行情况与满意度' });
  if (item.stage === 'visit') return true;
  await complete(ctx, id, 'visit', owner, {
    visited_on: planned,
    method: 'onsite',
    purpose: '季度业务回顾',
    summary: '客户对交付基本满意，提出希望缩短响应时间。',
  });
  if (item.stage === 'survey') return true;
  await fireTimer(ctx, id, 'noAnswer');
  await complete(ctx, id, 'phoneFollowUp', owner, { score: 65, would_recommend: false, comments: '响应太慢，问题反复出现。' });
  return true;
}

export const revisitScenario: ProcessScenario = {
  processKey: 'revisit',
  async run(ctx, input) {
    const revisited = new Set<string>();
    let started = 0;
    for (const item of CASES) if (await runCase(ctx, input, item, revisited)) started += 1;
    return started;
  },
};
