/**
 * RFM scores (pure; no database): recency, frequency and monetary value, each 1–5 by
 * quintiles of the customers that have any activity, 5 best.
 *
 * Quintile rule: a customer's score is ⌈5 · cume_dist⌉, where cume_dist is the share of the
 * scored customers whose value is as good as or worse than theirs (PostgreSQL's `cume_dist`).
 * Ten customers with distinct values score 1,1,2,2,3,3,4,4,5,5; customers with equal values
 * always share a score (the higher one), so the order of input never matters; the best value
 * always scores 5 (a single active customer is 5 on all three).
 * Recency: fewer days since the last activity is better. Frequency and monetary: more is
 * better — but 0 (nothing in the window) is always 1.
 * A customer with no activity at all (no last date) gets 1 on all three and is left out of
 * the population the others are ranked in.
 */
export interface RfmInput {
  customer: string;
  /** Days since the last activity (≥ 0), null when there was none. */
  recencyDays: number | null;
  /** Activities in the window. */
  frequency: number;
  /** Money in the window. */
  monetary: number;
}

export type RfmSegment =
  | 'important_value'
  | 'important_retain'
  | 'important_develop'
  | 'important_winback'
  | 'general_value'
  | 'general_retain'
  | 'general_develop'
  | 'general_winback';

export interface RfmRow {
  customer: string;
  recency: number;
  frequency: number;
  monetary: number;
  /** The three digits, e.g. "545". */
  score: string;
  segment: RfmSegment;
}

/** 1–5 for each value; `better(x, y)` > 0 when x is better than y. Equal values share a score. */
export function quintileScores(values: readonly number[], better: (x: number, y: number) => number): number[] {
  const n = values.length;
  if (n === 0) return [];
  const sorted = [...values].sort(better); // worst first
  return values.map((value) => {
    // Count of values as good as or worse than this one: the last index not better than it.
    let low = 0;
    let high = n;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (better(sorted[mid]!, value) <= 0) low = mid + 1;
      else high = mid;
    }
    return Math.max(1, Math.ceil((5 * low) / n));
  });
}

const higherIsBetter = (x: number, y: number): number => x - y;
const lowerIsBetter = (x: number, y: number): number => y - x;

export function rfmScores(inputs: readonly RfmInput[]): RfmRow[] {
  const active = inputs.filter((input) => input.recencyDays !== null);
  const r = quintileScores(active.map((input) => input.recencyDays!), lowerIsBetter);
  const f = quintileScores(active.map((input) => input.frequency), higherIsBetter);
  const m = quintileScores(active.map((input) => input.monetary), higherIsBetter);
  const scored = new Map<RfmInput, [number, number, number]>();
  active.forEach((input, i) => {
    scored.set(input, [r[i]!, input.frequency > 0 ? f[i]! : 1, input.monetary > 0 ? m[i]! : 1]);
  });
  return inputs.map((input) => {
    const [recency, frequency, monetary] = scored.get(input) ?? [1, 1, 1];
    return { customer: input.customer, recency, frequency, monetary, score: `${recency}${frequency}${monetary}`, segment: segmentOf(recency, frequency, monetary) };
  });
}

/**
 * The usual eight RFM groups (重要价值 … 一般挽留): each score is "high" from 3 up (the middle
 * quintile and better), then monetary decides important/general, recency and frequency the rest.
 */
export function segmentOf(recency: number, frequency: number, monetary: number): RfmSegment {
  const r = recency >= 3;
  const f = frequency >= 3;
  const kind = monetary >= 3 ? 'important' : 'general';
  const state = r && f ? 'value' : !r && f ? 'retain' : r && !f ? 'develop' : 'winback';
  return `${kind}_${state}` as RfmSegment;
}
