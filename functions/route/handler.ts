/**
 * Router: consumes the intake queue, makes or finds the case of each tip, and hands the assignment
 * to the bureau's own queue. Failures are reported per message, so one bad tip never holds back
 * the rest of its batch; SQS retries it and finally parks it in the dead-letter queue.
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { SQSHandler, SQSRecord } from 'aws-lambda';
import { z } from 'zod';
import { dynamoDocumentClient } from '../../shared/adapters/clients/dynamodb.js';
import { sqsClient } from '../../shared/adapters/clients/sqs.js';
import { functionClock } from '../../shared/adapters/clock.js';
import { tableCalendarRefresher } from '../../shared/adapters/dynamo-calendar-store.js';
import { DynamoCaseStore } from '../../shared/adapters/dynamo-case-store.js';
import { SqsAssignmentQueue } from '../../shared/adapters/sqs-assignment-queue.js';
import { assignmentQueueUrls, nonEmpty, parseEnv, reminderLeadMsFromEnv } from '../../shared/config/env.js';
import { defaultCaseRules } from '../../shared/domain/case-rules.js';
import { parseTipMessage } from '../../shared/domain/tip-message.js';
import { logger } from '../../shared/observability.js';
import { routeIncomingTip } from '../../shared/usecases/route-tip.js';

const config = parseEnv(
  z.object({
    TABLE_NAME: nonEmpty,
    ASSIGNMENT_QUEUE_URLS: assignmentQueueUrls,
  }),
);

const deps = {
  store: new DynamoCaseStore(dynamoDocumentClient, config.TABLE_NAME, {
    reminderLeadMs: reminderLeadMsFromEnv(),
  }),
  queue: new SqsAssignmentQueue(sqsClient, config.ASSIGNMENT_QUEUE_URLS),
  clock: functionClock,
  rules: defaultCaseRules(),
};

async function routeRecord(record: SQSRecord): Promise<void> {
  const tip = parseTipMessage(record.body);
  const result = await routeIncomingTip(tip, deps);
  const { record: routed } = result;
  logger.info(
    `${tip.tipId} ${tip.source} → ${routed.areaName ?? 'triage'} ${routed.district ?? '-'} case ${routed.caseNo}${
      result.outcome === 'created' ? '' : ` (${result.outcome})`
    }`,
    {
      tipId: tip.tipId,
      source: tip.source,
      caseId: routed.caseId,
      caseNo: routed.caseNo,
      area: routed.area,
      district: routed.district,
      outcome: result.outcome,
      routingMethod: routed.routing.method,
    },
  );
}

// Deadlines are counted with the operator-loaded holiday schedules, re-read at most once a minute.
const calendar = tableCalendarRefresher(dynamoDocumentClient, config.TABLE_NAME);

export const handler: SQSHandler = async (event, context) => {
  await calendar.refresh();
  // A processor per batch: it keeps the batch's records and failures while it runs, and the local
  // run (unlike Lambda) hands one module several batches at once.
  return processPartialResponse(event, routeRecord, new BatchProcessor(EventType.SQS), { context });
};
