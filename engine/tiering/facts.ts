/**
 * Reads what tiering needs from the records, aggregated per customer in SQL (so a run reads
 * one row per customer, not every contract): revenue in the ABC window, purchases and money
 * in the RFM window, the last activity date. Malformed values (a date that is not a date, an
 * amount that is not a number) are skipped rather than failing the run.
 */
import type { Knex } from 'knex';
import { NOT_A_SALE, type TieringSource } from './source.ts';

export interface CustomerFacts {
  /** ABC revenue: contract amounts signed in the ABC window. */
  revenue: number;
  /** RFM frequency: contracts signed in the RFM window. */
  frequency: number;
  /** RFM monetary: their amounts. */
  monetary: number;
  /** The last contract, visit or payment date up to today (YYYY-MM-DD), null when none. */
  lastActivityOn: string | null;
  /** Days from `lastActivityOn` to today. */
  recencyDays: number | null;
}

export interface CustomerRow {
  id: string;
  customer: string;
}

const DATE = `'^[0-9]{4}-[0-9]{2}-[0-9]{2}$'`;
/** The text field `field` of r.data as a date, null unless it looks like one. */
const dateOf = `CASE WHEN r.data->>? ~ ${DATE} THEN CAST(r.data->>? AS date) END`;

/** The customer form's records (id and key), in id order. */
export async function customerRows(db: Knex, source: TieringSource): Promise<CustomerRow[]> {
  const rows = await db('records as r')
    .where('r.form_key', source.customers.form)
    .select('r.id', db.raw('r.data->>? AS customer', [source.customers.key]))
    .orderBy('r.id');
  return rows.filter((row: { customer: string | null }) => row.customer !== null);
}

export async function customerFacts(db: Knex, source: TieringSource, today: string): Promise<Map<string, CustomerFacts>> {
  const facts = new Map<string, CustomerFacts>();
  const factsOf = (customer: string): CustomerFacts => {
    let found = facts.get(customer);
    if (!found) facts.set(customer, (found = { revenue: 0, frequency: 0, monetary: 0, lastActivityOn: null, recencyDays: null }));
    return found;
  };
  const c = source.contracts;
  const contracts = await db.raw(
    `WITH c AS (
       SELECT r.data->>? AS customer, ${dateOf} AS on_date,
              CASE WHEN jsonb_typeof(r.data->?) = 'number' THEN CAST(r.data->>? AS numeric) ELSE 0 END AS amount
         FROM records r LEFT JOIN process_instances i ON i.id = r.instance_id
        WHERE r.form_key = ? AND (r.instance_id IS NULL OR i.status = 'completed'
              OR coalesce(r.data->>?, '') = ANY(CAST(? AS text[])))
          AND coalesce(r.data->>?, '') <> ALL(CAST(? AS text[])))
     SELECT customer, CAST(max(on_date) AS text) AS last_on,
            count(*) FILTER (WHERE on_date > CAST(? AS date) - CAST(? AS integer)) AS frequency,
            coalesce(sum(amount) FILTER (WHERE on_date > CAST(? AS date) - CAST(? AS integer)), 0) AS monetary,
            coalesce(sum(amount) FILTER (WHERE on_date > CAST(? AS date) - CAST(? AS integer)), 0) AS revenue
       FROM c WHERE customer IS NOT NULL AND on_date IS NOT NULL AND on_date <= CAST(? AS date)
      GROUP BY customer`,
    [
      c.customer, c.date, c.date, c.amount, c.amount, c.form, c.status ?? '', c.saleWhileRunning ?? [], c.status ?? '', NOT_A_SALE,
      today, source.rfmWindowDays, today, source.rfmWindowDays, today, source.abcWindowDays, today,
    ],
  );
  for (const row of contracts.rows) {
    const found = factsOf(row.customer);
    found.frequency = Number(row.frequency);
    found.monetary = Number(row.monetary);
    found.revenue = Number(row.revenue);
    found.lastActivityOn = row.last_on;
  }
  const activities = [source.visits];
  if (await db('forms').where({ key: source.payments.form }).first('key')) activities.push(source.payments);
  for (const activity of activities) {
    const result = await db.raw(
      `SELECT customer, CAST(max(on_date) AS text) AS last_on
         FROM (SELECT r.data->>? AS customer, ${dateOf} AS on_date FROM records r WHERE r.form_key = ?) a
        WHERE customer IS NOT NULL AND on_date <= CAST(? AS date) GROUP BY customer`,
      [activity.customer, activity.date, activity.date, activity.form, today],
    );
    for (const row of result.rows) {
      const found = factsOf(row.customer);
      if (found.lastActivityOn === null || row.last_on > found.lastActivityOn) found.lastActivityOn = row.last_on;
    }
  }
  for (const found of facts.values()) {
    if (found.lastActivityOn) found.recencyDays = daysBetween(found.lastActivityOn, today);
  }
  return facts;
}

/** Whole days from `from` to `to` (both YYYY-MM-DD). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}
