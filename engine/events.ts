/**
 * Domain events, published only after the transaction that caused them commits. The server
 * relays them to socket.io rooms; tests subscribe directly.
 */
import { EventEmitter } from 'node:events';

export interface DomainEvent {
  type: 'task.assigned' | 'task.updated' | 'ticket.routed' | 'instance.updated' | string;
  /** Rooms the event concerns, e.g. `user:<id>`, `department:<id>`; empty for broadcast-free events. */
  rooms: string[];
  payload: Record<string, unknown>;
}

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
}): DomainEvent {
  return {
    type: 'task.assigned',
    rooms: [],
    payload: {
      taskId: task.id,
      instanceId: task.instanceId,
      elementId: task.elementId,
      // The name lets a client show "新待办: 主管审批" without another request.
      name: task.name ?? null,
      assignee: task.assignee,
      candidateUsers: task.candidateUsers,
      candidateGroups: task.candidateGroups,
    },
  };
}
