import dayjs, { type Dayjs } from 'dayjs';
import 'dayjs/locale/zh-cn';
import timezone from 'dayjs/plugin/timezone';
import utc from 'dayjs/plugin/utc';

dayjs.extend(utc);
dayjs.extend(timezone);
dayjs.locale('zh-cn');

/** Every date is stored in UTC and shown in China Standard Time. */
export const TZ = 'Asia/Shanghai';

export { dayjs };

type DateInput = string | number | Date | Dayjs | null | undefined;

function inTz(value: DateInput): Dayjs | null {
  if (value === null || value === undefined || value === '') return null;
  const d = dayjs(value);
  return d.isValid() ? d.tz(TZ) : null;
}

/** `2026-03-01 14:05:09` */
export function formatDateTime(value: DateInput, empty = '—'): string {
  return inTz(value)?.format('YYYY-MM-DD HH:mm:ss') ?? empty;
}

/** `2026-03-01 14:05` */
export function formatDateTimeShort(value: DateInput, empty = '—'): string {
  return inTz(value)?.format('YYYY-MM-DD HH:mm') ?? empty;
}

/** `2026-03-01` */
export function formatDate(value: DateInput, empty = '—'): string {
  return inTz(value)?.format('YYYY-MM-DD') ?? empty;
}

/** `刚刚`, `5分钟前`, `3小时前`, else the short date-time. */
export function formatRelative(value: DateInput, now: number = Date.now()): string {
  const d = inTz(value);
  if (!d) return '—';
  const diff = (now - d.valueOf()) / 1000;
  if (diff < 0) return d.format('YYYY-MM-DD HH:mm');
  if (diff < 60) return '刚刚';
  if (diff < 3600) return `${Math.floor(diff / 60)}分钟前`;
  if (diff < 86400) return `${Math.floor(diff / 3600)}小时前`;
  if (diff < 7 * 86400) return `${Math.floor(diff / 86400)}天前`;
  return d.format('YYYY-MM-DD HH:mm');
}

/** Start of the given calendar day in Shanghai, as an ISO instant (for `from` filters). */
export function dayStartIso(day: Dayjs): string {
  return dayjs.tz(day.format('YYYY-MM-DD'), TZ).startOf('day').toISOString();
}

/** End of the given calendar day in Shanghai, as an ISO instant (for `to` filters, inclusive). */
export function dayEndIso(day: Dayjs): string {
  return dayjs.tz(day.format('YYYY-MM-DD'), TZ).endOf('day').toISOString();
}

/** True if an ISO instant lies in the future (e.g. `lockedUntil`). */
export function isFuture(value: string | null | undefined): boolean {
  if (!value) return false;
  const t = Date.parse(value);
  return Number.isFinite(t) && t > Date.now();
}
