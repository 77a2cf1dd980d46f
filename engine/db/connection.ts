/** One knex instance per process, built from a connection string. */
import knexFactory, { type Knex } from 'knex';
import pg from 'pg';

// int8 (bigserial, count(*)) as JS numbers: our counts and sequence numbers stay far below 2^53.
pg.types.setTypeParser(pg.types.builtins.INT8, (value: string) => Number(value));

export type Db = Knex;

export interface ConnectOptions {
  poolMax?: number;
  /**
   * How long a query waits for a free pooled connection before failing with knex's
   * KnexTimeoutError (answered 503 `busy` over HTTP). Code inside a transaction must use its
   * `trx`, never the pool: a second connection it waits for may never come.
   */
  acquireTimeoutMs?: number;
}

export function connect(databaseUrl: string, options: ConnectOptions = {}): Db {
  const db = knexFactory({
    client: 'pg',
    connection: databaseUrl,
    // Waiting longer only holds the HTTP request up: past this the server answers 503 `busy`.
    acquireConnectionTimeout: options.acquireTimeoutMs ?? 15_000,
    pool: {
      min: 0,
      max: options.poolMax ?? 10,
      // A server shutdown or restart must surface as a failed query, not crash the process.
      afterCreate(connection: pg.Client, done: (error: Error | null, connection: pg.Client) => void) {
        connection.on('error', () => {});
        done(null, connection);
      },
    },
  });
  return db;
}
