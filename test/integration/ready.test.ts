/**
 * `/api/ready` for load balancers: ready on a good node; 503 naming the failed check when the
 * schema differs from this build's migrations, when the database hangs (answered within the
 * bound, not held) and when the pool cannot reach it. Never leaks the driver's error text.
 */
import { describe, expect, it } from 'vitest';
import type { JobExecutor } from '../../engine/api.ts';
import { knownMigrations } from '../../engine/db/migrate.ts';
import { useTestServer } from '../helpers/server.ts';

// A pool of one: holding its only connection is a database that does not answer.
const t = useTestServer({}, { poolMax: 1 });

/** Far above the 2 s readiness deadline, far below the pool's 15 s wait: a hung probe would hit it. */
const ANSWER_BOUND_MS = 8_000;

async function get(path: string): Promise<{ status: number; body: any }> {
  const response = await fetch(`${t.url}${path}`, { signal: AbortSignal.timeout(ANSWER_BOUND_MS) });
  return { status: response.status, body: await response.json() };
}

describe('GET /api/ready', () => {
  it('is ready on a migrated database with a running executor, and says so without caching', async () => {
    const response = await fetch(`${t.url}/api/ready`);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await response.json()).toEqual({
      status: 'ready',
      version: expect.any(String),
      failed: [],
      checks: { database: 'ok', migrations: 'ok', executor: 'ok', backlog: 'ok' },
    });
  });

  it('answers 503 naming migrations when one of this build is not applied, and ready again once it is', async () => {
    const db = t.server.ctx.db;
    const last = knownMigrations().at(-1)!;
    const row = await db('knex_migrations').where({ name: last }).first();
    await db('knex_migrations').where({ name: last }).delete();
    try {
      const { status, body } = await get('/api/ready');
      expect(status).toBe(503);
      expect(body).toMatchObject({ status: 'not_ready', failed: ['migrations'], checks: { database: 'ok', migrations: 'failed' } });
      // The names stay in the log: the public answer carries no schema detail.
      expect(JSON.stringify(body)).not.toContain(last);
    } finally {
      await db('knex_migrations').insert(row);
    }
    expect((await get('/api/ready')).status).toBe(200);
  });

  it('answers 503 naming migrations when the database was migrated by a build this node does not know', async () => {
    const db = t.server.ctx.db;
    await db('knex_migrations').insert({ name: '999_from_a_newer_build', batch: 99, migration_time: new Date() });
    try {
      const { status, body } = await get('/api/ready');
      expect(status).toBe(503);
      expect(body.failed).toEqual(['migrations']);
    } finally {
      await db('knex_migrations').where({ name: '999_from_a_newer_build' }).delete();
    }
    expect((await get('/api/ready')).status).toBe(200);
  });

  it('answers 503 database within its deadline while the database does not answer, not after the pool gives up', async () => {
    const held = await t.server.ctx.db.transaction();
    try {
      const { status, body } = await get('/api/ready');
      expect(status).toBe(503);
      expect(body).toMatchObject({
        status: 'not_ready',
        failed: ['database'],
        checks: { database: 'timeout', migrations: 'skipped', executor: 'ok', backlog: 'skipped' },
      });
    } finally {
      await held.rollback();
    }
    expect((await get('/api/ready')).status).toBe(200);
  });

  it("answers 503 executor once this node's job executor has stopped, while health still answers 200", async () => {
    // The last tests: an executor does not start again, and the pool is closed below.
    await (t.server.ctx.executor as unknown as JobExecutor).stop();
    const { status, body } = await get('/api/ready');
    expect(status).toBe(503);
    expect(body).toMatchObject({ failed: ['executor'], checks: { database: 'ok', migrations: 'ok', executor: 'failed' } });
    const health = await get('/api/health');
    expect(health.status).toBe(200);
    expect(health.body.executor.state).toBe('stopped');
  });

  it('answers 503 database when the pool cannot reach the database, and health says unavailable; both quickly', async () => {
    await t.server.ctx.db.destroy();
    const ready = await get('/api/ready');
    expect(ready.status).toBe(503);
    // The executor was stopped above: both are named.
    expect(ready.body).toMatchObject({ failed: ['database', 'executor'], checks: { database: 'failed', migrations: 'skipped' } });
    const text = JSON.stringify(ready.body);
    for (const leak of ['127.0.0.1', 'postgres', 'Error', 'at ']) expect(text).not.toContain(leak);
    const health = await get('/api/health');
    expect(health.status).toBe(503);
    expect(health.body.status).toBe('unavailable');
  });
});
