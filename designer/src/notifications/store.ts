/**
 * The caller's newest notifications and unread count (GET /api/notifications), shared by the
 * header bell and the notifications page so both show the same number. Live events and
 * mark-as-read call `refreshNotifications()`; overlapping calls collapse into one request
 * plus at most one follow-up (as the inbox counts do, inbox/counts.ts). A read in another tab
 * or device arrives as `notification.read` and is applied here without asking again.
 */
import { useEffect, useSyncExternalStore } from 'react';
import { call } from '../api/client.ts';
import type { ApiResponse, SocketEventPayload } from '../api/types.ts';

export type NotificationItem = ApiResponse<'readNotification'>;

/** How many the bell's list shows; the page shows the rest. */
export const RECENT = 8;

interface State {
  items: NotificationItem[];
  unread: number;
  total: number;
}

let owner: string | null = null;
let state: State | null = null;
let running: Promise<void> | null = null;
let again = false;
const listeners = new Set<() => void>();

function set(next: State | null) {
  state = next;
  for (const listener of listeners) listener();
}

export function refreshNotifications(): Promise<void> {
  if (running) {
    again = true;
    return running;
  }
  running = call('listNotifications', { query: { limit: RECENT } })
    .then((page) => set({ items: page.items, unread: page.unread, total: page.total }))
    .catch(() => undefined)
    .finally(() => {
      running = null;
      if (again) {
        again = false;
        void refreshNotifications();
      }
    });
  return running;
}

/**
 * Applies a read the server announced (this user's, in any tab or device): the one named, or
 * every item when it names none, is read, and the count is the server's.
 */
export function applyRead(event: SocketEventPayload<'notification.read'>): void {
  if (!state || event.username !== owner) return;
  const items = state.items.map((item) =>
    item.readAt === null && (event.notificationId === null || item.id === event.notificationId) ? { ...item, readAt: event.readAt } : item,
  );
  set({ ...state, items, unread: event.unread });
}

/** Marks one read, then refreshes the shared numbers. */
export async function markRead(id: string): Promise<void> {
  await call('readNotification', { path: { id } });
  await refreshNotifications();
}

export async function markAllRead(): Promise<void> {
  await call('readAllNotifications');
  await refreshNotifications();
}

/** The state for `username` (null until the first answer); forgets another user's. */
export function useNotifications(username: string): State | null {
  const value = useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => state,
  );
  useEffect(() => {
    if (owner !== username) {
      owner = username;
      set(null);
      void refreshNotifications();
    } else if (!state) {
      void refreshNotifications();
    }
  }, [username]);
  return value;
}

/** The notification's body as plain text: in-app templates render escaped HTML, the list shows words. */
export function plainText(html: string): string {
  // DOMParser builds an inert document: nothing in it runs or loads.
  const text = new DOMParser().parseFromString(html, 'text/html').body.textContent ?? '';
  return text.replace(/\s+/g, ' ').trim();
}

/** A link inside this app (`/tasks/…`, `/forms/…/records/…`); anything else is not followed. */
export function internalLink(link: string | null | undefined): string | null {
  return link && link.startsWith('/') && !link.startsWith('//') ? link : null;
}
