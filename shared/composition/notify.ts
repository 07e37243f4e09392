/**
 * The notifier's parts: the cases it reads, the claims that send each notification once, the channel
 * (SNS topics in the cloud, the outbox file on a local run), the officers' SMS and e-mail where the
 * environment has those channels (./sms.ts), and what it reports of each message.
 */
import { dynamoDocumentClient } from '../adapters/clients/dynamodb.js';
import { snsClient } from '../adapters/clients/sns.js';
import { functionClock } from '../adapters/clock.js';
import { DynamoCaseReader } from '../adapters/dynamo-case-store.js';
import { DynamoContactDirectory } from '../adapters/dynamo-contacts.js';
import { DynamoNotificationClaims } from '../adapters/dynamo-notification-claims.js';
import { DynamoSmsDeliveries } from '../adapters/dynamo-sms-deliveries.js';
import { OutboxNotifier } from '../adapters/outbox-notifier.js';
import { SnsNotifier } from '../adapters/sns-notifier.js';
import { parseEnv } from '../config/env.js';
import { parseWorkMessage } from '../domain/work-message.js';
import { countNotificationsSent, logger } from '../observability.js';
import type { Notifier } from '../ports/index.js';
import type { NotificationClaims } from '../ports/notification-claims.js';
import { countSms, SMS_FAILED_METRIC, SMS_SENT_METRIC } from '../sms-metrics.js';
import { deliveringNotifier, type SmsEvent } from '../usecases/deliver-notification.js';
import { type NotifyDeps, type NotifyOutcome, notifyWork } from '../usecases/notify-case.js';
import { notifyEnvironment } from './environment.js';
import { emailFromEnv, smsFromEnv } from './sms.js';

export interface NotifyFunction {
  /**
   * Sends what one bureau-queue message asks for, each notification once. `messageId` names the
   * delivery: its redeliveries may take back the claims it left unsent.
   */
  notifyMessage(body: string, messageId: string): Promise<void>;
}

export function buildNotifier(env: NodeJS.ProcessEnv = process.env): NotifyFunction {
  const config = parseEnv(notifyEnvironment, env);
  const claims = new DynamoNotificationClaims(dynamoDocumentClient, config.TABLE_NAME);
  const claimLeaseMs = config.NOTIFY_CLAIM_LEASE_S * 1000;
  const broadcast =
    config.NOTIFY_MODE === 'outbox'
      ? new OutboxNotifier(config.OUTBOX_FILE)
      : new SnsNotifier(snsClient, config.TOPIC_ARNS);
  const deps: NotifyDeps = {
    // Reads only: a function that writes no case indexes none, so it needs no deadline policy.
    store: new DynamoCaseReader(dynamoDocumentClient, config.TABLE_NAME),
    claims,
    notifier: withPeople(broadcast, config.TABLE_NAME, claims, claimLeaseMs, env),
    clock: functionClock,
    claimLeaseMs,
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

/**
 * The notifier that also reaches the target's officers where this environment has an SMS channel
 * or a direct e-mail channel (./sms.ts); without either it is the broadcast alone, as before.
 */
function withPeople(
  broadcast: Notifier,
  tableName: string,
  claims: NotificationClaims,
  claimLeaseMs: number,
  env: NodeJS.ProcessEnv,
): Notifier {
  const sms = smsFromEnv(env);
  const email = emailFromEnv(env);
  if (!sms && !email) return broadcast;
  return deliveringNotifier({
    broadcast,
    ...(email ? { email } : {}),
    ...(sms ? { sms } : {}),
    contacts: new DynamoContactDirectory(dynamoDocumentClient, tableName),
    claims,
    deliveries: new DynamoSmsDeliveries(dynamoDocumentClient, tableName),
    clock: functionClock,
    claimLeaseMs,
    report: reportSms,
  });
}

function reportSms(event: SmsEvent): void {
  if (event.type === 'unrecorded') {
    logger.error('an SMS was sent but its record could not be written; a redelivery could repeat it', {
      reference: event.reference,
      error: event.error.message,
    });
    return;
  }
  const { record } = event;
  const fields = {
    notificationId: record.notificationId,
    caseId: record.caseId,
    kind: record.kind,
    target: record.target,
    recipient: record.phoneMasked,
    template: record.template,
  };
  if (event.type === 'sent') {
    countSms(SMS_SENT_METRIC, record.channel);
    if (event.clipped) logger.warn('SMS text clipped to fit the general template', fields);
    return;
  }
  countSms(SMS_FAILED_METRIC, record.channel);
  logger.error(`SMS refused by ${record.channel}: ${record.code}`, { ...fields, detail: record.detail });
}
