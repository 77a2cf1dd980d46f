import { describe, expect, it } from 'vitest';
import { TimerError, checkTimer, nextCycle, resolveTimer, type TimerSchedule } from '../../engine/timers/index.ts';

const now = new Date('2026-01-01T00:02:00Z'); // a Thursday
const iso = (d: Date) => d.toISOString();

/** Due times of the first `n` firings, each fired exactly when due. */
function fire(first: TimerSchedule, n: number): Array<[string, number | null]> {
  const out: Array<[string, number | null]> = [];
  let s: TimerSchedule | null = first;
  for (let i = 0; i < n && s; i++) {
    out.push([iso(s.dueAt), s.remaining]);
    s = nextCycle(s, s.dueAt);
  }
  return out;
}

describe('durations', () => {
  it.each([
    ['PT5M', '2026-01-01T00:07:00.000Z'],
    ['P1DT2H', '2026-01-02T02:02:00.000Z'],
    ['PT0.5S', '2026-01-01T00:02:00.500Z'],
    ['PT1,5S', '2026-01-01T00:02:01.500Z'],
    ['P2W', '2026-01-15T00:02:00.000Z'],
    ['P1M', '2026-02-01T00:02:00.000Z'],
    ['P1Y', '2027-01-01T00:02:00.000Z'],
    [' pt30s ', '2026-01-01T00:02:30.000Z'],
  ])('%s', (value, due) => {
    const s = resolveTimer('duration', value, now);
    expect(iso(s.dueAt)).toBe(due);
    expect(s).toMatchObject({ kind: 'duration', value, remaining: 0 });
    expect(nextCycle(s, s.dueAt)).toBeNull();
  });
  it('clamps month ends like a calendar', () => {
    expect(iso(resolveTimer('duration', 'P1M', new Date('2026-01-31T08:00:00Z')).dueAt)).toBe('2026-02-28T08:00:00.000Z');
  });
});

describe('dates', () => {
  it.each([
    ['2026-12-01T10:00:00Z', '2026-12-01T10:00:00.000Z'],
    ['2026-12-01T10:00:00.250Z', '2026-12-01T10:00:00.250Z'],
    ['2026-12-01T10:00:00+08:00', '2026-12-01T02:00:00.000Z'],
    ['2026-12-01T10:00:00-0530', '2026-12-01T15:30:00.000Z'],
    ['2026-12-01T10:00', '2026-12-01T10:00:00.000Z'],
    ['2026-12-01', '2026-12-01T00:00:00.000Z'],
  ])('%s', (value, due) => {
    const s = resolveTimer('date', value, now);
    expect(iso(s.dueAt)).toBe(due);
    expect(s.remaining).toBe(0);
  });
  it('reads zone-less dates in the given time zone', () => {
    const s = resolveTimer('date', '2026-12-01T10:00:00', now, { timeZone: 'Asia/Shanghai' });
    expect(iso(s.dueAt)).toBe('2026-12-01T02:00:00.000Z');
    expect(iso(resolveTimer('date', '2026-07-01T10:00:00', now, { timeZone: 'Europe/Berlin' }).dueAt)).toBe('2026-07-01T08:00:00.000Z');
  });
  it('returns past dates as due at once', () => {
    expect(iso(resolveTimer('date', '2020-01-01T00:00:00Z', now).dueAt)).toBe('2020-01-01T00:00:00.000Z');
  });
});

describe('repeating intervals', () => {
  it('R3/PT1H fires three times from now', () => {
    expect(fire(resolveTimer('cycle', 'R3/PT1H', now), 5)).toEqual([
      ['2026-01-01T01:02:00.000Z', 2],
      ['2026-01-01T02:02:00.000Z', 1],
      ['2026-01-01T03:02:00.000Z', 0],
    ]);
  });
  it('R/PT1H is unbounded', () => {
    const fired = fire(resolveTimer('cycle', 'R/PT1H', now), 50);
    expect(fired).toHaveLength(50);
    expect(fired[49]).toEqual(['2026-01-03T02:02:00.000Z', null]);
  });
  it('restarts an unanchored cycle from the (late) firing time', () => {
    const s = resolveTimer('cycle', 'R/PT1H', now);
    expect(iso(nextCycle(s, new Date('2026-01-01T05:00:00Z'))!.dueAt)).toBe('2026-01-01T06:00:00.000Z');
  });
  it('R2/start/PT1H starts at the anchor', () => {
    expect(fire(resolveTimer('cycle', 'R2/2026-12-01T10:00:00Z/PT1H', now), 5)).toEqual([
      ['2026-12-01T10:00:00.000Z', 1],
      ['2026-12-01T11:00:00.000Z', 0],
    ]);
  });
  it('joins an anchored series that started in the past, skipping missed slots', () => {
    const s = resolveTimer('cycle', 'R5/2025-12-31T23:00:00Z/PT1H', now);
    expect([iso(s.dueAt), s.remaining]).toEqual(['2026-01-01T01:00:00.000Z', 2]);
    const late = nextCycle(s, new Date('2026-01-01T02:30:00Z'))!;
    expect([iso(late.dueAt), late.remaining]).toEqual(['2026-01-01T03:00:00.000Z', 0]);
    expect(nextCycle(late, late.dueAt)).toBeNull();
  });
  it('keeps monthly anchors on the 31st without drifting', () => {
    expect(fire(resolveTimer('cycle', 'R/2025-01-31T00:00:00Z/P1M', now), 3).map(([d]) => d)).toEqual([
      '2026-01-31T00:00:00.000Z', '2026-02-28T00:00:00.000Z', '2026-03-31T00:00:00.000Z',
    ]);
  });
  it('stops a period/end cycle at the end date', () => {
    expect(fire(resolveTimer('cycle', 'R/PT1H/2026-01-01T02:30:00Z', now), 5).map(([d]) => d)).toEqual([
      '2026-01-01T01:02:00.000Z', '2026-01-01T02:02:00.000Z',
    ]);
  });
  it('refuses a series with nothing left', () => {
    expect(() => resolveTimer('cycle', 'R2/2025-12-01T10:00:00Z/PT1H', now)).toThrow(/no occurrence/);
  });
});

