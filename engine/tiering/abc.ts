/**
 * ABC analysis (pure; no database): customers ranked by revenue, descending; the top of the
 * ranking that makes up 80 % of all revenue is A, the next 15 % (to 95 %) is B, the rest C.
 *
 * Boundary rule (the usual Pareto convention): a customer is A when the cumulative share of
 * the customers ranked BEFORE it is still below 80 % — so the customer whose own share makes
 * the cumulative total first reach or cross 80 % is A too; likewise for B at 95 %.
 * Ties: customers with equal revenue form one group that gets one tier, decided by the share
 * before the group (the order inside a group would otherwise decide a tier arbitrarily); the
 * ranking lists a group by customer key, so the output is deterministic.
 * Zero (or negative, i.e. net refunds) revenue is always C; with no revenue at all, all are C.
 * Amounts are compared in whole cents with BigInt, so 80 % is exact, not a float's idea of it.
 */
export type Tier = 'A' | 'B' | 'C';

export interface RevenueEntry {
  /** The customer's identity (the key-account app links records by customer name). */
  customer: string;
  revenue: number;
}

export interface AbcThresholds {
  /** Cumulative share (0–1) that A covers; 0.8. */
  a: number;
  /** Cumulative share (0–1) that A and B cover together; 0.95. */
  b: number;
}

export const DEFAULT_ABC_THRESHOLDS: AbcThresholds = { a: 0.8, b: 0.95 };

export interface AbcRow {
  customer: string;
  revenue: number;
  /** 1-based position in the ranking (ties: consecutive positions, by customer key). */
  rank: number;
  /** Cumulative share of revenue up to and including this customer's tie group, 0–1. */
  cumulativeShare: number;
  tier: Tier;
}

const cents = (amount: number): bigint => (Number.isFinite(amount) && amount > 0 ? BigInt(Math.round(amount * 100)) : 0n);
/** A share 0–1 as parts per million, so the comparison stays in integers. */
const ppm = (share: number): bigint => BigInt(Math.round(share * 1_000_000));

export function abcTiers(entries: readonly RevenueEntry[], thresholds: AbcThresholds = DEFAULT_ABC_THRESHOLDS): AbcRow[] {
  const ranked = entries
    .map((entry) => ({ customer: entry.customer, revenue: entry.revenue, cents: cents(entry.revenue) }))
    .sort((x, y) => (x.cents === y.cents ? compareKeys(x.customer, y.customer) : x.cents > y.cents ? -1 : 1));
  const total = ranked.reduce((sum, row) => sum + row.cents, 0n);
  const rows: AbcRow[] = [];
  let before = 0n;
  let index = 0;
  while (index < ranked.length) {
    // One tie group: [index, end).
    let end = index;
    let groupSum = 0n;
    while (end < ranked.length && ranked[end]!.cents === ranked[index]!.cents) groupSum += ranked[end++]!.cents;
    const tier = tierAfter(before, ranked[index]!.cents, total, thresholds);
    const cumulative = before + groupSum;
    for (let i = index; i < end; i++) {
      const row = ranked[i]!;
      rows.push({
        customer: row.customer,
        revenue: row.revenue,
        rank: i + 1,
        cumulativeShare: total === 0n ? 0 : Number((cumulative * 1_000_000n) / total) / 1_000_000,
        tier,
      });
    }
    before = cumulative;
    index = end;
  }
  return rows;
}

/** The tier of a group whose revenue is `amount` each, with `before` cents ranked ahead of it. */
function tierAfter(before: bigint, amount: bigint, total: bigint, thresholds: AbcThresholds): Tier {
  if (amount === 0n || total === 0n) return 'C';
  // before / total < a  ⇔  before · 10⁶ < a · 10⁶ · total
  if (before * 1_000_000n < ppm(thresholds.a) * total) return 'A';
  if (before * 1_000_000n < ppm(thresholds.b) * total) return 'B';
  return 'C';
}

/** Code-point order: the same on every machine and locale. */
export function compareKeys(x: string, y: string): number {
  return x < y ? -1 : x > y ? 1 : 0;
}
