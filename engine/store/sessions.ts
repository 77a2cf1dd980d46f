/** Login sessions: only the SHA-256 of a token is stored, so a leaked table grants nothing. */
import type { Knex } from 'knex';

export async function insertSession(db: Knex, tokenHash: string, userId: string, expiresAt: Date): Promise<void> {
  await db('sessions').insert({ token_hash: tokenHash, user_id: userId, expires_at: expiresAt });
}

export async function deleteSession(db: Knex, tokenHash: string): Promise<void> {
  await db('sessions').where({ token_hash: tokenHash }).delete();
}

export async function deleteSessionsOfUser(db: Knex, userId: string): Promise<void> {
  await db('sessions').where({ user_id: userId }).delete();
}

/** Housekeeping on login: expired rows of this user would otherwise accumulate forever. */
export async function deleteExpiredSessions(db: Knex, userId: string): Promise<void> {
  await db('sessions').where({ user_id: userId }).andWhere('expires_at', '<=', db.fn.now()).delete();
}
