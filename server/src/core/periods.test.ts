import dayjs from 'dayjs';
import timezone from 'dayjs/plugin/timezone.js';
import utc from 'dayjs/plugin/utc.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { daysBetween, localDate, nextPeriod, periodContaining, periodOf, periodsBetween } from './periods.js';

describe('periods in Asia/Shanghai', () => {
  it('puts 06-30 23:30 local time in the first half-year, 07-01 00:00 local in the second', () => {
    // 2026-06-30 23:30 +08:00 is 15:30 UTC the same day
    expect(periodContaining('halfYear', '2026-06-30T15:30:00Z').key).toBe('2026-H1');
    // 2026-07-01 00:00 +08:00 is 2026-06-30 16:00 UTC: already H2 in Shanghai although June in UTC
    expect(periodContaining('halfYear', '2026-06-30T16:00:00Z').key).toBe('2026-H2');
  });

  it('puts 12-31 23:59 local in the year, 01-01 00:00 local in the next', () => {
    expect(periodContaining('year', '2026-12-31T15:59:59Z').key).toBe('2026');
    expect(periodContaining('year', '2026-12-31T16:00:00Z').key).toBe('2027');
    expect(periodContaining('quarter', '2026-12-31T16:00:00Z').key).toBe('2027-Q1');
  });

  it('gives boundaries as UTC instants of local midnight, end exclusive', () => {
    const h1 = periodOf('halfYear', 2026, 1);
    expect(h1.start.toISOString()).toBe('2025-12-31T16:00:00.000Z');
    expect(h1.end.toISOString()).toBe('2026-06-30T16:00:00.000Z');
    expect(h1.label).toBe('2026年上半年');
    expect(periodOf('quarter', 2026, 3)).toMatchObject({ key: '2026-Q3', label: '2026年第3季度' });
    expect(periodOf('month', 2026, 2).end.toISOString()).toBe('2026-02-28T16:00:00.000Z');
    expect(nextPeriod(periodOf('month', 2026, 12)).key).toBe('2027-01');
  });

  it('finds the same period as the Shanghai calendar of the time-zone data, at any moment and for every kind', () => {
    dayjs.extend(utc);
    dayjs.extend(timezone);
    const monthsPer = { month: 1, quarter: 3, halfYear: 6, year: 12 } as const;
    const expected = (kind: keyof typeof monthsPer, at: Date) => {
      const d = dayjs(at).tz('Asia/Shanghai');
      return periodOf(kind, d.year(), Math.floor(d.month() / monthsPer[kind]) + 1).key;
    };
    const kinds = fc.constantFrom('month', 'quarter', 'halfYear', 'year' as const);
    // 1980–2100, and close to local midnight on the first of a month, where a wrong offset shows
    const anyMoment = fc.date({ min: new Date('1980-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true });
    const nearBoundary = fc
      .tuple(fc.integer({ min: 1980, max: 2099 }), fc.integer({ min: 0, max: 11 }), fc.integer({ min: -2 * 3600, max: 2 * 3600 }))
      .map(([y, m, s]) => new Date(Date.UTC(y, m, 1) - 8 * 3600_000 + s * 1000));
    fc.assert(
      fc.property(kinds, fc.oneof(anyMoment, nearBoundary), (kind, at) => {
        expect(periodContaining(kind, at).key).toBe(expected(kind, at));
        expect(periodContaining(kind, at.toISOString()).key).toBe(expected(kind, at));
      }),
      { numRuns: 3000 },
    );
  });

  it('takes the time-zone data, not +08:00, where Shanghai kept summer time (1986–1991)', () => {
    // 1988-07-01 00:30 in Shanghai's summer time (+09:00) is 1988-06-30 15:30 UTC: the second half-year
    expect(periodContaining('halfYear', new Date('1988-06-30T15:30:00Z')).key).toBe('1988-H2');
    expect(periodContaining('month', '1988-06-30T15:30:00Z').key).toBe('1988-07');
  });

  it('steps to the next period: the one that starts where the last ends, across years, for every kind', () => {
    for (const kind of ['month', 'quarter', 'halfYear', 'year'] as const) {
      for (let p = periodOf(kind, 2025, 1), n = 0; n < 30; n++) {
        const next = nextPeriod(p);
        expect(next.start.getTime(), `${p.key}`).toBe(p.end.getTime());
        expect(next.key).toBe(periodContaining(kind, p.end).key);
        p = next;
      }
    }
  });

  it('hands out its own copy of a period: changing one does not change the next answer', () => {
    const first = periodOf('month', 2026, 5);
    first.start.setTime(0);
    first.label = 'changed';
    expect(periodOf('month', 2026, 5)).toMatchObject({ label: '2026年5月', start: new Date('2026-04-30T16:00:00.000Z') });
  });

  it('lists the periods overlapping a range', () => {
    const qs = periodsBetween('quarter', new Date('2026-02-10T00:00:00Z'), new Date('2026-08-01T00:00:00Z'));
    expect(qs.map((q) => q.key)).toEqual(['2026-Q1', '2026-Q2', '2026-Q3']);
  });

  it('refuses a period that does not exist', () => {
    expect(() => periodOf('halfYear', 2026, 3)).toThrow(RangeError);
    expect(() => periodOf('month', 2026, 0)).toThrow(RangeError);
  });

  it('counts calendar days in Shanghai for back-filled marks', () => {
    expect(localDate('2026-03-31T17:00:00Z')).toBe('2026-04-01');
    expect(daysBetween('2026-03-01T15:59:00Z', '2026-03-01T16:01:00Z')).toBe(1);
    expect(daysBetween('2026-01-01T02:00:00Z', '2026-02-15T02:00:00Z')).toBe(45);
  });
});
