/**
 * Notifier: consumes the bureau queues and the brigade's triage queue and tells the outside world
 * about each assigned case and each breached deadline: SNS in the cloud, the outbox file on a local run. Each notification is
 * claimed before it is sent, so a redelivered message never sends anything twice.
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { SQSHandler, SQSRecord } from 'aws-lambda';
import { z } from 'zod';
import { dynamoDocumentClient } from '../../shared/adapters/clients/dynamodb.js';
import { snsClient } from '../../shared/adapters/clients/sns.js';
import { functionClock } from '../../shared/adapters/clock.js';
import { DynamoCaseStore } from '../../shared/adapters/dynamo-case-store.js';
import { OutboxNotifier } from '../../shared/adapters/outbox-notifier.js';
import { SnsNotifier } from '../../shared/adapters/sns-notifier.js';
import { jsonVar, nonEmpty, parseEnv, reminderLeadMsFromEnv } from '../../shared/config/env.js';
import { parseWorkMessage } from '../../shared/domain/work-message.js';
import { logger } from '../../shared/observability.js';
import { notifyWork } from '../../shared/usecases/notify-case.js';

const config = parseEnv(
  z.discriminatedUnion('NOTIFY_MODE', [
    z.object({ NOTIFY_MODE: z.literal('outbox'), TABLE_NAME: nonEmpty, OUTBOX_FILE: nonEmpty }),
    z.object({
      NOTIFY_MODE: z.literal('sns'),
      TABLE_NAME: nonEmpty,
      TOPIC_ARNS: jsonVar(z.record(z.string(), nonEmpty)),
    }),
  ]),
);

// How long an unsent claim blocks other deliveries before one may take it over (default 5 minutes).
const lease = parseEnv(
  z.object({ NOTIFY_CLAIM_LEASE_S: z.coerce.number().int().min(1).max(3600).default(300) }),
);

const deps = {
  store: new DynamoCaseStore(dynamoDocumentClient, config.TABLE_NAME, {
    reminderLeadMs: reminderLeadMsFromEnv(),
  }),
  notifier:
    config.NOTIFY_MODE === 'outbox'
      ? new OutboxNotifier(config.OUTBOX_FILE)
      : new SnsNotifier(snsClient, config.TOPIC_ARNS),
  clock: functionClock,
  claimLeaseMs: lease.NOTIFY_CLAIM_LEASE_S * 1000,
};

async function notifyRecord(record: SQSRecord): Promise<void> {
  const message = parseWorkMessage(record.body);
  const outcome = await notifyWork(message, deps, { claimant: record.messageId });
  if (outcome.unrecorded.length > 0) {
    logger.error('notifications sent but not recorded as sent; a redelivery could repeat them', {
      caseId: message.caseId,
      keys: outcome.unrecorded,
    });
  }
  for (const sent of outcome.sent) {
    logger.info(`notified ${sent.target} ${sent.kind} case ${sent.caseId}`, {
      caseId: sent.caseId,
      kind: sent.kind,
      target: sent.target,
      notificationId: sent.id,
    });
  }
  if (outcome.skipped.length > 0) {
    logger.debug('already sent, skipped', { caseId: message.caseId, skipped: outcome.skipped });
  }
}

export const handler: SQSHandler = async (event, context) =>
  // A processor per batch: it keeps the batch's records and failures while it runs, and the local
  // run (unlike Lambda) hands one module several batches at once.
  processPartialResponse(event, notifyRecord, new BatchProcessor(EventType.SQS), { context });
