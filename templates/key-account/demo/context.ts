/**
 * What every demo phase works with: the engine (all writes go through its commands, so the
 * data has real versions, tickets, events and histories), the demo users as the engine sees
 * them, and the progress line.
 */
import type { Engine } from '../../../engine/engine.ts';
import type { AuthUser } from '../../../engine/identity/types.ts';
import { loadAuthUser } from '../../../engine/store/users.ts';
import type { Progress } from './progress.ts';

export interface DemoContext {
  engine: Engine;
  /** Demo user by username (server/bootstrap.ts demo organisation, and admin). */
  users: Map<string, AuthUser>;
  progress: Progress;
  /** The reference date (YYYY-MM-DD). */
  today: string;
}

/** The demo users the generator acts as; a missing one is named in the error. */
export const DEMO_USERNAMES = ['admin', 'zhangsan', 'lisi', 'wangwu', 'zhaoliu', 'sunqi', 'zhouba', 'zhengshi', 'wujiu'] as const;

export async function loadDemoUsers(engine: Engine): Promise<Map<string, AuthUser>> {
  const db = engine.deps.db;
  const users = new Map<string, AuthUser>();
  const missing: string[] = [];
  for (const username of DEMO_USERNAMES) {
    const row = await db('users').where({ username, active: true }).first('id');
    const user = row && (await loadAuthUser(db, row.id as string));
    if (user) users.set(username, user);
    else missing.push(username);
  }
  if (missing.length) {
    throw new Error(
      `The demo needs the demo organisation's users (missing: ${missing.join(', ')}). ` +
        'Start the server once on this database with templates enabled (npm start, LIUZHUAN_LOAD_TEMPLATES unset) first.',
    );
  }
  return users;
}

export function userOf(ctx: DemoContext, username: string): AuthUser {
  const user = ctx.users.get(username);
  if (!user) throw new Error(`Demo user ${username} is not loaded`);
  return user;
}
