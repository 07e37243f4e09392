/**
 * Official holiday schedules loaded by an operator (`npm run calendar:load`), kept in the one table
 * so every function reads them without a deploy:
 *   pk=CALENDAR   sk=YEAR#<year>   data={year, holidays, workdays}, loadedAt
 * One partition for all years: a function reads every loaded schedule with one query.
 */
import { type DynamoDBDocumentClient, PutCommand, paginateQuery } from '@aws-sdk/lib-dynamodb';
import { type CalendarOverride, calendarOverrideSchema, type WorkingCalendar } from '../domain/calendar.js';
import { logger } from '../observability.js';
import type { Clock } from '../ports/index.js';

const PARTITION = 'CALENDAR';

export interface StoredSchedule extends CalendarOverride {
  /** When the operator loaded it (UTC ISO): its version. */
  loadedAt: string;
}

export interface CalendarScheduleStore {
  load(): Promise<StoredSchedule[]>;
  /** Stores the schedule of its year, replacing an earlier one; returns the one it replaced. */
  save(schedule: CalendarOverride, loadedAt: string): Promise<StoredSchedule | undefined>;
}

function fromItem(item: Record<string, unknown> | undefined): StoredSchedule | undefined {
  if (!item) return undefined;
  const parsed = calendarOverrideSchema.safeParse(item.data);
  if (!parsed.success || typeof item.loadedAt !== 'string') return undefined;
  return { ...parsed.data, loadedAt: item.loadedAt };
}

export class DynamoCalendarStore implements CalendarScheduleStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async load(): Promise<StoredSchedule[]> {
    const schedules: StoredSchedule[] = [];
    const pages = paginateQuery(
      { client: this.client },
      {
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': PARTITION },
      },
    );
    for await (const page of pages) {
      for (const item of page.Items ?? []) {
        const schedule = fromItem(item);
        if (schedule) schedules.push(schedule);
      }
    }
    return schedules.sort((a, b) => a.year - b.year);
  }

  async save(schedule: CalendarOverride, loadedAt: string): Promise<StoredSchedule | undefined> {
    const data = calendarOverrideSchema.parse(schedule);
    const result = await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { pk: PARTITION, sk: `YEAR#${data.year}`, type: 'calendar', data, loadedAt },
        ReturnValues: 'ALL_OLD',
      }),
    );
    return fromItem(result.Attributes);
  }
}

/** How long a function trusts the schedules it read before reading them again. */
export const CALENDAR_CACHE_TTL_MS = 60_000;

/**
 * Keeps a long-lived WorkingCalendar in step with the loaded schedules: re-reads them at most once
 * per TTL. A failed read keeps the schedules already known (the library data still holds the current
 * years) and is retried on the next call.
 */
export class CalendarRefresher {
  private readAt = Number.NEGATIVE_INFINITY;
  private schedules: StoredSchedule[] = [];

  constructor(
    private readonly store: Pick<CalendarScheduleStore, 'load'>,
    private readonly calendar: WorkingCalendar,
    private readonly options: { clock?: Clock; ttlMs?: number; onError?: (error: unknown) => void } = {},
  ) {}

  async refresh(): Promise<StoredSchedule[]> {
    const now = (this.options.clock?.now() ?? new Date()).getTime();
    if (now - this.readAt < (this.options.ttlMs ?? CALENDAR_CACHE_TTL_MS)) return this.schedules;
    try {
      const schedules = await this.store.load();
      this.calendar.setOverrides(schedules);
      this.schedules = schedules;
      this.readAt = now;
    } catch (error) {
      this.options.onError?.(error);
    }
    return this.schedules;
  }
}

/**
 * A function's refresher: the operator-loaded schedules in the table applied to that function's
 * working calendar, re-read at most once a minute; a failed read is logged and the known schedules kept.
 */
export function tableCalendarRefresher(
  client: DynamoDBDocumentClient,
  tableName: string,
  calendar: WorkingCalendar,
): CalendarRefresher {
  return new CalendarRefresher(new DynamoCalendarStore(client, tableName), calendar, {
    onError: (error) =>
      logger.warn('calendar schedules could not be read; keeping the known ones', { error }),
  });
}
