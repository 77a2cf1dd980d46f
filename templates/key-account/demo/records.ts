/**
 * Writes the planned history (plan.ts) as records through the engine's record command: each
 * one validated by its form, routed when its form routes (complaints get their department
 * ticket), attributed to the demo user who would have entered it. The past complaints were
 * handled: their ticket is claimed and closed by a member of the department, as a person would.
 */
import type { DemoContext } from './context.ts';
import { userOf } from './context.ts';
import type { DemoPlan, Planned } from './plan.ts';

async function createAll(ctx: DemoContext, formKey: string, label: string, rows: Planned<object>[]): Promise<string[]> {
  ctx.progress.phase(label, rows.length);
  const ids: string[] = [];
  for (const row of rows) {
    const record = await ctx.engine.createRecord({
      formKey,
      data: row.data,
      user: userOf(ctx, row.by),
      locale: 'en',
      onRuleError: (rule, error) => {
        throw new Error(`routing rule "${rule.name}" of ${formKey} failed on demo data: ${String(error)}`);
      },
    });
    ids.push(record.id);
    ctx.progress.step();
  }
  return ids;
}

export async function writeHistory(ctx: DemoContext, plan: DemoPlan): Promise<void> {
  await createAll(ctx, 'customer_profile', 'customers', plan.customers);
  await createAll(ctx, 'contract', 'contracts and installments', plan.contracts);
  await createAll(ctx, 'payment_record', 'payments received', plan.payments);
  await createAll(ctx, 'visit_record', 'visits', plan.visits);
  await createAll(ctx, 'satisfaction_survey', 'surveys', plan.surveys);
  const complaintIds = await createAll(ctx, 'complaint', 'complaints', plan.complaints);
  ctx.progress.phase('handled complaints', complaintIds.length);
  for (const [index, recordId] of complaintIds.entries()) {
    await closeTicketOf(ctx, recordId, plan.complaints[index]!.data.handler);
    ctx.progress.step();
  }
}

/** Claims and closes the record's ticket as `handler` when they are a member of its department, else as its head. */
export async function closeTicketOf(ctx: DemoContext, recordId: string, handler: string | undefined): Promise<void> {
  const db = ctx.engine.deps.db;
  const ticket = await db('tickets').where({ record_id: recordId }).first('id', 'department_id');
  if (!ticket) return;
  const member = handlerIn(ctx, ticket.department_id as string, handler);
  await ctx.engine.claimTicket({ user: member, ticketId: ticket.id });
  await ctx.engine.closeTicket({ user: member, ticketId: ticket.id });
}

function handlerIn(ctx: DemoContext, departmentId: string, preferred: string | undefined) {
  const candidates = [...ctx.users.values()].filter((user) => user.departmentIds.includes(departmentId));
  const found = candidates.find((user) => user.username === preferred) ?? candidates[0];
  if (!found) throw new Error(`No demo user belongs to department ${departmentId}`);
  return found;
}
