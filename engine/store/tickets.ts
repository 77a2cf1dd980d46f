/**
 * Queries on `tickets`. State changes are conditional UPDATEs (… WHERE status = … RETURNING):
 * of two people acting on one ticket at once, exactly one gets the row back.
 */
import type { Knex } from 'knex';

export type TicketStatus = 'queued' | 'claimed' | 'closed';

export interface TicketView {
  id: string;
  formKey: string;
  recordId: string;
  departmentId: string;
  ruleId: string | null;
  status: TicketStatus;
  claimedBy: string | null;
  routedAt: string;
  claimedAt: string | null;
  closedAt: string | null;
}

const iso = (value: Date | null) => (value ? value.toISOString() : null);

function toView(row: any): TicketView {
  return {
    id: row.id,
    formKey: row.form_key,
    recordId: row.record_id,
    departmentId: row.department_id,
    ruleId: row.rule_id,
    status: row.status,
    claimedBy: row.claimed_by,
    routedAt: row.routed_at.toISOString(),
    claimedAt: iso(row.claimed_at),
    closedAt: iso(row.closed_at),
  };
}

export async function insertTicket(
  trx: Knex,
  ticket: { formKey: string; recordId: string; departmentId: string; ruleId: string | null },
): Promise<TicketView> {
  const [row] = await trx('tickets')
    .insert({
      form_key: ticket.formKey,
      record_id: ticket.recordId,
      department_id: ticket.departmentId,
      rule_id: ticket.ruleId,
      status: 'queued',
    })
    .returning('*');
  return toView(row);
}

export async function findTicket(db: Knex, id: string): Promise<TicketView | undefined> {
  const row = await db('tickets').where({ id }).first();
  return row ? toView(row) : undefined;
}

export interface QueueItem extends TicketView {
  record: { data: Record<string, unknown>; createdAt: string; createdBy: string | null };
}

/** One page of a department's queue, oldest first (a queue is worked in arrival order). */
export async function queryQueue(
  db: Knex,
  departmentId: string,
  statuses: TicketStatus[],
  paging: { limit: number; offset: number },
): Promise<{ items: QueueItem[]; total: number }> {
  const base = () => db('tickets as t').where('t.department_id', departmentId).whereIn('t.status', statuses);
  const [{ count }] = (await base().count({ count: '*' })) as [{ count: number }];
  const rows = await base()
    .join('records as r', 'r.id', 't.record_id')
    .select('t.*', 'r.data as record_data', 'r.created_at as record_created_at', 'r.created_by as record_created_by')
    .orderBy([{ column: 't.routed_at' }, { column: 't.id' }])
    .limit(paging.limit)
    .offset(paging.offset);
  const items = rows.map((row: any) => ({
    ...toView(row),
    record: { data: row.record_data, createdAt: row.record_created_at.toISOString(), createdBy: row.record_created_by },
  }));
  return { items, total: Number(count) };
}

/** queued → claimed by `username`; undefined when the ticket was not queued any more. */
export async function claimTicketRow(db: Knex, id: string, username: string): Promise<TicketView | undefined> {
  const [row] = await db('tickets')
    .where({ id, status: 'queued' })
    .update({ status: 'claimed', claimed_by: username, claimed_at: db.fn.now() })
    .returning('*');
  return row ? toView(row) : undefined;
}

/** claimed by `username` → queued again. */
export async function handBackTicketRow(db: Knex, id: string, username: string): Promise<TicketView | undefined> {
  const [row] = await db('tickets')
    .where({ id, status: 'claimed', claimed_by: username })
    .update({ status: 'queued', claimed_by: null, claimed_at: null })
    .returning('*');
  return row ? toView(row) : undefined;
}

/** Closes a ticket that is queued, or claimed by `claimer` (any claimer when null). */
export async function closeTicketRow(db: Knex, id: string, claimer: string | null): Promise<TicketView | undefined> {
  const query = db('tickets').where({ id }).whereNot({ status: 'closed' });
  if (claimer !== null) query.andWhere((q) => q.whereNull('claimed_by').orWhere({ claimed_by: claimer }));
  const [row] = await query.update({ status: 'closed', closed_at: db.fn.now() }).returning('*');
  return row ? toView(row) : undefined;
}
