/**
 * Logging in and out. A session token is 32 random bytes (base64url) handed to the client
 * once; the database keeps only its SHA-256, with an expiry.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import { UnauthorizedError } from '../errors.ts';
import type { MessageLocale } from '../forms/messages.ts';
import { bodyValidator } from '../forms/validator.ts';
import {
  deleteExpiredSessions,
  deleteSession,
  insertSession,
} from '../store/sessions.ts';
import { authSessionOf, findUserForLogin, loadAuthUser } from '../store/users.ts';
import { decoyPasswordHash, verifyPassword } from './password.ts';
import type { AuthUser } from './types.ts';

export const SESSION_TTL_MS = 7 * 24 * 60 * 60 * 1000;

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

const checkLoginBody = bodyValidator({
  type: 'object',
  required: ['username', 'password'],
  properties: {
    username: { type: 'string', minLength: 1, maxLength: 200 },
    password: { type: 'string', minLength: 1, maxLength: 1000 },
  },
});

export interface LoginResult {
  token: string;
  expiresAt: Date;
  user: AuthUser;
}

/** 422 for a malformed body; 401 with one message for an unknown user, a wrong password or a disabled account. */
export async function login(db: Knex, body: unknown, locale: MessageLocale): Promise<LoginResult> {
  checkLoginBody(body, locale);
  const { username, password } = body as { username: string; password: string };
  const found = await findUserForLogin(db, username);
  // Verify against a decoy when the user is unknown: same work, so timing reveals nothing.
  const passwordOk = await verifyPassword(password, found?.passwordHash ?? (await decoyPasswordHash()));
  const user = found && passwordOk && found.active ? await loadAuthUser(db, found.id) : undefined;
  if (!user) throw new UnauthorizedError('Invalid username or password', 'invalid_credentials');

  await deleteExpiredSessions(db, user.id);
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(Date.now() + SESSION_TTL_MS);
  await insertSession(db, hashToken(token), user.id, expiresAt);
  return { token, expiresAt, user };
}

/** The user behind a live session token, or undefined. */
export async function userForToken(db: Knex, token: string): Promise<AuthUser | undefined> {
  return (await authSessionOf(db, hashToken(token)))?.user;
}

/** The session of a token already hashed (the session cache keys by the hash, never the token), with its expiry. */
export function sessionOfTokenHash(db: Knex, tokenHash: string): Promise<{ user: AuthUser; expiresAt: Date } | undefined> {
  return authSessionOf(db, tokenHash);
}

export async function logout(db: Knex, token: string): Promise<void> {
  await deleteSession(db, hashToken(token));
}
