/**
 * Domain events, published only after the transaction that caused them commits. The server
 * relays them to socket.io rooms (server/realtime/relay.ts) under their `type`, and
 * server/openapi/socketEvents.ts describes each payload from the same table, so an event
 * name or payload field exists in one place: `DomainEventPayloads` below.
 */
import { EventEmitter } from 'node:events';
import type { NotificationView } from './store/notifications.ts';
import type { ImportProgressPayload } from './imports/types.ts';

export interface TaskAssignedPayload {
  taskId: string;
  instanceId: string;
  elementId: string;
  /** Lets a client show "新待办: 主管审批" without another request. */
  name: string | null;
  assignee: string | null;
  candidateUsers: string[];
  candidateGroups: string[];
}

/** Carries only what changed: a status, or the new assignee after a claim or transfer. */
export interface TaskUpdatedPayload {
  taskId: string;
  instanceId: string;
  status?: 'open' | 'held' | 'completed' | 'cancelled';
  assignee?: string;
  /**
   * Whom the task concerns (its assignee and candidates), when the emitter has the row at hand:
   * the realtime layer then need not read the task again to find the rooms.
   */
  audience?: { assignee: string | null; candidateUsers: string[]; candidateGroups: string[] };
}

export interface TicketRoutedPayload {
  ticketId: string;
  recordId: string;
  formKey: string;
  departmentId: string;
}

export interface TicketUpdatedPayload extends TicketRoutedPayload {
  status: 'queued' | 'claimed' | 'closed';
  claimedBy: string | null;
}

export interface InstanceUpdatedPayload {
  instanceId: string;
  status: 'active' | 'completed' | 'terminated' | 'incident';
  /** Set when a job ran out of retries. */
  incidentId?: string;
}

/** The stored in-app notification, as the notifications list shows it. */
export type NotificationPayload = NotificationView;

/**
 * The user read one notification (`notificationId`) or all of them (`null`), from any tab or
 * device: their other tabs mark it read and show `unread` without asking again.
 */
export interface NotificationReadPayload {
  username: string;
  notificationId: string | null;
  readAt: string;
  /** The user's unread count after this read. */
  unread: number;
}

export interface CcCreatedPayload {
  ccId: string;
  instanceId: string;
  taskId: string | null;
  /** Username of the sender. */
  from: string;
}

/** Every domain event by name, with the payload it carries: the one list of event names. */
export interface DomainEventPayloads {
  'task.assigned': TaskAssignedPayload;
  'task.updated': TaskUpdatedPayload;
  'ticket.routed': TicketRoutedPayload;
  'ticket.updated': TicketUpdatedPayload;
  'instance.updated': InstanceUpdatedPayload;
  notification: NotificationPayload;
  'notification.read': NotificationReadPayload;
  'cc.created': CcCreatedPayload;
  /** A running record import's counters (engine/imports/run.ts), to the uploader's room. */
  'import.progress': ImportProgressPayload;
}

export type DomainEventType = keyof DomainEventPayloads;

/** A discriminated union: narrowing on `type` gives the payload of that event. */
export type DomainEvent = {
  [T in DomainEventType]: {
    type: T;
    /** Rooms the event names itself, e.g. `user:<id>`, `department:<id>`; the relay adds the people its payload names. */
    rooms: string[];
    /**
     * Usernames the event concerns that its payload does not name, when the emitter knows them
     * (an instance's starter on `instance.updated`): the relay need not read them from the
     * database. Not sent to clients.
     */
    people?: string[];
    payload: DomainEventPayloads[T];
  };
}[DomainEventType];

/** The event of type `T`. */
export type DomainEventOf<T extends DomainEventType> = Extract<DomainEvent, { type: T }>;

export class EventBus {
  private readonly emitter = new EventEmitter();

  constructor() {
    this.emitter.setMaxListeners(0);
  }

  publish(events: DomainEvent[]): void {
    for (const event of events) this.emitter.emit('event', event);
  }

  subscribe(listener: (event: DomainEvent) => void): () => void {
    this.emitter.on('event', listener);
    return () => this.emitter.off('event', listener);
  }
}

/** `task.assigned`: who a task is now for; the realtime relay resolves the rooms. */
export function taskAssigned(task: {
  id: string;
  instanceId: string;
  elementId: string;
  name?: string | null;
  assignee: string | null;
  candidateUsers: string[];
  candidateGroups: string[];
}): DomainEventOf<'task.assigned'> {
  return {
    type: 'task.assigned',
    rooms: [],
    payload: {
      taskId: task.id,
      instanceId: task.instanceId,
      elementId: task.elementId,
      name: task.name ?? null,
      assignee: task.assignee,
      candidateUsers: task.candidateUsers,
      candidateGroups: task.candidateGroups,
    },
  };
}
