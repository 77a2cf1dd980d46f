/**
 * Counts the statements a knex instance sends to PostgreSQL: every `query` event, which knex
 * emits for each statement it hands the driver, including a transaction's `BEGIN;`, `COMMIT;`,
 * `ROLLBACK` and savepoints (checked on knex 3.3). Each is one round trip — a multi-statement
 * query sent as one string counts once, as it costs one.
 *
 * Not counted: connections outside this knex instance (the job listener's LISTEN client, the
 * socket.io adapter's own pg pool). Counts are process-wide for the instance: measure one
 * command at a time when you want a per-command figure.
 */
import type { Knex } from 'knex';

export interface RoundTripCounter {
  /** Statements sent since attach or the last reset(). */
  readonly count: number;
  /** The statements themselves (SQL text), when attached with `{ keep: true }`; else empty. */
  readonly statements: readonly string[];
  reset(): void;
  /** Stops counting (removes the listener). */
  detach(): void;
}

export function countRoundTrips(db: Knex, options: { keep?: boolean } = {}): RoundTripCounter {
  let count = 0;
  let statements: string[] = [];
  const onQuery = (query: { sql?: string }) => {
    count += 1;
    if (options.keep) statements.push(String(query.sql ?? ''));
  };
  db.on('query', onQuery);
  return {
    get count() {
      return count;
    },
    get statements() {
      return statements;
    },
    reset() {
      count = 0;
      statements = [];
    },
    detach() {
      db.removeListener('query', onQuery);
    },
  };
}
