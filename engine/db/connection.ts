/** One knex instance per process, built from a connection string. */
import knexFactory, { type Knex } from 'knex';
import pg from 'pg';

// int8 (bigserial, count(*)) as JS numbers: our counts and sequence numbers stay far below 2^53.
pg.types.setTypeParser(pg.types.builtins.INT8, (value: string) => Number(value));

export type Db = Knex;

export function connect(databaseUrl: string, options: { poolMax?: number } = {}): Db {
  const db = knexFactory({
    client: 'pg',
    connection: databaseUrl,
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
