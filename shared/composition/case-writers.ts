/**
 * What every function that makes or changes cases (router, case API, sweeper) is built from: the
 * deadline policy, the table's case store indexing cases with it, a working calendar of the
 * function's own that follows the operator-loaded holiday schedules, and the case rules counting
 * deadlines with that calendar and policy.
 */
import { dynamoDocumentClient } from '../adapters/clients/dynamodb.js';
import { type CalendarRefresher, tableCalendarRefresher } from '../adapters/dynamo-calendar-store.js';
import { DynamoCaseStore } from '../adapters/dynamo-case-store.js';
import { caseBudgetFromEnv } from '../config/env.js';
import { getJurisdiction } from '../config/jurisdiction/load.js';
import { WorkingCalendar } from '../domain/calendar.js';
import { type CaseRules, createCaseRules } from '../domain/case-rules.js';
import type { CaseBudget } from '../domain/case-size.js';
import type { DeadlinePolicy } from '../domain/deadlines.js';
import { deadlinePolicyFromEnv } from './deadline-policy.js';

export interface CaseWriterParts {
  /** One policy for the store's due index, the rules' deadlines and the sweeper's reminders. */
  policy: DeadlinePolicy;
  /** How large a request may make a case (CASE_BYTE_BUDGET). */
  budget: CaseBudget;
  store: DynamoCaseStore;
  calendar: WorkingCalendar;
  /** Applies newly loaded schedules to `calendar`, re-reading them at most once a minute. */
  calendarRefresher: CalendarRefresher;
  /** Built on first call: the jurisdiction behind them costs a cold start that reads never need. */
  rules(): CaseRules;
}

export function caseWriterParts(tableName: string, env: NodeJS.ProcessEnv): CaseWriterParts {
  const policy = deadlinePolicyFromEnv(env);
  const calendar = new WorkingCalendar();
  let rules: CaseRules | undefined;
  return {
    policy,
    budget: caseBudgetFromEnv(env),
    store: new DynamoCaseStore(dynamoDocumentClient, tableName, policy),
    calendar,
    calendarRefresher: tableCalendarRefresher(dynamoDocumentClient, tableName, calendar),
    rules: () => {
      rules ??= createCaseRules({ jurisdiction: getJurisdiction(), calendar, policy });
      return rules;
    },
  };
}
