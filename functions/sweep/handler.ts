/**
 * Deadline sweeper, run on a schedule (every minute in the cloud, SWEEP_INTERVAL_S locally): sends
 * the reminders before deadlines, marks passed deadlines breached once, writes them to the
 * accountability ledger and hands their escalations to the notifier. Shortly after an operator
 * loaded an official holiday schedule it also recounts open provisional deadlines, to catch cases a
 * function created while its cached calendar still lacked the schedule.
 */
import type { ScheduledHandler } from 'aws-lambda';
import { z } from 'zod';
import { dynamoDocumentClient } from '../../shared/adapters/clients/dynamodb.js';
import { sqsClient } from '../../shared/adapters/clients/sqs.js';
import { functionClock } from '../../shared/adapters/clock.js';
import {
  CALENDAR_CACHE_TTL_MS,
  tableCalendarRefresher,
} from '../../shared/adapters/dynamo-calendar-store.js';
import { DynamoCaseStore } from '../../shared/adapters/dynamo-case-store.js';
import { DynamoLedgerStore } from '../../shared/adapters/dynamo-ledger-store.js';
import { SqsAssignmentQueue } from '../../shared/adapters/sqs-assignment-queue.js';
import { assignmentQueueUrls, nonEmpty, parseEnv, reminderLeadMsFromEnv } from '../../shared/config/env.js';
import { sharedWorkingCalendar } from '../../shared/domain/calendar.js';
import { defaultCaseRules } from '../../shared/domain/case-rules.js';
import type { CaseRecord } from '../../shared/domain/model.js';
import { logger } from '../../shared/observability.js';
import { recomputeProvisionalDeadlines } from '../../shared/usecases/recompute-deadlines.js';
import { sweepDeadlines } from '../../shared/usecases/sweep-deadlines.js';

const config = parseEnv(
  z.object({
    TABLE_NAME: nonEmpty,
    ASSIGNMENT_QUEUE_URLS: assignmentQueueUrls,
  }),
);

const reminderLeadMs = reminderLeadMsFromEnv();
const clock = functionClock;
const rules = defaultCaseRules();
const store = new DynamoCaseStore(dynamoDocumentClient, config.TABLE_NAME, { reminderLeadMs });
const deps = {
  store,
  queue: new SqsAssignmentQueue(sqsClient, config.ASSIGNMENT_QUEUE_URLS),
  ledger: new DynamoLedgerStore(dynamoDocumentClient, config.TABLE_NAME),
  clock,
  reminderLeadMs,
  notifyTownDeadline: (from: string, record: CaseRecord) =>
    rules.eventContext(clock.now()).notifyTownDeadline(from, record),
};
const calendar = tableCalendarRefresher(dynamoDocumentClient, config.TABLE_NAME);

/** Long enough for every function's cached calendar to have picked up a newly loaded schedule. */
const RECOMPUTE_WINDOW_MS = 3 * CALENDAR_CACHE_TTL_MS;

export const handler: ScheduledHandler = async () => {
  const schedules = await calendar.refresh();
  const now = clock.now().getTime();
  if (schedules.some((schedule) => now - Date.parse(schedule.loadedAt) < RECOMPUTE_WINDOW_MS)) {
    const recomputed = await recomputeProvisionalDeadlines({
      store,
      clock,
      calendar: sharedWorkingCalendar(),
    });
    if (recomputed.moved.length > 0) {
      logger.info(`calendar: ${recomputed.moved.length} provisional deadline(s) moved`, {
        moved: recomputed.moved,
      });
    }
  }
  const outcome = await sweepDeadlines(deps);
  for (const breach of outcome.breached) {
    logger.warn(`deadline ${breach.deadline} of ${breach.caseId} breached`, breach);
  }
  for (const entry of outcome.ledger) {
    logger.warn(`ledger: ${entry.kind} for ${entry.bureau} (${entry.caseNo} ${entry.deadline})`, {
      caseId: entry.caseId,
      bureau: entry.bureau,
      kind: entry.kind,
      deadline: entry.deadline,
    });
  }
  if (outcome.casesExamined > 0) {
    logger.info(
      `sweep: ${outcome.casesExamined} case(s), ${outcome.breached.length} breach(es), ${outcome.escalated.length} escalation(s), ${outcome.reminded.length} reminder(s)`,
    );
  }
};