describe('cron (Quartz)', () => {
  const cron = (value: string, n = 3, timeZone?: string) => {
    let s: TimerSchedule | null = resolveTimer('cycle', value, now, { timeZone });
    const out: string[] = [];
    for (let i = 0; i < n && s; i++) {
      expect(s.remaining).toBeNull();
      out.push(iso(s.dueAt));
      s = nextCycle(s, s.dueAt, { timeZone });
    }
    return out;
  };
  it('every five minutes', () => {
    expect(cron('0 0/5 * * * ?')).toEqual(['2026-01-01T00:05:00.000Z', '2026-01-01T00:10:00.000Z', '2026-01-01T00:15:00.000Z']);
  });
  it('fires strictly after now', () => {
    expect(iso(resolveTimer('cycle', '0 0/5 * * * ?', new Date('2026-01-01T00:05:00Z')).dueAt)).toBe('2026-01-01T00:10:00.000Z');
  });
  it('weekdays at noon, in a time zone', () => {
    expect(cron('0 0 12 ? * MON-FRI')).toEqual(['2026-01-01T12:00:00.000Z', '2026-01-02T12:00:00.000Z', '2026-01-05T12:00:00.000Z']);
    expect(cron('0 0 12 ? * MON-FRI', 1, 'Asia/Shanghai')).toEqual(['2026-01-01T04:00:00.000Z']);
  });
  it('uses Quartz day-of-week numbers (1 = Sunday)', () => {
    expect(cron('0 0 9 ? * 1', 1)).toEqual(['2026-01-04T09:00:00.000Z']); // Sunday
    expect(cron('0 0 9 ? * 2-3', 2)).toEqual(['2026-01-05T09:00:00.000Z', '2026-01-06T09:00:00.000Z']); // Mon, Tue
    expect(cron('0 0 12 ? * 2#1', 2)).toEqual(['2026-01-05T12:00:00.000Z', '2026-02-02T12:00:00.000Z']); // first Monday
    expect(cron('0 0 12 ? * 6L', 1)).toEqual(['2026-01-30T12:00:00.000Z']); // last Friday
    expect(cron('0 0 12 ? * L', 1)).toEqual(['2026-01-03T12:00:00.000Z']); // Saturday
  });
  it('last day of month and the optional year field', () => {
    expect(cron('0 30 8 L * ?', 2)).toEqual(['2026-01-31T08:30:00.000Z', '2026-02-28T08:30:00.000Z']);
    expect(cron('0 0 0 1 1 ? 2028/2')).toEqual(['2028-01-01T00:00:00.000Z', '2030-01-01T00:00:00.000Z', '2032-01-01T00:00:00.000Z']);
    expect(cron('0 0 0 1 1 ? 2027-2028', 5)).toEqual(['2027-01-01T00:00:00.000Z', '2028-01-01T00:00:00.000Z']);
    expect(() => resolveTimer('cycle', '0 0 12 * * ? 2020', now)).toThrow(/no occurrence/);
  });
});

describe('invalid timers', () => {
  it.each([
    ['duration', ''], ['duration', 'P'], ['duration', 'PT'], ['duration', 'P1DT'], ['duration', '5M'], ['duration', '-PT5M'],
    ['duration', 'P1.5Y'], ['date', 'tomorrow'], ['date', '2026-02-30T10:00:00Z'], ['date', '2026-12-01T25:00:00Z'],
    ['date', '2026-12-01T10:00:00+19:00'], ['date', 'PT5M'], ['cycle', 'PT1H'], ['cycle', 'R0/PT1H'], ['cycle', 'R/PT0S'],
    ['cycle', 'Rx/PT1H'], ['cycle', 'R3'], ['cycle', 'R3/a/b/c'], ['cycle', 'R2/nope/PT1H'], ['cycle', '* * * * *'],
    ['cycle', '0 0 12 1 * 2'], ['cycle', '0 0 12 ? * 8'], ['cycle', '0 61 * * * ?'], ['cycle', '0 0 12 15W * ?'],
    ['cycle', 'H 0 12 * * ?'], ['cycle', '0 0 0 30 2 ?'], ['cycle', '0 0 12 * * ? 1900'], ['cycle', 'every day'],
  ] as const)('%s %j', (kind, value) => {
    expect(checkTimer(kind, value)).toEqual(expect.any(String));
    expect(() => resolveTimer(kind, value, now)).toThrow(TimerError);
  });
  it('accepts valid timers', () => {
    expect(checkTimer('duration', 'PT5M')).toBeNull();
    expect(checkTimer('date', '2026-12-01T10:00:00Z')).toBeNull();
    expect(checkTimer('cycle', 'R2/2026-12-01T10:00:00Z/PT1H')).toBeNull();
    expect(checkTimer('cycle', '0 0/5 * * * ?')).toBeNull();
  });
  it('names the timer text and rejects unknown time zones', () => {
    expect(checkTimer('duration', 'soon')).toContain('"soon"');
    expect(checkTimer('date', '2026-12-01T10:00:00', { timeZone: 'Mars/Olympus' })).toMatch(/Unknown time zone/);
  });
});
