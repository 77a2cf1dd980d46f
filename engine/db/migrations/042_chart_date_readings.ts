/**
 * Safe date readings for charts (engine/analytics/fields.ts, DateReading). A chart reads a
 * record's date text with a plain cast, which fails the whole query on a date-shaped text that
 * does not parse (a record written before the field became a date, say "2026-13-01"); run.ts
 * then asks again reading dates through these functions, which answer NULL for such text, so
 * the chart counts the records whose dates parse instead of failing. Each call opens a
 * subtransaction (the EXCEPTION block), which is why they are the fallback and not the rule.
 */
import type { Knex } from 'knex';

export async function up(db: Knex): Promise<void> {
  await db.raw(`
    CREATE OR REPLACE FUNCTION liuzhuan_try_timestamptz(value text) RETURNS timestamptz
      LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
    BEGIN
      RETURN CAST(value AS timestamptz);
    EXCEPTION WHEN data_exception THEN
      RETURN NULL;
    END $$`);
  await db.raw(`
    CREATE OR REPLACE FUNCTION liuzhuan_try_date(value text) RETURNS date
      LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
    BEGIN
      RETURN CAST(value AS date);
    EXCEPTION WHEN data_exception THEN
      RETURN NULL;
    END $$`);
}

export async function down(db: Knex): Promise<void> {
  await db.raw('DROP FUNCTION IF EXISTS liuzhuan_try_timestamptz(text)');
  await db.raw('DROP FUNCTION IF EXISTS liuzhuan_try_date(text)');
}
