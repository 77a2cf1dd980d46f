/**
 * A department's queue and the actions on its tickets. Members of the ticket's department
 * act on it (admins too); each action is one conditional UPDATE, so a lost race is a 409,
 * never a double claim. Every change returns the `ticket.updated` event to publish.
 */
import type { Knex } from 'knex';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../errors.ts';
import type { DomainEvent } from '../events.ts';
import type { AuthUser } from '../identity/types.ts';
import type { Paging } from '../inbox/paging.ts';
import {
  claimTicketRow,
  closeTicketRow,
  findTicket,
  handBackTicketRow,
  queryQueue,
  type QueueItem,
  type TicketStatus,
  type TicketView,
} from '../store/tickets.ts';
import { ticketEvent } from './route.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const STATUSES: TicketStatus[] = ['queued', 'claimed', 'closed'];

function assertMember(user: AuthUser, departmentId: string): void {
  if (user.role !== 'admin' && !user.departmentIds.includes(departmentId)) {
    throw new ForbiddenError('Only members of the department may see or work its queue');
  }
}

export async function departmentQueue(
  db: Knex,
  user: AuthUser,
  departmentId: string,
  status: string | undefined,
  paging: Paging,
): Promise<{ items: QueueItem[]; total: number }> {
  if (!UUID.test(departmentId) || !(await db('departments').where({ id: departmentId }).first('id'))) {
    throw new NotFoundError(`Department ${departmentId} does not exist`);
  }
  assertMember(user, departmentId);
  // Without a status filter the queue shows the work still open.
  let statuses: TicketStatus[] = ['queued', 'claimed'];
  if (status) {
    if (!STATUSES.includes(status as TicketStatus)) {
      throw new ValidationError('"status" must be queued, claimed or closed', [{ pointer: 'status', message: 'unknown status' }]);
    }
    statuses = [status as TicketStatus];
  }
  return queryQueue(db, departmentId, statuses, paging);
}

/** The ticket, for members of its department and admins (404 unknown, 403 others). */
export async function assertTicketMember(db: Knex, user: AuthUser, id: string): Promise<TicketView> {
  return ticketFor(db, user, id);
}

async function ticketFor(db: Knex, user: AuthUser, id: string): Promise<TicketView> {
  const ticket = UUID.test(id) ? await findTicket(db, id) : undefined;
  if (!ticket) throw new NotFoundError(`Ticket ${id} does not exist`);
  assertMember(user, ticket.departmentId);
  return ticket;
}

type Result = { ticket: TicketView; events: DomainEvent[] };
const changed = (ticket: TicketView): Result => ({ ticket, events: [ticketEvent('ticket.updated', ticket)] });

export async function claimTicket(db: Knex, user: AuthUser, id: string): Promise<Result> {
  await ticketFor(db, user, id);
  const claimed = await claimTicketRow(db, id, user.username);
  if (!claimed) throw new ConflictError(`Ticket ${id} is not queued any more`, 'ticket_taken');
  return changed(claimed);
}

export async function handBackTicket(db: Knex, user: AuthUser, id: string): Promise<Result> {
  const seen = await ticketFor(db, user, id);
  if (seen.status === 'claimed' && seen.claimedBy !== user.username) {
    throw new ForbiddenError(`Ticket ${id} is claimed by ${seen.claimedBy}; only they may hand it back`);
  }
  const queued = await handBackTicketRow(db, id, user.username);
  if (!queued) throw new ConflictError(`Ticket ${id} is not claimed by you`, 'ticket_not_claimed');
  return changed(queued);
}

/** Any member closes a queued ticket; a claimed one only its claimer (or an admin). */
export async function closeTicket(db: Knex, user: AuthUser, id: string): Promise<Result> {
  const seen = await ticketFor(db, user, id);
  const admin = user.role === 'admin';
  if (!admin && seen.status === 'claimed' && seen.claimedBy !== user.username) {
    throw new ForbiddenError(`Ticket ${id} is claimed by ${seen.claimedBy}`);
  }
  const closed = await closeTicketRow(db, id, admin ? null : user.username);
  if (!closed) throw new ConflictError(`Ticket ${id} is already closed or was claimed meanwhile`, 'ticket_changed');
  return changed(closed);
}
