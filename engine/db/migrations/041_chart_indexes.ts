/**
 * Indexes for charts (engine/analytics/). A chart's date filter on a record field carries a
 * range on the stored text's first 10 characters — its local calendar date, ±2 days for any
 * UTC offset (engine/analytics/filters.ts) — so an expression index on
 * `left(data #>> '{field}', 10)`, partial on the form, turns "the last 90 days of complaints"
 * into an index range instead of a scan of every complaint. The key-account board filters
 * complaints by `received_at`; bench/charts.ts measures what it buys and what it costs on
 * writes (docs/benchmarks.md, "Charts"). More such indexes are one statement each, e.g.
 * `CREATE INDEX ON records (left(data #>> '{signed_on}', 10)) WHERE form_key = 'contract'`.
 */
import type { Knex } from 'knex';

export async function up(db: Knex): Promise<void> {
  await db.raw(`CREATE INDEX IF NOT EXISTS records_complaint_received_day ON records (left(data #>> '{received_at}', 10)) WHERE form_key = 'complaint'`);
}

export async function down(db: Knex): Promise<void> {
  await db.raw('DROP INDEX IF EXISTS records_complaint_received_day');
}
