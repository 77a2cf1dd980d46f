/**
 * The chart query's pure parts: relative dates are days in Asia/Shanghai (a UTC evening is
 * already tomorrow there), and the structural check names each bad part with a pointer.
 */
import { describe, expect, it } from 'vitest';
import { relativeDate } from '../../engine/analytics/filters.ts';
import { checkChartQuery } from '../../engine/analytics/query.ts';

describe('relative dates', () => {
  // 31 March 17:00 UTC is 1 April 01:00 in Beijing.
  const now = new Date('2026-03-31T17:00:00Z');
  it('count from today in Asia/Shanghai', () => {
    expect(relativeDate('today', now)).toBe('2026-04-01');
    expect(relativeDate('today-1d', now)).toBe('2026-03-31');
    expect(relativeDate('today+2w', now)).toBe('2026-04-15');
    expect(relativeDate('today-1m', now)).toBe('2026-03-01');
    expect(relativeDate('today-1y', now)).toBe('2025-04-01');
  });
  it('are only what the pattern says', () => {
    expect(relativeDate('tomorrow', now)).toBeUndefined();
    expect(relativeDate('today-1h', now)).toBeUndefined();
    expect(relativeDate('today-99999d', now)).toBeUndefined();
  });
});

describe('checkChartQuery', () => {
  const pointers = (body: unknown) => {
    try {
      checkChartQuery(body);
      return [];
    } catch (error) {
      return ((error as { details: { pointer: string }[] }).details ?? []).map((detail) => detail.pointer);
    }
  };
  it('accepts the contract\'s shapes', () => {
    expect(pointers({ source: { kind: 'records', formKey: 'complaint', subForm: 'payments' }, measures: [{ agg: 'p90', duration: { from: 'a', to: 'b', unit: 'hour' } }] })).toEqual([]);
    expect(pointers({ source: { kind: 'tasks', definitionKey: 'x' }, dimensions: [{ field: 'createdAt', bucket: 'quarter' }] })).toEqual([]);
  });
  it('names each bad part', () => {
    expect(pointers({ source: { kind: 'records', formKey: 'x' }, measures: [{ agg: 'count' }, { agg: 'mean' }] })).toContain('/measures/1/agg');
    expect(pointers({ source: { kind: 'records', formKey: 'x' }, dimensions: [{ field: 'a', bucket: 'hour' }] })).toContain('/dimensions/0/bucket');
    expect(pointers({ source: { kind: 'records', formKey: 'x' }, limit: 1001 })).toContain('/limit');
    expect(pointers({ source: { kind: 'records', formKey: 'x' }, filters: [{ field: 'a', op: 'like', value: 1 }] })).toContain('/filters/0/op');
    expect(pointers({ source: { kind: 'records', formKey: 'x' }, extra: 1 })).toContain('/extra');
    expect(pointers({ source: { kind: 'records', formKey: 'x' }, dimensions: [{}, {}, {}, {}] }).length).toBeGreaterThan(0);
  });
});
