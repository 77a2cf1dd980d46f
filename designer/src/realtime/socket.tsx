/**
 * One socket.io connection per logged-in page, authenticated by the session cookie. The
 * server puts it in the user's own room and their departments' rooms; pages subscribe to
 * the events they show with `useRealtime`, and the connection state is shown in the header.
 */
import { createContext, useContext, useEffect, useRef, useState, type ReactNode } from 'react';
import { io, type Socket } from 'socket.io-client';
import type { SocketEvents } from '../api/types.ts';

/** The event names of the server's `x-socket-io` description (generated from engine/events.ts's union). */
export type RealtimeEvent = keyof SocketEvents;

interface RealtimeValue {
  socket: Socket | null;
  connected: boolean;
}

const RealtimeContext = createContext<RealtimeValue>({ socket: null, connected: false });

export function RealtimeProvider({ enabled, children }: { enabled: boolean; children: ReactNode }) {
  const [value, setValue] = useState<RealtimeValue>({ socket: null, connected: false });

  useEffect(() => {
    if (!enabled) return;
    // WebSocket only: no sticky sessions are needed behind a balancer (README, "Running several nodes").
    const socket = io({ path: '/socket.io', withCredentials: true, transports: ['websocket'] });
    const update = () => setValue({ socket, connected: socket.connected });
    socket.on('connect', update);
    socket.on('disconnect', update);
    setValue({ socket, connected: socket.connected });
    return () => {
      socket.off('connect', update);
      socket.off('disconnect', update);
      socket.disconnect();
      setValue({ socket: null, connected: false });
    };
  }, [enabled]);

  return <RealtimeContext.Provider value={value}>{children}</RealtimeContext.Provider>;
}

export function useRealtimeStatus(): RealtimeValue {
  return useContext(RealtimeContext);
}

/** Calls `handler(payload)` for each `event` on the page's socket while the component lives. */
export function useRealtime<E extends RealtimeEvent>(event: E, handler: (payload: SocketEvents[E]) => void): void {
  const { socket } = useContext(RealtimeContext);
  const latest = useRef(handler);
  latest.current = handler;
  useEffect(() => {
    if (!socket) return;
    // The socket is untyped; `useRealtime`'s signature ties the payload to the event name.
    const listener = (payload: SocketEvents[E]) => latest.current(payload);
    socket.on(event as string, listener);
    return () => {
      socket.off(event as string, listener);
    };
  }, [socket, event]);
}
