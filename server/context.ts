/** What every route and socket handler gets: the database, the event bus, the engine. */
import type { Db } from '../engine/db/connection.ts';
import type { Engine } from '../engine/engine.ts';
import type { EventBus } from '../engine/events.ts';

export interface AppContext {
  db: Db;
  events: EventBus;
  engine: Engine;
  version: string;
}
