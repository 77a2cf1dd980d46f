/** Customer tiering: ABC and RFM against small examples computed by hand (engine/tiering). */
import { describe, expect, it } from 'vitest';
import { abcTiers } from '../../engine/tiering/abc.ts';
import { tierCustomers } from '../../engine/tiering/compute.ts';
import { daysBetween } from '../../engine/tiering/facts.ts';
import { quintileScores, rfmScores, segmentOf } from '../../engine/tiering/rfm.ts';
import { withTiering } from '../../engine/tiering/run.ts';
import { localDate } from '../../engine/tiering/source.ts';

const tiersOf = (rows: ReturnType<typeof abcTiers>) => Object.fromEntries(rows.map((row) => [row.customer, row.tier]));

describe('ABC analysis', () => {
  it('ranks by revenue and cuts at 80 % and 95 % of the total, the crossing customer inside the band', () => {
    // Total 1000. Ranked: 甲 500 (before 0 % → A; cum 50 %), 乙 200 (before 50 % → A; cum 70 %),
    // 丙 150 (before 70 % < 80 % → A; its cum 85 % crosses 80 %), 丁 100 (before 85 % ≥ 80, < 95 → B; cum 95 %),
    // 戊 50 (before 95 %, not < 95 → C; cum 100 %), 己 0 (zero revenue → C).
    const rows = abcTiers([
      { customer: '戊', revenue: 50 },
      { customer: '甲', revenue: 500 },
      { customer: '己', revenue: 0 },
      { customer: '丙', revenue: 150 },
      { customer: '乙', revenue: 200 },
      { customer: '丁', revenue: 100 },
    ]);
    expect(rows.map((row) => [row.customer, row.rank, row.cumulativeShare, row.tier])).toEqual([
      ['甲', 1, 0.5, 'A'],
      ['乙', 2, 0.7, 'A'],
      ['丙', 3, 0.85, 'A'],
      ['丁', 4, 0.95, 'B'],
      ['戊', 5, 1, 'C'],
      ['己', 6, 1, 'C'],
    ]);
  });

  it('ends A exactly at 80 %: the next customer starts B', () => {
    // P 80 of 100: before 0 → A, cum exactly 80 %; Q: before 80 %, not < 80 → B (< 95).
    expect(tiersOf(abcTiers([{ customer: 'P', revenue: 80 }, { customer: 'Q', revenue: 20 }]))).toEqual({ P: 'A', Q: 'B' });
  });

  it('gives customers with equal revenue one tier, decided by the share before them', () => {
    // Total 100: P 85 → A (cum 85 %). Q, R, S 5 each form one group; before it 85 % < 95 % → all B
    // (one by one, S would start at 95 % and be C: the order among equals must not decide).
    const rows = abcTiers(['S', 'Q', 'P', 'R'].map((customer) => ({ customer, revenue: customer === 'P' ? 85 : 5 })));
    expect(tiersOf(rows)).toEqual({ P: 'A', Q: 'B', R: 'B', S: 'B' });
    // Equals are listed by key, whatever the input order.
    expect(rows.map((row) => row.customer)).toEqual(['P', 'Q', 'R', 'S']);
  });

  it('handles one customer, nobody, zero and negative revenue, and cents', () => {
    expect(tiersOf(abcTiers([{ customer: 'only', revenue: 10 }]))).toEqual({ only: 'A' });
    expect(tiersOf(abcTiers([{ customer: 'only', revenue: 0 }]))).toEqual({ only: 'C' });
    expect(abcTiers([])).toEqual([]);
    expect(tiersOf(abcTiers([{ customer: 'x', revenue: 0 }, { customer: 'y', revenue: -5 }]))).toEqual({ x: 'C', y: 'C' });
    // 0.1 + 0.2 style sums: 80 % of 1.00 is exactly 0.80 in cents. 0.80 → A (cum 80 %), 0.15 → B (before 80 %), 0.05 → C (before 95 %).
    const cents = abcTiers([{ customer: 'a', revenue: 0.8 }, { customer: 'b', revenue: 0.15 }, { customer: 'c', revenue: 0.05 }]);
    expect(tiersOf(cents)).toEqual({ a: 'A', b: 'B', c: 'C' });
  });
});

