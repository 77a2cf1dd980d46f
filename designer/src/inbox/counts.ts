/**
 * The four inbox numbers (GET /api/inbox/counts), shared by the menu badge and the inbox
 * tabs so both show the same figure (api/userStore.ts); live events call `refreshCounts()`.
 */
import { call } from '../api/client.ts';
import type { ApiResponse } from '../api/types.ts';
import { createUserStore } from '../api/userStore.ts';

export type Counts = ApiResponse<'inboxCounts'>;
export type Box = keyof Counts;
export const BOXES: Box[] = ['todo', 'done', 'started', 'cc'];

const store = createUserStore(() => call('inboxCounts'));

export const refreshCounts = store.refresh;

/** The counts for `username` (null until the first answer); forgets another user's numbers. */
export function useInboxCounts(username: string): Counts | null {
  return store.useValue(username);
}
