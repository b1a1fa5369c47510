/**
 * Periods (月/季/半年/年) in Asia/Shanghai: the one helper that decides which period a moment falls in and
 * where a period starts and ends, so that "a meeting on 06-30 23:30 local counts for the first half-year"
 * holds in every module (rules and compliance, report windows, assessment cycles, the ledger).
 * Times are stored in UTC; boundaries are computed in the Shanghai calendar.
 */
import dayjs, { type Dayjs } from 'dayjs';
import timezone from 'dayjs/plugin/timezone.js';
import utc from 'dayjs/plugin/utc.js';

dayjs.extend(utc);
dayjs.extend(timezone);

export const TIME_ZONE = 'Asia/Shanghai';
export const periodKinds = ['month', 'quarter', 'halfYear', 'year'] as const;
export type PeriodKind = (typeof periodKinds)[number];

export interface Period {
  kind: PeriodKind;
  year: number;
  /** month 1–12, quarter 1–4, half 1–2, year 1 */
  index: number;
  /** inclusive start, UTC instant of local 00:00 on the first day */
  start: Date;
  /** exclusive end, UTC instant of local 00:00 on the first day of the next period */
  end: Date;
  /** e.g. 2026年上半年, 2026年第3季度, 2026年7月, 2026年 */
  label: string;
  /** stable key, e.g. 2026-H1, 2026-Q3, 2026-07, 2026 */
  key: string;
}

const monthsOf: Record<PeriodKind, number> = { month: 1, quarter: 3, halfYear: 6, year: 12 };

function local(at: Date | string): Dayjs {
  return dayjs(at).tz(TIME_ZONE);
}

/**
 * Periods computed so far, by kind, year and index. A period is a pure function of the three, and dayjs's
 * time-zone conversion is slow (Intl formatting): the dashboard alone asks for 13 months per request, and under
 * load that conversion was 8 % of the server's CPU (bench/BENCHMARKS.md). Bounded: 24 periods per year asked for.
 */
const periodCache = new Map<string, Period>();

/** The period of `kind` with number `index` in `year`. */
export function periodOf(kind: PeriodKind, year: number, index = 1): Period {
  const cacheKey = `${kind}:${year}:${index}`;
  let p = periodCache.get(cacheKey);
  if (!p) {
    p = computePeriod(kind, year, index);
    periodCache.set(cacheKey, p);
  }
  // a copy: callers own their Dates
  return { ...p, start: new Date(p.start), end: new Date(p.end) };
}

/** Local 00:00 on the first of `month0` (0-based) in `year`. */
function localMidnightOnFirst(year: number, month0: number): Dayjs {
  return dayjs.tz(`${year}-${String(month0 + 1).padStart(2, '0')}-01 00:00`, TIME_ZONE);
}

function computePeriod(kind: PeriodKind, year: number, index: number): Period {
  const span = monthsOf[kind];
  const count = 12 / span;
  if (!Number.isInteger(year) || !Number.isInteger(index) || index < 1 || index > count) {
    throw new RangeError(`no ${kind} number ${index} in a year`);
  }
  const firstMonth = (index - 1) * span; // 0-based
  const start = localMidnightOnFirst(year, firstMonth);
  // not start.add(span, 'month'): that keeps start's offset, and the end must be the next period's start
  // where the offset changed in between (Shanghai's summer time of 1986–1991)
  const end = localMidnightOnFirst(year + Math.floor((firstMonth + span) / 12), (firstMonth + span) % 12);
  const labels: Record<PeriodKind, string> = {
    month: `${year}年${index}月`,
    quarter: `${year}年第${index}季度`,
    halfYear: `${year}年${index === 1 ? '上' : '下'}半年`,
    year: `${year}年`,
  };
  const keys: Record<PeriodKind, string> = {
    month: `${year}-${String(index).padStart(2, '0')}`,
    quarter: `${year}-Q${index}`,
    halfYear: `${year}-H${index}`,
    year: `${year}`,
  };
  return { kind, year, index, start: start.toDate(), end: end.toDate(), label: labels[kind], key: keys[kind] };
}

/**
 * Shanghai's offset from UTC today (+08:00, no daylight saving since 1991): a guess that `periodContaining`
 * checks against the period's own boundaries, which dayjs computed from the time-zone data. A moment where the
 * guess is wrong (an old one, or new time-zone rules) takes the slow path through dayjs.
 */
const GUESS_OFFSET_MS = 8 * 3600_000;

/** The period of `kind` that contains the moment `at` (in the Shanghai calendar). */
export function periodContaining(kind: PeriodKind, at: Date | string): Period {
  // the time-zone conversion is what costs (Intl formatting per call); parsing does not
  const t = typeof at === 'string' ? dayjs(at).valueOf() : at.getTime();
  if (Number.isFinite(t)) {
    const guess = new Date(t + GUESS_OFFSET_MS);
    const year = guess.getUTCFullYear();
    if (year >= 1 && year <= 9999) {
      const p = periodOf(kind, year, Math.floor(guess.getUTCMonth() / monthsOf[kind]) + 1);
      if (p.start.getTime() <= t && t < p.end.getTime()) return p;
    }
  }
  const d = local(at);
  const index = Math.floor(d.month() / monthsOf[kind]) + 1;
  return periodOf(kind, d.year(), index);
}

/** The period right after `p`. */
export function nextPeriod(p: Period): Period {
  const count = 12 / monthsOf[p.kind];
  return p.index < count ? periodOf(p.kind, p.year, p.index + 1) : periodOf(p.kind, p.year + 1, 1);
}

/** The periods of `kind` that overlap [from, to). */
export function periodsBetween(kind: PeriodKind, from: Date, to: Date): Period[] {
  const out: Period[] = [];
  for (let p = periodContaining(kind, from); p.start < to; p = nextPeriod(p)) out.push(p);
  return out;
}

/** Local calendar date (YYYY-MM-DD) of a moment, in Shanghai. */
export function localDate(at: Date | string): string {
  return local(at).format('YYYY-MM-DD');
}

/** Whole days from `happenedAt` to `enteredAt` in the Shanghai calendar (for 补录 / back-filled marks). */
export function daysBetween(happenedAt: Date | string, enteredAt: Date | string): number {
  return local(enteredAt).startOf('day').diff(local(happenedAt).startOf('day'), 'day');
}
