/**
 * Safe date readings for charts (engine/analytics/fields.ts, DateReading). A chart reads a
 * record's date text with a plain cast, which fails the whole query on a date-shaped text that
 * does not parse (a record written before the field became a date, say "2026-13-01"); run.ts
 * then asks again reading dates through `liuzhuan_try_timestamptz` (migration 034) and, for
 * date-only fields, `liuzhuan_try_date` below, which answer NULL for such text, so the chart
 * counts the records whose dates parse instead of failing. Each call opens a subtransaction
 * (the EXCEPTION block), which is why they are the fallback and not the rule, and why they
 * cannot run in a parallel query (PARALLEL UNSAFE, see migration 043).
 */
import type { Knex } from 'knex';

export async function up(db: Knex): Promise<void> {
  await db.raw(`
    CREATE OR REPLACE FUNCTION liuzhuan_try_date(value text) RETURNS date
      LANGUAGE plpgsql STABLE PARALLEL UNSAFE AS $$
    BEGIN
      IF value IS NULL OR value !~ '^\\d{4}-\\d{1,2}-\\d{1,2}' THEN RETURN NULL; END IF;
      RETURN CAST(value AS date);
    EXCEPTION WHEN others THEN
      RETURN NULL;
    END $$`);
}

export async function down(db: Knex): Promise<void> {
  await db.raw('DROP FUNCTION IF EXISTS liuzhuan_try_date(text)');
}
