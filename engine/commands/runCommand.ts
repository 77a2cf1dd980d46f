/**
 * The command executor: every state change of the engine runs here. One transaction, a unit
 * of work that locks what it touches, the command's work, settle (run until every token
 * waits), flush, the command's after-flush work, commit — and only then the events are
 * published and the after-commit hooks run. A transaction that lost to a concurrent one
 * (serialization failure, deadlock, lock not available) answers 409.
 *
 * A command may run inside another command's transaction (a job running a task action):
 * `scope.nested()` gives it deps whose database is the outer transaction (the inner command
 * becomes a savepoint) and whose events and hooks are held until the OUTER commit.
 */
import type { Db } from '../db/connection.ts';
import { ConflictError } from '../errors.ts';
import { EventBus, type DomainEvent } from '../events.ts';
import { UnitOfWork } from '../runtime/unitOfWork.ts';

export interface CommandDeps {
  db: Db;
  events: EventBus;
  clock: () => Date;
  /** Set by `scope.nested()`: the command runs inside that scope's transaction. */
  outer?: CommandScope;
}

export type AfterCommitHook = () => void | Promise<void>;

/** What a command's work gets besides the unit of work. */
export interface CommandScope {
  /** The command's transaction (the same as `uow.trx`). */
  readonly trx: Db;
  /** Events to publish after the commit besides those of the instances the unit of work ran. */
  emit(...events: DomainEvent[]): void;
  /** Work that needs the flushed rows (e.g. a row referencing a new instance); runs in order, before the commit. */
  afterFlush(work: () => Promise<void>): void;
  /** Runs once the outermost transaction has committed; never after a rollback. */
  afterCommit(hook: AfterCommitHook): void;
  /** Deps for a command run inside this one's transaction; its events and hooks wait for this commit. */
  nested(): CommandDeps;
}

export type CommandWork<T> = (uow: UnitOfWork, scope: CommandScope) => Promise<T>;

/** PostgreSQL codes for a transaction that lost to a concurrent one. */
const CONCURRENCY_FAILURES = new Set(['40001', '40P01', '55P03']);

export async function runCommand<T>(deps: CommandDeps, work: CommandWork<T>): Promise<T> {
  const held: DomainEvent[] = [];
  const hooks: AfterCommitHook[] = [];
  let outcome: { result: T; events: DomainEvent[] };
  try {
    // On a transaction (a nested command) knex makes this a savepoint.
    outcome = await deps.db.transaction(async (trx) => {
      const uow = new UnitOfWork(trx, deps.clock);
      const flushed: Array<() => Promise<void>> = [];
      const scope: CommandScope = {
        trx,
        emit: (...events) => held.push(...events),
        afterFlush: (next) => flushed.push(next),
        afterCommit: (hook) => hooks.push(hook),
        nested: () => nestedDeps(trx, deps.clock, scope),
      };
      const result = await work(uow, scope);
      await uow.settle();
      await uow.flush();
      for (const next of flushed) await next();
      return { result, events: [...held, ...uow.events()] };
    });
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code && CONCURRENCY_FAILURES.has(code)) {
      throw new ConflictError('Another action on the same process instance happened at the same time; try again');
    }
    throw error;
  }
  if (deps.outer) {
    // Not committed yet: the outer command publishes and runs the hooks after its own commit.
    deps.outer.emit(...outcome.events);
    for (const hook of hooks) deps.outer.afterCommit(hook);
    return outcome.result;
  }
  deps.events.publish(outcome.events);
  for (const hook of hooks) await hook();
  return outcome.result;
}

/** Deps inside `outer`'s transaction; whatever is published on their bus is held by `outer`. */
function nestedDeps(trx: Db, clock: () => Date, outer: CommandScope): CommandDeps {
  const events = new EventBus();
  events.subscribe((event) => outer.emit(event));
  return { db: trx, events, clock, outer };
}
