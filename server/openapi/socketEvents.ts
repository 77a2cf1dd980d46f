/**
 * The `x-socket-io` extension: socket.io events the server pushes (server/realtime/relay.ts
 * emits each domain event under its type with its payload). Payload fields come from the
 * engine's `run.emit` / `events.publish` calls (grep engine/ for `type: '`).
 */
import { arrayOf, nullable, obj, ref, str, uuid, type Json } from './builders.ts';

interface SocketEvent {
  summary: string;
  recipients: string;
  payload: Json;
}

const events: Record<string, SocketEvent> = {
  'task.assigned': {
    summary: 'A task was created or offered to someone (新待办)',
    recipients: 'The assignee, the candidate users, and members of the candidate groups (role or department code)',
    payload: obj(
      {
        taskId: uuid(),
        instanceId: uuid(),
        elementId: str(),
        name: nullable(str()),
        assignee: nullable(str()),
        candidateUsers: arrayOf(str()),
        candidateGroups: arrayOf(str()),
      },
      ['taskId', 'instanceId', 'elementId', 'name', 'assignee', 'candidateUsers', 'candidateGroups'],
    ),
  },
  'task.updated': {
    summary: 'A task changed: completed, cancelled, held/reopened (加签), claimed or transferred; carries only what changed',
    recipients: "The task's assignee and candidates",
    payload: obj(
      {
        taskId: uuid(),
        instanceId: uuid(),
        status: { enum: ['open', 'held', 'completed', 'cancelled'] },
        assignee: str('New assignee after claim or transfer'),
      },
      ['taskId', 'instanceId'],
    ),
  },
  'ticket.routed': {
    summary: 'A record was routed to a department queue (自动分派)',
    recipients: 'Room department:<departmentId>',
    payload: obj({ ticketId: uuid(), recordId: uuid(), formKey: str(), departmentId: uuid() }, [
      'ticketId',
      'recordId',
      'formKey',
      'departmentId',
    ]),
  },
  'ticket.updated': {
    summary: 'A ticket was claimed, handed back or closed',
    recipients: 'Room department:<departmentId>',
    payload: obj(
      {
        ticketId: uuid(),
        recordId: uuid(),
        formKey: str(),
        departmentId: uuid(),
        status: { enum: ['queued', 'claimed', 'closed'] },
        claimedBy: nullable(str()),
      },
      ['ticketId', 'recordId', 'formKey', 'departmentId', 'status', 'claimedBy'],
    ),
  },
  'instance.updated': {
    summary: 'A process instance started, ended, was terminated or got an incident',
    recipients: 'Whoever started the instance; admins too when the status is incident',
    payload: obj(
      {
        instanceId: uuid(),
        status: str('active, completed, terminated or incident'),
        incidentId: uuid('Set when a job ran out of retries'),
      },
      ['instanceId', 'status'],
    ),
  },
  notification: {
    summary: 'A new in-app notification (站内消息)',
    recipients: 'Room user:<id> of the addressee',
    payload: ref('Notification'),
  },
  'cc.created': {
    summary: "An instance was CC'd (抄送) to the user",
    recipients: 'Room user:<id> of the recipient',
    payload: obj({ ccId: uuid(), instanceId: uuid(), taskId: nullable(uuid()), from: str('Username of the sender') }, [
      'ccId',
      'instanceId',
      'taskId',
      'from',
    ]),
  },
};

export const socketIo: Json = {
  path: '/socket.io',
  authentication: 'Connect with `auth: {token}` (the login token) or the lz_session cookie; anything else is refused.',
  rooms:
    'On connect the socket joins its own rooms only: user:<id>, department:<id> for each of its departments, and admins for admins. ' +
    'Clients cannot join rooms.',
  events: Object.fromEntries(
    Object.entries(events).map(([name, event]) => [name, { summary: event.summary, recipients: event.recipients, payload: event.payload }]),
  ),
};
