/**
 * The `x-socket-io` extension: socket.io events the server pushes (server/realtime/relay.ts
 * emits each domain event under its type with its payload). The table is keyed by the
 * engine's `DomainEventType` and each payload schema is checked against the engine's
 * payload type when this compiles, so an event or field added in engine/events.ts has to be
 * described here. Payloads are component schemas (`TaskAssignedEvent` …) so the designer's
 * generated types (designer/src/api/schema.generated.ts) include them.
 */
import type { DomainEventPayloads, DomainEventType } from '../../engine/events.ts';
import { arrayOf, int, nullable, obj, ref, str, uuid, type Json } from './builders.ts';

/** The keys of `T` that are not optional. */
type RequiredKeys<T> = { [K in keyof T]-?: object extends Pick<T, K> ? never : K }[keyof T];

/** A payload schema tied to the event it describes. */
interface PayloadSchema<T extends DomainEventType> {
  event: T;
  schema: Json;
}

/**
 * The schema of event `type`'s payload: `properties` must name every field of the engine's
 * payload type, and `required` every field that is not optional (a missing one fails to compile).
 */
function payloadSchema<T extends DomainEventType, const R extends readonly RequiredKeys<DomainEventPayloads[T]>[]>(
  event: T,
  properties: { [K in keyof DomainEventPayloads[T]]-?: Json },
  required: R &
    ([Exclude<RequiredKeys<DomainEventPayloads[T]>, R[number]>] extends [never]
      ? unknown
      : { missingRequired: Exclude<RequiredKeys<DomainEventPayloads[T]>, R[number]> }),
): PayloadSchema<T> {
  return { event, schema: obj(properties as Record<string, Json>, [...required] as string[]) };
}

interface SocketEvent<T extends DomainEventType> {
  summary: string;
  recipients: string;
  /** The component schema of the payload. */
  component: string;
  /** A new component schema; omitted when the payload is an existing schema (a notification is a `Notification`). */
  payload?: PayloadSchema<T>;
}

/** Every domain event, by type: a type without an entry fails to compile. */
const events: { [T in DomainEventType]: SocketEvent<T> } = {
  'task.assigned': {
    summary: 'A task was created or offered to someone (新待办)',
    recipients: 'The assignee, the candidate users, and members of the candidate groups (role or department code)',
    component: 'TaskAssignedEvent',
    payload: payloadSchema(
      'task.assigned',
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
    component: 'TaskUpdatedEvent',
    payload: payloadSchema(
      'task.updated',
      {
        taskId: uuid(),
        instanceId: uuid(),
        status: { enum: ['open', 'held', 'completed', 'cancelled'] },
        assignee: str('New assignee after claim or transfer'),
        audience: {
          type: 'object',
          description: 'Whom the task concerns (assignee and candidates), when the change came with the task row (a completion)',
          additionalProperties: false,
          required: ['assignee', 'candidateUsers', 'candidateGroups'],
          properties: { assignee: nullable(str()), candidateUsers: arrayOf(str()), candidateGroups: arrayOf(str()) },
        },
      },
      ['taskId', 'instanceId'],
    ),
  },
  'ticket.routed': {
    summary: 'A record was routed to a department queue (自动分派)',
    recipients: 'Room department:<departmentId>',
    component: 'TicketRoutedEvent',
    payload: payloadSchema(
      'ticket.routed',
      { ticketId: uuid(), recordId: uuid(), formKey: str(), departmentId: uuid() },
      ['ticketId', 'recordId', 'formKey', 'departmentId'],
    ),
  },
  'ticket.updated': {
    summary: 'A ticket was claimed, handed back or closed',
    recipients: 'Room department:<departmentId>',
    component: 'TicketUpdatedEvent',
    payload: payloadSchema(
      'ticket.updated',
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
    component: 'InstanceUpdatedEvent',
    payload: payloadSchema(
      'instance.updated',
      {
        instanceId: uuid(),
        status: { enum: ['active', 'completed', 'terminated', 'incident'] },
        incidentId: uuid('Set when a job ran out of retries'),
      },
      ['instanceId', 'status'],
    ),
  },
  notification: {
    summary: 'A new in-app notification (站内消息)',
    recipients: 'Room user:<id> of the addressee',
    component: 'Notification',
  },
  'notification.read': {
    summary: 'The user read one notification (notificationId) or all of them (notificationId null), in some tab or device',
    recipients: 'Room user:<id> of the reader (their other tabs and devices)',
    component: 'NotificationReadEvent',
    payload: payloadSchema(
      'notification.read',
      {
        username: str(),
        notificationId: nullable(uuid('The notification read; null when all were')),
        readAt: str('When it was read (ISO 8601)', { format: 'date-time' }),
        unread: { type: 'integer', minimum: 0, description: "The user's unread count after this read" },
      },
      ['username', 'notificationId', 'readAt', 'unread'],
    ),
  },
  'cc.created': {
    summary: "An instance was CC'd (抄送) to the user",
    recipients: 'Room user:<id> of the recipient',
    component: 'CcCreatedEvent',
    payload: payloadSchema(
      'cc.created',
      { ccId: uuid(), instanceId: uuid(), taskId: nullable(uuid()), from: str('Username of the sender') },
      ['ccId', 'instanceId', 'taskId', 'from'],
    ),
  },
  'import.progress': {
    summary: 'A record import (导入) moved on: rows done, imported, refused, rows/s and ETA; also its end (status done, failed or cancelled)',
    recipients: 'Room user:<id> of the uploader',
    component: 'ImportProgressEvent',
    payload: payloadSchema(
      'import.progress',
      {
        importId: uuid(),
        formKey: str(),
        status: { enum: ['uploaded', 'running', 'cancelling', 'done', 'failed', 'cancelled', 'interrupted'] },
        totalRows: int(),
        rowsDone: int(),
        imported: int(),
        refused: int(),
        rowsPerSecond: nullable(int()),
        etaSeconds: nullable(int('Seconds left at the current pace')),
      },
      ['importId', 'formKey', 'status', 'totalRows', 'rowsDone', 'imported', 'refused', 'rowsPerSecond', 'etaSeconds'],
    ),
  },
};

const entries = Object.entries(events) as Array<[DomainEventType, SocketEvent<DomainEventType>]>;

/** The payload schemas this table adds to `components.schemas`. */
export const socketEventSchemas: Record<string, Json> = Object.fromEntries(
  entries.flatMap(([, event]) => (event.payload ? [[event.component, event.payload.schema]] : [])),
);

export const socketIo: Json = {
  path: '/socket.io',
  authentication: 'Connect with `auth: {token}` (the login token) or the lz_session cookie; anything else is refused.',
  rooms:
    'On connect the socket joins its own rooms only: user:<id>, department:<id> for each of its departments, and admins for admins. ' +
    'Clients cannot join rooms.',
  events: Object.fromEntries(
    entries.map(([name, event]) => [name, { summary: event.summary, recipients: event.recipients, payload: ref(event.component) }]),
  ),
};
