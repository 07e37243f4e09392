/** Report and compliance periods as the API names them, counted in Asia/Shanghai. Pure. */

const SHANGHAI_OFFSET_MS = 8 * 3_600_000;

/** The Shanghai calendar date of an instant as [year, month 1-12, day]. */
function shanghaiParts(at: number): [number, number, number] {
  const shifted = new Date(at + SHANGHAI_OFFSET_MS);
  return [shifted.getUTCFullYear(), shifted.getUTCMonth() + 1, shifted.getUTCDate()];
}

const pad = (value: number) => String(value).padStart(2, '0');

/** ISO week (Monday first; week 1 holds the year's first Thursday) of a Shanghai date: `2026-W49`. */
export function isoWeek(at: number): string {
  const [year, month, day] = shanghaiParts(at);
  const date = new Date(Date.UTC(year, month - 1, day));
  const weekday = date.getUTCDay() || 7;
  date.setUTCDate(date.getUTCDate() + 4 - weekday);
  const weekYear = date.getUTCFullYear();
  const week = Math.ceil(((date.getTime() - Date.UTC(weekYear, 0, 1)) / 86_400_000 + 1) / 7);
  return `${weekYear}-W${pad(week)}`;
}

export function monthOf(at: number): string {
  const [year, month] = shanghaiParts(at);
  return `${year}-${pad(month)}`;
}

/** The month before the one `at` falls in: the month whose report is due. */
export function previousMonth(at: number): string {
  const [year, month] = shanghaiParts(at);
  return month === 1 ? `${year - 1}-12` : `${year}-${pad(month - 1)}`;
}

export function quarterOf(at: number): string {
  const [year, month] = shanghaiParts(at);
  return `${year}-Q${Math.ceil(month / 3)}`;
}

export function yearOf(at: number): number {
  return shanghaiParts(at)[0];
}

/** 2026-W49 → 2026年第49周, 2026-12 → 2026年12月, 2026-Q4 → 2026年第四季度. */
export function periodLabel(period: string): string {
  const week = /^(\d{4})-W(\d{2})$/.exec(period);
  if (week) return `${week[1]}年第${Number(week[2])}周`;
  const month = /^(\d{4})-(\d{2})$/.exec(period);
  if (month) return `${month[1]}年${Number(month[2])}月`;
  const quarter = /^(\d{4})-Q([1-4])$/.exec(period);
  if (quarter) return `${quarter[1]}年第${['一', '二', '三', '四'][Number(quarter[2]) - 1]}季度`;
  return period;
}
