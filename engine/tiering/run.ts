/**
 * One tiering run of an app: read the facts, compute tiers and RFM scores (compute.ts), write
 * them to every customer record through the record update command — the same validation,
 * versioning and `record.updated` automations as a person's edit — in batches of
 * BATCH_SIZE records, one transaction per batch (each update a savepoint inside it).
 *
 * A run recomputes everything from the records, so running it twice, or two at once, ends
 * in the same values; two concurrent runs serialize on the records' row locks, taken in id
 * order so they cannot deadlock. Only the fields the customer form's latest version has are
 * written: an admin who removed `rfm` from the form still gets tiers.
 */
import { updateRecord } from '../commands/updateRecord.ts';
import { runCommand, type CommandDeps } from '../commands/runCommand.ts';
import { ValidationError } from '../errors.ts';
import { compiledForm } from '../forms/compiled.ts';
import type { AuthUser } from '../identity/types.ts';
import type { Tier } from './abc.ts';
import { tierCustomers, type CustomerTiering } from './compute.ts';
import { customerFacts, customerRows } from './facts.ts';
import { localDate, type TieringSource } from './source.ts';
import { decryptPersonal } from '../privacy/crypto.ts';

export const BATCH_SIZE = 100;

export interface TieringSummary {
  app: string;
  /** When the run computed (written to each record's `tier_computed_at`). */
  computedAt: string;
  /** The date "today" was in the app's time zone: the windows end there. */
  asOf: string;
  /** Customer records written. */
  customers: number;
  tiers: Record<Tier, number>;
}

type Properties = Record<string, { properties?: Record<string, unknown> } | undefined>;

export async function runTiering(deps: CommandDeps, source: TieringSource, actor: AuthUser): Promise<TieringSummary> {
  const at = deps.clock();
  const asOf = localDate(at, source.timeZone);
  const form = await compiledForm(deps.db, source.customers.form);
  const properties = ((form.schema as { properties?: Properties }).properties ?? {}) as Properties;
  if (!properties.tier) {
    throw new ValidationError(`Form "${source.customers.form}" has no field "tier" to write the tiers to`, [
      { pointer: `/forms/${source.customers.form}/schema/properties/tier`, message: 'missing' },
    ], 'tiering_form_mismatch');
  }
  const rows = await customerRows(deps.db, source);
  const results = tierCustomers(rows.map((row) => row.customer), await customerFacts(deps.db, source, asOf));
  const computedAt = at.toISOString();
  const summary: TieringSummary = { app: source.app, computedAt, asOf, customers: 0, tiers: { A: 0, B: 0, C: 0 } };

  for (let start = 0; start < rows.length; start += BATCH_SIZE) {
    const batch = rows.slice(start, start + BATCH_SIZE);
    await runCommand(deps, async (_uow, scope) => {
      const current = await scope.trx('records')
        .where('form_key', source.customers.form)
        .whereIn('id', batch.map((row) => row.id))
        .orderBy('id')
        .forUpdate()
        .select('id', 'data');
      for (const record of current as Array<{ id: string; data: Record<string, unknown> }>) {
        // Raw rows hold personal values encrypted (engine/privacy/crypto.ts).
        record.data = decryptPersonal(record.data);
        const customer = record.data[source.customers.key];
        const result = typeof customer === 'string' ? results.get(customer) : undefined;
        if (!result) continue; // renamed since the facts were read: the next run tiers it
        const data = withTiering(record.data, result, computedAt, properties);
        await updateRecord(scope.nested(), { formKey: source.customers.form, id: record.id, data, user: actor, locale: 'en' });
        summary.customers += 1;
        summary.tiers[result.tier] += 1;
      }
    });
  }
  return summary;
}

/**
 * The record's data with the tiering fields the form has set, and those it lacks removed
 * (tiering owns them: a value left from before an admin dropped the field would fail the
 * form's validation); everything else kept.
 */
export function withTiering(
  data: Record<string, unknown>,
  result: CustomerTiering,
  computedAt: string,
  properties: Properties,
): Record<string, unknown> {
  const next: Record<string, unknown> = { ...data, tier: result.tier, tier_revenue: result.revenue, tier_computed_at: computedAt };
  for (const field of ['tier_revenue', 'tier_computed_at']) if (!properties[field]) delete next[field];
  const rfm = properties.rfm?.properties;
  const scores: Record<string, unknown> = { ...((data.rfm as Record<string, unknown> | undefined) ?? {}) };
  for (const field of ['recency', 'frequency', 'monetary', 'score', 'segment'] as const) {
    if (rfm?.[field]) scores[field] = result.rfm[field];
    else delete scores[field];
  }
  if (rfm || Object.keys(scores).length) next.rfm = scores;
  else delete next.rfm;
  return next;
}
