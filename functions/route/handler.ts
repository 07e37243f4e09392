/**
 * Router: consumes the intake queue, makes or finds the case of each tip, and hands the assignment
 * to the bureau's own queue. Failures are reported per message, so one bad tip never holds back
 * the rest of its batch; SQS retries it and finally parks it in the dead-letter queue.
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { SQSHandler, SQSRecord } from 'aws-lambda';
import { buildRouter } from '../../shared/composition/route.js';

const router = buildRouter();

const routeRecord = (record: SQSRecord) => router.routeMessage(record.body);

export const handler: SQSHandler = async (event, context) => {
  // Deadlines are counted with the operator-loaded holiday schedules, re-read at most once a minute.
  await router.refreshCalendar();
  // A processor per batch: it keeps the batch's records and failures while it runs, and the local
  // run (unlike Lambda) hands one module several batches at once.
  return processPartialResponse(event, routeRecord, new BatchProcessor(EventType.SQS), { context });
};
