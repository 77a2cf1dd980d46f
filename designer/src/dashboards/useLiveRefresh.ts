/**
 * A counter that goes up a moment after live events (a task done, an instance started or
 * ended, a ticket routed): the dashboard's widgets query again once per burst, not per event.
 */
import { useEffect, useRef, useState } from 'react';
import { useRealtime } from '../realtime/socket.tsx';

export const LIVE_DEBOUNCE_MS = 1500;

export function useLiveRefresh(): number {
  const [tick, setTick] = useState(0);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const bump = () => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(() => setTick((n) => n + 1), LIVE_DEBOUNCE_MS);
  };
  useRealtime('task.assigned', bump);
  useRealtime('task.updated', bump);
  useRealtime('instance.updated', bump);
  useRealtime('ticket.routed', bump);
  useRealtime('ticket.updated', bump);
  useEffect(() => () => {
    if (timer.current) clearTimeout(timer.current);
  }, []);
  return tick;
}
