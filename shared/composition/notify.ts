/**
 * The notifier's parts: the cases it reads, the claims that send each notification once, the channel
 * (SNS topics in the cloud, the outbox file on a local run), and what it reports of each message.
 */
import { dynamoDocumentClient } from '../adapters/clients/dynamodb.js';
import { snsClient } from '../adapters/clients/sns.js';
import { functionClock } from '../adapters/clock.js';
import { DynamoCaseReader } from '../adapters/dynamo-case-store.js';
import { DynamoNotificationClaims } from '../adapters/dynamo-notification-claims.js';
import { OutboxNotifier } from '../adapters/outbox-notifier.js';
import { SnsNotifier } from '../adapters/sns-notifier.js';
import { parseEnv } from '../config/env.js';
import { parseWorkMessage } from '../domain/work-message.js';
import { countNotificationsSent, logger } from '../observability.js';
import { type NotifyDeps, type NotifyOutcome, notifyWork } from '../usecases/notify-case.js';
import { notifyEnvironment } from './environment.js';

export interface NotifyFunction {
  /**
   * Sends what one bureau-queue message asks for, each notification once. `messageId` names the
   * delivery: its redeliveries may take back the claims it left unsent.
   */
  notifyMessage(body: string, messageId: string): Promise<void>;
}

export function buildNotifier(env: NodeJS.ProcessEnv = process.env): NotifyFunction {
  const config = parseEnv(notifyEnvironment, env);
  const deps: NotifyDeps = {
    // Reads only: a function that writes no case indexes none, so it needs no deadline policy.
    store: new DynamoCaseReader(dynamoDocumentClient, config.TABLE_NAME),
    claims: new DynamoNotificationClaims(dynamoDocumentClient, config.TABLE_NAME),
    notifier:
      config.NOTIFY_MODE === 'outbox'
        ? new OutboxNotifier(config.OUTBOX_FILE)
        : new SnsNotifier(snsClient, config.TOPIC_ARNS),
    clock: functionClock,
    claimLeaseMs: config.NOTIFY_CLAIM_LEASE_S * 1000,
  };
  return {
    async notifyMessage(body, messageId) {
      const message = parseWorkMessage(body);
      reportNotified(
        message.type === 'notice' ? message.key : message.caseId,
        await notifyWork(message, deps, { claimant: messageId }),
      );
    },
  };
}

function reportNotified(subject: string, outcome: NotifyOutcome): void {
  countNotificationsSent(outcome.sent.length);
  if (outcome.unrecorded.length > 0) {
    logger.error('notifications sent but not recorded as sent; a redelivery could repeat them', {
      subject,
      keys: outcome.unrecorded,
    });
  }
  for (const sent of outcome.sent) {
    logger.info(
      `notified ${sent.target} ${sent.kind} ${sent.caseId ?? sent.report ?? sent.period ?? sent.source ?? ''}`,
      {
        caseId: sent.caseId,
        kind: sent.kind,
        target: sent.target,
        notificationId: sent.id,
      },
    );
  }
  if (outcome.skipped.length > 0) {
    logger.debug('already sent, skipped', { subject, skipped: outcome.skipped });
  }
}
