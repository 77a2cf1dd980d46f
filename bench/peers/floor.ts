/**
 * The PostgreSQL floor: per instance the same number of transactions the engine needs (3),
 * each an INSERT and an UPDATE of a small JSONB row, on a pool of 10 — the least a persisted
 * engine step can cost on this machine.
 */
import { randomUUID } from 'node:crypto';
import { connect, type Db } from '../../engine/db/connection.ts';
import { RunStats, runClients, type Workload } from './common.ts';

export async function createFloorWorkload(url: string, clientCounts: number[]): Promise<Workload & { close(): Promise<void> }> {
  const db: Db = connect(url, { poolMax: 10 });
  await db.raw('CREATE TABLE IF NOT EXISTS bench_floor (id uuid PRIMARY KEY, data jsonb NOT NULL)');
  const transaction = (index: number, step: number) =>
    db.transaction(async (trx) => {
      const id = randomUUID();
      await trx('bench_floor').insert({ id, data: JSON.stringify({ index, step, status: 'open' }) });
      await trx('bench_floor').where({ id }).update({ data: db.raw(`data || '{"status":"done"}'::jsonb`) });
    });
  return {
    name: 'PostgreSQL floor',
    clientCounts,
    run: (clients: number, count: number, stats: RunStats) =>
      runClients(clients, count, stats, async (_client, index) => {
        for (let step = 0; step < 3; step++) await stats.time(() => transaction(index, step));
      }),
    close: () => db.destroy(),
  };
}
