/**
 * What every route and socket handler gets. Routes use only `engine` (engine/engine.ts, with
 * the types of engine/api.ts); `db` and `events` are for the server's own plumbing — session
 * lookup, bootstrap, the socket relay.
 */
import type { Db } from '../engine/db/connection.ts';
import type { Engine } from '../engine/engine.ts';
import type { EventBus } from '../engine/events.ts';
import type { AuthUser } from '../engine/identity/types.ts';
import type { JobExecutor } from '../engine/jobs/executor.ts';

export interface AppContext {
  db: Db;
  events: EventBus;
  engine: Engine;
  version: string;
  /** The user behind a session token (engine/identity/sessionCache.ts: reused for a few seconds, forgotten on any identity change). */
  userForToken(token: string): Promise<AuthUser | undefined>;
  /** Forget every remembered session user now: this node just changed an identity (logout, users, roles, departments). */
  identityChanged(): void;
  /** This node's job executor, once started (health reports it). */
  executor?: Pick<JobExecutor, 'status'>;
}
