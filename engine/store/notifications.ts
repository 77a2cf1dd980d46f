/** Queries on `notifications`: in-app messages, one row per recipient. */
import type { Knex } from 'knex';

export interface NotificationView {
  id: string;
  username: string;
  title: string;
  body: string;
  link: string | null;
  createdAt: string;
  readAt: string | null;
}

const toView = (row: any): NotificationView => ({
  id: row.id,
  username: row.username,
  title: row.title,
  body: row.body,
  link: row.link,
  createdAt: row.created_at.toISOString(),
  readAt: row.read_at ? row.read_at.toISOString() : null,
});

export async function insertNotifications(
  db: Knex,
  rows: Array<{ username: string; title: string; body: string; link: string | null }>,
): Promise<NotificationView[]> {
  if (rows.length === 0) return [];
  return (await db('notifications').insert(rows).returning('*')).map(toView);
}

export async function listNotifications(
  db: Knex,
  username: string,
  page: { limit: number; offset: number; unreadOnly: boolean },
): Promise<{ items: NotificationView[]; total: number; unread: number }> {
  const base = () => db('notifications').where({ username });
  const filtered = () => (page.unreadOnly ? base().whereNull('read_at') : base());
  const [rows, total, unread] = await Promise.all([
    // id breaks ties between rows created in the same transaction (same now()).
    filtered().orderBy([{ column: 'created_at', order: 'desc' }, { column: 'id', order: 'desc' }]).limit(page.limit).offset(page.offset),
    filtered().count<{ count: string }[]>('* as count'),
    base().whereNull('read_at').count<{ count: string }[]>('* as count'),
  ]);
  return { items: rows.map(toView), total: Number(total[0]!.count), unread: Number(unread[0]!.count) };
}

/** Marks one of the user's notifications read; undefined when it is not theirs or missing. */
export async function markNotificationRead(db: Knex, id: string, username: string): Promise<NotificationView | undefined> {
  const [row] = await db('notifications')
    .where({ id, username })
    .update({ read_at: db.raw('coalesce(read_at, now())') })
    .returning('*');
  return row ? toView(row) : undefined;
}

/** Marks every unread notification of the user read; returns how many were unread and when (null: none were). */
export async function markAllNotificationsRead(db: Knex, username: string): Promise<{ marked: number; readAt: string | null }> {
  const rows: { read_at: Date }[] = await db('notifications').where({ username }).whereNull('read_at').update({ read_at: db.fn.now() }).returning('read_at');
  return { marked: rows.length, readAt: rows[0] ? rows[0].read_at.toISOString() : null };
}

/** How many of the user's notifications are unread. */
export async function unreadNotificationCount(db: Knex, username: string): Promise<number> {
  const [row] = await db('notifications').where({ username }).whereNull('read_at').count<{ count: string }[]>('* as count');
  return Number(row!.count);
}
