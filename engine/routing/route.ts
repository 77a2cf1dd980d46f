/**
 * Routes a new record to a department queue: the first enabled rule whose condition is true
 * over the record's data wins, otherwise the form's default department. Runs inside the
 * transaction that inserts the record, so a record of a routed form never exists without
 * its ticket; the caller publishes the returned events after commit.
 *
 * The rules of one record share one time budget (expressions/sequenceBudget.ts): 500 rules
 * that each stay under the per-expression limit must not hold the node for their sum. Past it
 * the record is refused (422 naming the form and the rule reached) rather than routed to the
 * default queue, which would file it where a later rule would not have.
 */
import type { Knex } from 'knex';
import type { DomainEvent } from '../events.ts';
import { evaluateCondition } from '../expressions/index.ts';
import { SequenceBudgetExceeded, withSequenceBudget } from '../expressions/sequenceBudget.ts';
import { getRoutingConfig, type RoutingRule } from '../store/routing.ts';
import { insertTicket, type TicketView } from '../store/tickets.ts';
import { ruleCondition } from './rules.ts';

export const departmentRoom = (departmentId: string) => `department:${departmentId}`;

/** Told about a rule whose condition failed to evaluate (it counted as false). */
export type RuleErrorReporter = (rule: RoutingRule, error: unknown) => void;

export function ticketEvent(type: 'ticket.routed' | 'ticket.updated', ticket: TicketView): DomainEvent {
  const rooms = [departmentRoom(ticket.departmentId)];
  const ids = { ticketId: ticket.id, recordId: ticket.recordId, formKey: ticket.formKey, departmentId: ticket.departmentId };
  return type === 'ticket.routed'
    ? { type, rooms, payload: ids }
    : { type, rooms, payload: { ...ids, status: ticket.status, claimedBy: ticket.claimedBy } };
}

/** The rule that takes `data`, or null for the default queue; `formKey` names the form if the rules run out of time. */
export async function matchRule(rules: RoutingRule[], data: Record<string, unknown>, onError: RuleErrorReporter, formKey?: string): Promise<RoutingRule | null> {
  const what = formKey === undefined ? 'The routing rules' : `The routing rules of form "${formKey}"`;
  return withSequenceBudget(what, async (sequence) => {
    for (const [index, rule] of rules.entries()) {
      if (!rule.enabled) continue;
      try {
        if (await sequence.evaluate(`/rules/${index}`, () => evaluateCondition(ruleCondition(rule.condition), data), `rule "${rule.name}"`)) return rule;
      } catch (error) {
        if (error instanceof SequenceBudgetExceeded) throw error;
        // A broken rule must never lose a ticket: it counts as "no match" and the next rule
        // (or the default queue) takes the record.
        onError(rule, error);
      }
    }
    return null;
  });
}

/** Creates the record's ticket when its form routes records; returns the events to publish after commit. */
export async function routeRecord(
  trx: Knex,
  record: { id: string; formKey: string; data: Record<string, unknown> },
  onError: RuleErrorReporter,
): Promise<DomainEvent[]> {
  const config = await getRoutingConfig(trx, record.formKey);
  if (!config) return [];
  const rule = await matchRule(config.rules, record.data, onError, record.formKey);
  const ticket = await insertTicket(trx, {
    formKey: record.formKey,
    recordId: record.id,
    departmentId: rule?.departmentId ?? config.defaultDepartmentId,
    ruleId: rule?.id ?? null,
  });
  return [ticketEvent('ticket.routed', ticket)];
}
