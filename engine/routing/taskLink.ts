/**
 * The routed ticket and the process are one thing: at every flush of an instance whose
 * process has nodes assigned to the routed department (approval/routedDepartment.ts), the
 * record's ticket is brought in step with the instance's tasks at those nodes.
 *
 * - A task open at such a node: the ticket points at it (task, node, node name); it is
 *   `claimed` by the task's assignee, or `queued` while the task waits for a candidate to
 *   claim it. A ticket a member claimed before the process reached the node hands the new
 *   task straight to them when they are among its candidates.
 * - No such task open any more, after one was (the node completed, or the token was taken
 *   back), or the instance ended: the ticket is `closed`, keeping the last node. Should the
 *   process come back to such a node (a return), the ticket opens again.
 *
 * The state is derived from the tasks, never patched by each command, so a claim from the
 * inbox (claimTask), from the queue (claimTicket), a completion, a return or a withdrawal all
 * move the ticket the same way. Every task command locks the instance first; ticket actions
 * on a linked ticket lock it too, so of a claim via the ticket and one via the task exactly
 * one wins.
 */
import { routedDepartmentNodes } from '../approval/routedDepartment.ts';
import type { Db } from '../db/connection.ts';
import type { FlushParticipant } from '../extensions/flushParticipants.ts';
import type { InstanceRun } from '../runtime/instanceRun.ts';
import { queryOpenTasks, recordTaskAction, setTaskAssignee } from '../store/tasks.ts';
import { lockTicketOfInstance, writeTicketLink, type TicketLink, type TicketView } from '../store/tickets.ts';
import { ticketEvent } from './route.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const ticketTaskLink: FlushParticipant = {
  name: 'routing.ticketTaskLink',
  // After the instances: the tasks this command created or closed are in the table.
  async afterInstances({ trx, runs, at }) {
    for (const run of runs) {
      const nodes = routedDepartmentNodes(run.process);
      if (nodes.size > 0) await followInstance(trx, run, nodes, at);
    }
  },
};

async function followInstance(trx: Db, run: InstanceRun, nodes: ReadonlyMap<string, string | null>, at: Date): Promise<void> {
  // A flow form's instance has its record id as business key; any other key names no record.
  const businessKey = run.record.businessKey;
  const ticket = await lockTicketOfInstance(trx, {
    id: run.id,
    recordId: businessKey && UUID.test(businessKey) ? businessKey : null,
    formKey: run.process.formKey ?? null,
  });
  if (!ticket) return;
  const open = (await queryOpenTasks(trx, { instanceId: run.id })).find((task) => nodes.has(task.elementId));
  let next: TicketLink;
  if (open) {
    let assignee = open.assignee;
    // Claimed in the queue before the process got here (a task the ticket did not point at
    // yet): the new task is the claimer's at once, when it is offered to them.
    const claimer = ticket.status === 'claimed' && ticket.taskId !== open.id ? ticket.claimedBy : null;
    if (!assignee && claimer && open.candidateUsers.includes(claimer)) {
      assignee = claimer;
      await setTaskAssignee(trx, open.id, claimer);
      await recordTaskAction(trx, { taskId: open.id, instanceId: run.id, action: 'claim', actor: claimer, details: { ticketId: ticket.id } });
      run.emit({ type: 'task.updated', rooms: [], payload: { taskId: open.id, instanceId: run.id, assignee: claimer } });
    }
    next = {
      instanceId: run.id,
      taskId: open.id,
      elementId: open.elementId,
      stageName: nodes.get(open.elementId) ?? open.name,
      status: assignee ? 'claimed' : 'queued',
      claimedBy: assignee,
    };
  } else {
    const ended = run.record.status === 'completed' || run.record.status === 'terminated';
    const left = ticket.taskId !== null;
    next = {
      instanceId: run.id,
      taskId: null,
      elementId: ticket.elementId,
      stageName: ticket.stageName,
      status: ended || left ? 'closed' : ticket.status,
      claimedBy: ticket.claimedBy,
    };
  }
  if (!changed(ticket, next)) return;
  run.emit(ticketEvent('ticket.updated', await writeTicketLink(trx, ticket, next, at)));
}

function changed(ticket: TicketView, next: TicketLink): boolean {
  return (
    ticket.instanceId !== next.instanceId ||
    ticket.taskId !== next.taskId ||
    ticket.elementId !== next.elementId ||
    ticket.stageName !== next.stageName ||
    ticket.status !== next.status ||
    ticket.claimedBy !== next.claimedBy
  );
}