describe('RFM scores', () => {
  it('scores ⌈5 · cume_dist⌉: ten distinct values give two of each score', () => {
    const values = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    // Value k has k values as good or worse: ⌈5k/10⌉ = ⌈k/2⌉.
    expect(quintileScores(values, (x, y) => x - y)).toEqual([1, 1, 2, 2, 3, 3, 4, 4, 5, 5]);
    // Lower is better: reversed.
    expect(quintileScores(values, (x, y) => y - x)).toEqual([5, 5, 4, 4, 3, 3, 2, 2, 1, 1]);
    expect(quintileScores([7, 7, 7], (x, y) => x - y)).toEqual([5, 5, 5]);
    expect(quintileScores([], (x, y) => x - y)).toEqual([]);
  });

  it('matches a hand-computed example; no activity gets 1s', () => {
    // Five active customers (n = 5), score = ⌈5 · (count as good or worse) / 5⌉ = that count.
    // R (days, fewer better): c1 10 → 5; c2, c3 30 → 4 values ≥ 30 days → 4; c4 200 → 2; c5 400 → 1.
    // F (more better): c1 3 → 5; c3 2 → 4; c2, c5 1 → {0,1,1} ∪ … = 3 as good or worse → 3; c4 0 → 1 (zero is 1).
    // M (more better): c1 1000 → 5; c3 500 → 4; c2 100 → 3; c5 50 → 2; c4 0 → 1.
    // c6 has never had any activity → 1, 1, 1 and is not in the population.
    const rows = rfmScores([
      { customer: 'c1', recencyDays: 10, frequency: 3, monetary: 1000 },
      { customer: 'c2', recencyDays: 30, frequency: 1, monetary: 100 },
      { customer: 'c3', recencyDays: 30, frequency: 2, monetary: 500 },
      { customer: 'c4', recencyDays: 200, frequency: 0, monetary: 0 },
      { customer: 'c5', recencyDays: 400, frequency: 1, monetary: 50 },
      { customer: 'c6', recencyDays: null, frequency: 0, monetary: 0 },
    ]);
    expect(rows.map((row) => [row.customer, row.score, row.segment])).toEqual([
      ['c1', '555', 'important_value'],
      ['c2', '433', 'important_value'],
      ['c3', '444', 'important_value'],
      ['c4', '211', 'general_winback'],
      ['c5', '132', 'general_retain'],
      ['c6', '111', 'general_winback'],
    ]);
  });

  it('gives a single active customer 5s, and names the eight segments by high (≥ 3) and low', () => {
    expect(rfmScores([{ customer: 'only', recencyDays: 0, frequency: 1, monetary: 9 }])[0]).toMatchObject({ score: '555' });
    expect(rfmScores([])).toEqual([]);
    expect([segmentOf(5, 5, 5), segmentOf(1, 5, 5), segmentOf(5, 1, 5), segmentOf(1, 1, 5)]).toEqual([
      'important_value', 'important_retain', 'important_develop', 'important_winback',
    ]);
    expect([segmentOf(3, 3, 2), segmentOf(2, 3, 2), segmentOf(3, 2, 2), segmentOf(2, 2, 2)]).toEqual([
      'general_value', 'general_retain', 'general_develop', 'general_winback',
    ]);
  });
});

describe('tiering a customer list', () => {
  it('combines the facts into tier and scores per customer; unknown customers are C 111', () => {
    const facts = new Map([
      ['甲', { revenue: 900, frequency: 2, monetary: 900, lastActivityOn: '2026-11-01', recencyDays: 30 }],
      ['乙', { revenue: 100, frequency: 0, monetary: 0, lastActivityOn: '2025-01-01', recencyDays: 699 }],
    ]);
    const result = tierCustomers(['甲', '乙', '丙', '甲'], facts);
    // 甲 900/1000 → A; 乙: before 90 % → B; 丙 no revenue → C.
    expect([...result.keys()]).toEqual(['甲', '乙', '丙']);
    expect(result.get('甲')).toMatchObject({ tier: 'A', revenue: 900, rfm: { score: '555' } });
    // 乙 R: 2 active, 699 days is the worse: ⌈5·1/2⌉ = 3; F, M 0 → 1.
    expect(result.get('乙')).toMatchObject({ tier: 'B', rfm: { recency: 3, frequency: 1, monetary: 1, score: '311' } });
    expect(result.get('丙')).toMatchObject({ tier: 'C', revenue: 0, rfm: { score: '111', segment: 'general_winback' } });
  });

  it('writes only the fields the form has, keeping the rest of the record', () => {
    const result = { tier: 'B' as const, revenue: 5, rfm: { recency: 2, frequency: 3, monetary: 4, score: '234', segment: 'important_develop' as const } };
    const full = { tier: {}, tier_revenue: {}, tier_computed_at: {}, rfm: { properties: { recency: {}, frequency: {}, monetary: {}, score: {}, segment: {} } } };
    expect(withTiering({ name: 'x', tier: 'A', rfm: { recency: 5 } }, result, '2026-12-01T00:00:00.000Z', full)).toEqual({
      name: 'x', tier: 'B', tier_revenue: 5, tier_computed_at: '2026-12-01T00:00:00.000Z',
      rfm: { recency: 2, frequency: 3, monetary: 4, score: '234', segment: 'important_develop' },
    });
    expect(withTiering({ name: 'x', tier: 'A' }, result, 'now', { tier: {} })).toEqual({ name: 'x', tier: 'B' });
    // Left from before the admin dropped the fields: removed, or the form would refuse the record.
    const stale = { name: 'x', tier: 'A', tier_revenue: 1, tier_computed_at: 'then', rfm: { recency: 1, score: '111' } };
    expect(withTiering(stale, result, 'now', { tier: {} })).toEqual({ name: 'x', tier: 'B' });
    expect(withTiering(stale, result, 'now', { tier: {}, rfm: { properties: { recency: {} } } })).toEqual({ name: 'x', tier: 'B', rfm: { recency: 2 } });
  });

  it('counts days between local dates, "today" in the app\'s zone', () => {
    expect(daysBetween('2025-12-31', '2026-03-01')).toBe(60);
    // 20:00 UTC on 1 December is already 2 December in Shanghai.
    expect(localDate(new Date('2026-12-01T20:00:00Z'), 'Asia/Shanghai')).toBe('2026-12-02');
  });
});
