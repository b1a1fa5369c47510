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
