/**
 * The caller's newest notifications and unread count (GET /api/notifications), shared by the
 * header bell and the notifications page so both show the same number. Live events and
 * mark-as-read call `refreshNotifications()` (one shared value per user: api/userStore.ts, as
 * the inbox counts). A read in another tab or device arrives as `notification.read` and is
 * applied here without asking again.
 */
import { call } from '../api/client.ts';
import type { ApiResponse, SocketEventPayload } from '../api/types.ts';
import { createUserStore } from '../api/userStore.ts';

export type NotificationItem = ApiResponse<'readNotification'>;

/** How many the bell's list shows; the page shows the rest. */
export const RECENT = 8;

interface State {
  items: NotificationItem[];
  unread: number;
  total: number;
}

const store = createUserStore<State>(() =>
  call('listNotifications', { query: { limit: RECENT } }).then((page) => ({ items: page.items, unread: page.unread, total: page.total })),
);

export const refreshNotifications = store.refresh;

/**
 * Applies a read the server announced (this user's, in any tab or device): the one named, or
 * every item when it names none, is read, and the count is the server's.
 */
export function applyRead(event: SocketEventPayload<'notification.read'>): void {
  const { owner, value: state } = store.current();
  if (!state || event.username !== owner) return;
  const items = state.items.map((item) =>
    item.readAt === null && (event.notificationId === null || item.id === event.notificationId) ? { ...item, readAt: event.readAt } : item,
  );
  store.set({ ...state, items, unread: event.unread });
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
  return store.useValue(username);
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
