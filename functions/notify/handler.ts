/**
 * Notifier: consumes the bureau queues and the brigade's triage queue and tells the outside world
 * about each assigned case and each breached deadline: SNS in the cloud, the outbox file on a local run. Each notification is
 * claimed before it is sent, so a redelivered message never sends anything twice.
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { SQSHandler, SQSRecord } from 'aws-lambda';
import { buildNotifier } from '../../shared/composition/notify.js';
import { publishMetrics } from '../../shared/observability.js';

const notifier = buildNotifier();

const notifyRecord = (record: SQSRecord) => notifier.notifyMessage(record.body, record.messageId);

export const handler: SQSHandler = async (event, context) => {
  try {
    // A processor per batch: it keeps the batch's records and failures while it runs, and the local
    // run (unlike Lambda) hands one module several batches at once.
    return await processPartialResponse(event, notifyRecord, new BatchProcessor(EventType.SQS), { context });
  } finally {
    publishMetrics();
  }
};
