/**
 * The four inbox numbers (GET /api/inbox/counts), shared by the menu badge and the inbox
 * tabs so both show the same figure; live events call `refreshCounts()`, and overlapping
 * calls collapse into one request plus at most one follow-up.
 */
import { useEffect, useSyncExternalStore } from 'react';
import { call } from '../api/client.ts';
import type { ApiResponse } from '../api/types.ts';

export type Counts = ApiResponse<'inboxCounts'>;
export type Box = keyof Counts;
export const BOXES: Box[] = ['todo', 'done', 'started', 'cc'];

let owner: string | null = null;
let counts: Counts | null = null;
let running: Promise<void> | null = null;
let again = false;
const listeners = new Set<() => void>();

function set(next: Counts | null) {
  counts = next;
  for (const listener of listeners) listener();
}

export function refreshCounts(): Promise<void> {
  if (running) {
    again = true;
    return running;
  }
  running = call('inboxCounts')
    .then(set)
    .catch(() => undefined)
    .finally(() => {
      running = null;
      if (again) {
        again = false;
        void refreshCounts();
      }
    });
  return running;
}

/** The counts for `username` (null until the first answer); forgets another user's numbers. */
export function useInboxCounts(username: string): Counts | null {
  const value = useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => counts,
  );
  useEffect(() => {
    if (owner !== username) {
      owner = username;
      set(null);
      void refreshCounts();
    } else if (!counts) {
      void refreshCounts();
    }
  }, [username]);
  return value;
}
