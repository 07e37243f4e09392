/**
 * What every function that makes or changes cases (router, case API, sweeper) is built from: the
 * table's case store, a working calendar of the function's own that follows the operator-loaded
 * holiday schedules, and the case rules counting deadlines with that calendar.
 */
import { dynamoDocumentClient } from '../adapters/clients/dynamodb.js';
import { type CalendarRefresher, tableCalendarRefresher } from '../adapters/dynamo-calendar-store.js';
import { DynamoCaseStore } from '../adapters/dynamo-case-store.js';
import { reminderLeadMsFromEnv } from '../config/env.js';
import { getJurisdiction } from '../config/jurisdiction/load.js';
import { WorkingCalendar } from '../domain/calendar.js';
import { type CaseRules, createCaseRules } from '../domain/case-rules.js';

export interface CaseWriterParts {
  /** REMINDER_LEAD_MINUTES: every writer indexes cases for the sweeper with the same lead. */
  reminderLeadMs: number;
  store: DynamoCaseStore;
  calendar: WorkingCalendar;
  /** Applies newly loaded schedules to `calendar`, re-reading them at most once a minute. */
  calendarRefresher: CalendarRefresher;
  /** Built on first call: the jurisdiction behind them costs a cold start that reads never need. */
  rules(): CaseRules;
}

export function caseWriterParts(tableName: string, env: NodeJS.ProcessEnv): CaseWriterParts {
  const reminderLeadMs = reminderLeadMsFromEnv(env);
  const calendar = new WorkingCalendar();
  let rules: CaseRules | undefined;
  return {
    reminderLeadMs,
    store: new DynamoCaseStore(dynamoDocumentClient, tableName, { reminderLeadMs }),
    calendar,
    calendarRefresher: tableCalendarRefresher(dynamoDocumentClient, tableName, calendar),
    rules: () => {
      rules ??= createCaseRules({ jurisdiction: getJurisdiction(), calendar });
      return rules;
    },
  };
}
