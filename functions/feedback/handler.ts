/**
 * Feedback sender (contract 9): consumes the feedback queue, one attempt per message, reported per
 * message; and, on its schedule (every minute in the cloud, a timer locally), the relay that queues
 * the deliveries whose time has come. The rules live in shared/usecases/send-feedback.ts.
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, ScheduledEvent, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { buildFeedbackSender } from '../../shared/composition/feedback.js';

const sender = buildFeedbackSender();

const sendRecord = (record: SQSRecord) => sender.sendMessage(record.body);

export const handler = async (
  event: SQSEvent | ScheduledEvent,
  context: Context,
): Promise<SQSBatchResponse | undefined> => {
  if (!('Records' in event)) {
    await sender.relay();
    return undefined;
  }
  return processPartialResponse(event, sendRecord, new BatchProcessor(EventType.SQS), { context });
};
