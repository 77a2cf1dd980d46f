/**
 * Sorting and range-filtering records by a date field (engine/store/records.ts). A date or
 * date-time field is stored as text in the record's JSON; compared as text, `2026-9-1` or a
 * value with another UTC offset would land in the wrong place, and a plain `::timestamptz` cast
 * fails the whole query on one malformed value (flow records are written by the process
 * without validation). `liuzhuan_try_timestamptz` reads the text as an instant, or NULL when it
 * is not one, so such rows sort last instead of breaking the page.
 *
 * The index serves the record list's default order (newest first, then id) per form.
 */
import type { Knex } from 'knex';

export async function up(db: Knex): Promise<void> {
  await db.raw(`
    CREATE OR REPLACE FUNCTION liuzhuan_try_timestamptz(value text) RETURNS timestamptz
    LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
    BEGIN
      IF value IS NULL OR value !~ '^\\d{4}-\\d{1,2}-\\d{1,2}' THEN RETURN NULL; END IF;
      RETURN value::timestamptz;
    EXCEPTION WHEN others THEN
      RETURN NULL;
    END $$`);
  await db.raw('CREATE INDEX IF NOT EXISTS records_form_key_created_id ON records (form_key, created_at DESC, id)');
}

export async function down(db: Knex): Promise<void> {
  await db.raw('DROP INDEX IF EXISTS records_form_key_created_id');
  await db.raw('DROP FUNCTION IF EXISTS liuzhuan_try_timestamptz(text)');
}
