/**
 * One value from the server that every component of the signed-in user shares (the inbox
 * counts, the notification bell's list and unread count), so a badge and a page never show
 * different figures. `refresh()` calls that overlap (a burst of live events) collapse into
 * one request plus at most one follow-up; a failed request keeps the last value; another
 * user's value is forgotten when the user changes.
 */
import { useEffect, useSyncExternalStore } from 'react';

export interface UserStore<T> {
  /** Asks the server again. */
  refresh(): Promise<void>;
  /** The value for `username` (null until the first answer); a hook. */
  useValue(username: string): T | null;
  /** The value now and whose it is, for changes a live event describes. */
  current(): { owner: string | null; value: T | null };
  /** Replaces the value (e.g. with what a live event says) and tells every user of it. */
  set(next: T | null): void;
}

export function createUserStore<T>(load: () => Promise<T>): UserStore<T> {
  let owner: string | null = null;
  let value: T | null = null;
  let running: Promise<void> | null = null;
  let again = false;
  const listeners = new Set<() => void>();
  const subscribe = (listener: () => void) => {
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
    };
  };
  const set = (next: T | null) => {
    value = next;
    for (const listener of listeners) listener();
  };

  function refresh(): Promise<void> {
    if (running) {
      again = true;
      return running;
    }
    running = load()
      .then(set)
      .catch(() => undefined)
      .finally(() => {
        running = null;
        if (again) {
          again = false;
          void refresh();
        }
      });
    return running;
  }

  function useValue(username: string): T | null {
    const current = useSyncExternalStore(subscribe, () => value);
    useEffect(() => {
      if (owner !== username) {
        owner = username;
        set(null);
        void refresh();
      } else if (!value) {
        void refresh();
      }
    }, [username]);
    return current;
  }

  return { refresh, useValue, current: () => ({ owner, value }), set };
}
