/**
 * Every command runs here: one transaction, a unit of work that locks what it touches,
 * settle (run until every token waits), flush, commit — and only then publish events.
 */
import type { Db } from '../db/connection.ts';
import { ConflictError } from '../errors.ts';
import type { EventBus } from '../events.ts';
import { UnitOfWork } from '../runtime/unitOfWork.ts';

export interface CommandDeps {
  db: Db;
  events: EventBus;
  clock: () => Date;
}

/** PostgreSQL codes for a transaction that lost to a concurrent one. */
const CONCURRENCY_FAILURES = new Set(['40001', '40P01', '55P03']);

export async function runCommand<T>(deps: CommandDeps, work: (uow: UnitOfWork) => Promise<T>): Promise<T> {
  let events;
  let result: T;
  try {
    ({ result, events } = await deps.db.transaction(async (trx) => {
      const uow = new UnitOfWork(trx, deps.clock);
      const value = await work(uow);
      await uow.settle();
      await uow.flush();
      return { result: value, events: uow.events() };
    }));
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code && CONCURRENCY_FAILURES.has(code)) {
      throw new ConflictError('Another action on the same process instance happened at the same time; try again');
    }
    throw error;
  }
  deps.events.publish(events);
  return result;
}
