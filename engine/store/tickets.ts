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
  /** The process the record started (records.instance_id when the ticket itself is not linked yet). */
  instanceId: string | null;
  /** Linked to that process (a node assigned to the routed department): it moves and closes with it. */
  followsProcess: boolean;
  /** The open task of the node assigned to the routed department, while one is open. */
  taskId: string | null;
  /** That node (the last one once the ticket closed) and its name. */
  elementId: string | null;
  stageName: string | null;
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
    instanceId: row.instance_id ?? row.record_instance_id ?? null,
    followsProcess: row.instance_id !== null && row.instance_id !== undefined,
    taskId: row.task_id ?? null,
    elementId: row.element_id ?? null,
    stageName: row.stage_name ?? null,
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
    .select('t.*', 'r.instance_id as record_instance_id', 'r.data as record_data', 'r.created_at as record_created_at', 'r.created_by as record_created_by')
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

// ---- the ticket ↔ task link (engine/routing/taskLink.ts, engine/approval/routedDepartment.ts) ----

/** The department a record was routed to (its ticket's), or undefined when it was not routed. */
export async function routedDepartmentOfRecord(
  db: Knex,
  recordId: string,
  formKey: string,
): Promise<{ ticketId: string; departmentId: string; members: string[]; head: string | null } | undefined> {
  // One round trip: the ticket, its department's active members and its active head.
  const { rows } = await db.raw<{ rows: Array<{ ticket_id: string; department_id: string; members: string[] | null; head: string | null }> }>(
    `select t.id as ticket_id, t.department_id,
            (select array_agg(u.username order by u.username)
               from department_members m join users u on u.id = m.user_id
              where m.department_id = t.department_id and u.active) as members,
            (select u.username from departments d join users u on u.id = d.head_user_id
              where d.id = t.department_id and u.active) as head
       from tickets t
      where t.record_id = ? and t.form_key = ?
      order by t.routed_at limit 1`,
    [recordId, formKey],
  );
  const row = rows[0];
  return row && { ticketId: row.ticket_id, departmentId: row.department_id, members: row.members ?? [], head: row.head };
}

/** The ticket an instance follows, locked: linked already, or its record's (flow forms: business key = record id). */
export async function lockTicketOfInstance(
  trx: Knex,
  instance: { id: string; recordId: string | null; formKey: string | null },
): Promise<TicketView | undefined> {
  const query = trx('tickets').where({ instance_id: instance.id });
  if (instance.recordId && instance.formKey) {
    query.orWhere((q) => q.whereNull('instance_id').andWhere({ record_id: instance.recordId, form_key: instance.formKey }));
  }
  const row = await query.orderBy('routed_at').forUpdate().first();
  return row ? toView(row) : undefined;
}

export interface TicketLink {
  instanceId: string;
  taskId: string | null;
  elementId: string | null;
  stageName: string | null;
  status: TicketStatus;
  claimedBy: string | null;
}

/** Writes the ticket's link and the state it follows from the process (`previous`: the locked row). */
export async function writeTicketLink(trx: Knex, previous: TicketView, link: TicketLink, at: Date): Promise<TicketView> {
  const [row] = await trx('tickets')
    .where({ id: previous.id })
    .update({
      instance_id: link.instanceId,
      task_id: link.taskId,
      element_id: link.elementId,
      stage_name: link.stageName,
      status: link.status,
      claimed_by: link.claimedBy,
      claimed_at: link.claimedBy === null ? null : link.claimedBy === previous.claimedBy ? (previous.claimedAt ?? at) : at,
      closed_at: link.status === 'closed' ? (previous.closedAt ?? at) : null,
    })
    .returning('*');
  return toView(row);
}
