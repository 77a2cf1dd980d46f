/**
 * The safe date readings (liuzhuan_try_timestamptz / liuzhuan_try_date, migrations 034, 042)
 * open a subtransaction per call, which PostgreSQL refuses inside a parallel query. A record
 * list sorted by a date field over a million records got a parallel plan and failed (found by
 * bench/records.ts); migration 043 marks them PARALLEL UNSAFE. Forcing every query parallel
 * (`debug_parallel_query`, before PostgreSQL 16 `force_parallel_mode`) reproduces the failure on a few rows.
 */
import { describe, expect, it } from 'vitest';
import { useTestDatabase } from '../helpers/database.ts';

const database = useTestDatabase();

describe('safe date readings under parallel query', () => {
  it('read dates, and NULL for text that is no date, even when the planner would go parallel', async () => {
    const rows = await database.db.transaction(async (trx) => {
      // PostgreSQL 16 renamed force_parallel_mode to debug_parallel_query.
      const { rows: settings } = await trx.raw(`SELECT name FROM pg_settings WHERE name IN ('debug_parallel_query', 'force_parallel_mode')`);
      expect(settings).toHaveLength(1);
      await trx.raw(`SET LOCAL ${settings[0].name} = on`);
      return (
        await trx.raw(`SELECT liuzhuan_try_timestamptz(v) AS instant, liuzhuan_try_date(v) AS day
                         FROM (VALUES ('2026-03-01T08:00:00+08:00'), ('2026-13-01'), ('not a date')) AS t(v)`)
      ).rows as { instant: Date | null; day: unknown }[];
    });
    expect(rows.map((row) => row.instant?.toISOString() ?? null)).toEqual(['2026-03-01T00:00:00.000Z', null, null]);
    expect(rows.map((row) => row.day !== null)).toEqual([true, false, false]);
  });
});
