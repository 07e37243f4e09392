/**
 * Deadline lights and countdowns: green while there is time, yellow from the moment the reminder is
 * due (the reminder lead before the deadline, as the sweeper reminds), red once breached. Pure, so
 * the same rules are unit-tested.
 */
import { reminderInstant } from '../../shared/domain/attention.js';
import type { Deadline } from './api/types.js';

export type Light = 'met' | 'closed' | 'ok' | 'warning' | 'breached';

export function deadlineLight(deadline: Deadline, caseStatus: string, now: number, leadMs: number): Light {
  if (deadline.metAt) return 'met';
  if (caseStatus === 'closed') return 'closed';
  if (deadline.breachedAt || Date.parse(deadline.dueAt) <= now) return 'breached';
  const remindFrom = leadMs > 0 ? reminderInstant(deadline, leadMs) : undefined;
  if (remindFrom !== undefined && now >= remindFrom) return 'warning';
  return 'ok';
}

/** The unmet deadline due first: what a list shows for a case. */
export function nextDeadline(deadlines: Deadline[]): Deadline | undefined {
  return deadlines
    .filter((deadline) => !deadline.metAt)
    .sort((a, b) => Date.parse(a.dueAt) - Date.parse(b.dueAt))[0];
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** 2天3小时, 3小时15分, 12分钟: the larger two units of a span. */
export function formatSpan(ms: number): string {
  const span = Math.max(0, ms);
  const days = Math.floor(span / DAY);
  const hours = Math.floor((span % DAY) / HOUR);
  const minutes = Math.floor((span % HOUR) / MINUTE);
  if (days > 0) return hours > 0 ? `${days}天${hours}小时` : `${days}天`;
  if (hours > 0) return minutes > 0 ? `${hours}小时${minutes}分` : `${hours}小时`;
  return `${Math.max(minutes, span > 0 ? 1 : 0)}分钟`;
}

const shanghai = new Intl.DateTimeFormat('zh-CN', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hour12: false,
});

/** An instant as Shanghai wall time, `2026-11-30 10:05`. */
export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const time = Date.parse(iso);
  if (!Number.isFinite(time)) return '—';
  const parts = Object.fromEntries(shanghai.formatToParts(time).map((part) => [part.type, part.value]));
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour === '24' ? '00' : parts.hour}:${parts.minute}`;
}

/** What the countdown says: 剩2天3小时 / 已超期5小时 / 已完成 / 案件已办结. */
export function countdownText(deadline: Deadline, light: Light, now: number): string {
  switch (light) {
    case 'met':
      return `已于 ${formatTime(deadline.metAt)} 完成`;
    case 'closed':
      return '案件已办结';
    case 'breached':
      return `已超期 ${formatSpan(now - Date.parse(deadline.dueAt))}`;
    default:
      return `剩余 ${formatSpan(Date.parse(deadline.dueAt) - now)}`;
  }
}
