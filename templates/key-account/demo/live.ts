/**
 * The "now" of the demo: work waiting for people, so every demo user who logs in sees
 * something to do. Each scenario is made through the engine's commands (start, complete,
 * claim, fire due jobs), so the instances' histories are real. Process scenarios run only
 * for processes deployed in this database; the summary says which ran and which were missing.
 */
import type { Complaint, CustomerProfile } from '../types.generated.ts';
import { beijingTime, addDays } from './dates.ts';
import { userOf, type DemoContext } from './context.ts';
import { runDueInstanceJobs } from './drive.ts';
import type { DemoPlan } from './plan.ts';
import { seededRandom, type Random } from './random.ts';
import { PROCESS_SCENARIOS } from './scenarios.ts';

export interface LiveSummary {
  /** Complaint records queued per department code (only when the complaint process is missing). */
  queued: Record<string, number>;
  /** Instances started per process key. */
  instances: Record<string, number>;
  /** Process keys the demo knows but this database has not deployed. */
  missingProcesses: string[];
}

/** One waiting complaint per routed department (categories as templates/key-account/routing.json routes them). */
const QUEUED: { category: Complaint['category']; department: string; text: string }[] = [
  { category: 'billing', department: 'finance', text: '本月对账单金额与合同约定不一致，请核对。' },
  { category: 'delivery', department: 'service', text: '最近一批货物比约定晚到三天，影响了生产排期。' },
];

export async function createLiveStates(ctx: DemoContext, plan: DemoPlan, seed: number): Promise<LiveSummary> {
  const random = seededRandom(seed ^ 0x5eed);
  const summary: LiveSummary = { queued: {}, instances: {}, missingProcesses: [] };
  const customers = plan.customers.map((customer) => customer.data);
  if (!customers.length) return summary;
  const used = new Set<string>();

  for (const scenario of PROCESS_SCENARIOS) {
    if (!(await ctx.engine.latestDefinition(scenario.processKey))) {
      summary.missingProcesses.push(scenario.processKey);
      continue;
    }
    ctx.progress.phase(`${scenario.processKey} instances`, 1);
    summary.instances[scenario.processKey] = await scenario.run(ctx, { customers, random, used });
    ctx.progress.step();
  }
  ctx.progress.phase('due reminders and timers', 1);
  await runDueInstanceJobs(ctx);
  ctx.progress.step();
  // Without the complaint process (an admin removed it), complaints still wait in the queues as records.
  if (summary.missingProcesses.includes('complaint_handling')) await queueComplaintRecords(ctx, customers, random, summary);
  return summary;
}

async function queueComplaintRecords(ctx: DemoContext, customers: CustomerProfile[], random: Random, summary: LiveSummary) {
  ctx.progress.phase('complaints waiting in department queues', QUEUED.length);
  for (const item of QUEUED) {
    const customer = random.pick(customers);
    await ctx.engine.createRecord({
      formKey: 'complaint',
      data: {
        customer: customer.name,
        category: item.category,
        severity: 'medium',
        description: item.text,
        received_at: beijingTime(addDays(ctx.today, -1), 10, 30),
        status: 'open',
      } satisfies Complaint,
      user: userOf(ctx, customer.owner ?? 'zhangsan'),
      locale: 'en',
      onRuleError: () => {},
    });
    summary.queued[item.department] = (summary.queued[item.department] ?? 0) + 1;
    ctx.progress.step();
  }
}
