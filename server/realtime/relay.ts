/**
 * Relays the node's domain events to socket.io rooms. Each node relays only the events its
 * own engine raised; the adapter carries them to sockets on other nodes, so every event is
 * delivered once however many nodes run.
 */
import type { Server } from 'socket.io';
import type { DomainEvent, EventBus } from '../../engine/events.ts';
import { yieldLoopIfHeld } from '../../engine/loopHeld.ts';
import { log } from '../log.ts';
import { mayReach } from './adapter.ts';
import type { Recipients } from './recipients.ts';

export interface Relay {
  /** Stops listening and resolves once the events already received are sent. */
  stop(): Promise<void>;
}

export function startRelay(io: Server, events: EventBus, recipients: Recipients): Relay {
  // Resolving rooms takes a query; a queue keeps events in the order they were published
  // (a client must see a task completed before the next one assigned).
  let queue: Promise<void> = Promise.resolve();
  const deliver = async (event: DomainEvent) => {
    // With the lookups cached, a command's events are relayed as one chain of promises: ten
    // thousand of them (a command that opens as many tasks) held the loop for 0.2 s under load.
    await yieldLoopIfHeld();
    try {
      const rooms = await recipients.roomsFor(event);
      // `io.to([])` would mean everybody: an event nobody is named in goes nowhere; nor one
      // whose people have no socket open on this node while no other node runs.
      if (rooms.length && mayReach(io, rooms)) io.to(rooms).emit(event.type, event.payload);
    } catch (error) {
      log.warn({ err: error, type: event.type }, 'could not relay a domain event');
    }
  };
  const unsubscribe = events.subscribe((event) => {
    queue = queue.then(() => deliver(event));
  });
  return {
    async stop() {
      unsubscribe();
      await queue;
    },
  };
}
