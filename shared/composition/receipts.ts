/**
 * The SMS receipt check (functions/receipts): the channel of this environment (./sms.ts), the
 * table's SMS records, and what it reports: a failed or unconfirmed SMS is an error in the log and
 * a metric the stack alarms on.
 */
import { z } from 'zod';
import { dynamoDocumentClient } from '../adapters/clients/dynamodb.js';
import { functionClock } from '../adapters/clock.js';
import { DynamoSmsDeliveries } from '../adapters/dynamo-sms-deliveries.js';
import { ConfigError, nonEmpty, parseEnv } from '../config/env.js';
import { maskPhone } from '../domain/contacts.js';
import { logger } from '../observability.js';
import { countSms, SMS_FAILED_METRIC, SMS_UNCONFIRMED_METRIC } from '../sms-metrics.js';
import {
  checkSmsReceipts,
  DEFAULT_UNCONFIRMED_AFTER_MS,
  type ReceiptOutcome,
} from '../usecases/sms-receipts.js';
import { smsFromEnv } from './sms.js';

export const receiptsEnvironment = z.object({
  TABLE_NAME: nonEmpty,
  // How long an SMS may go without a receipt before it is reported unconfirmed.
  SMS_UNCONFIRMED_AFTER_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(72 * 60)
    .default(DEFAULT_UNCONFIRMED_AFTER_MS / 60_000),
});

export interface ReceiptChecker {
  check(): Promise<ReceiptOutcome>;
}

export function buildReceiptChecker(env: NodeJS.ProcessEnv = process.env): ReceiptChecker {
  const config = parseEnv(receiptsEnvironment, env);
  const sms = smsFromEnv(env);
  if (!sms?.channel.fetchReceipts) {
    throw new ConfigError(`SMS_CHANNEL ${env.SMS_CHANNEL ?? 'none'} offers no receipts to check`);
  }
  const deliveries = new DynamoSmsDeliveries(dynamoDocumentClient, config.TABLE_NAME);
  return {
    async check() {
      const outcome = await checkSmsReceipts({
        channel: sms.channel,
        deliveries,
        clock: functionClock,
        unconfirmedAfterMs: config.SMS_UNCONFIRMED_AFTER_MINUTES * 60_000,
      });
      report(sms.channel.name, outcome);
      return outcome;
    },
  };
}

function report(channel: string, outcome: ReceiptOutcome): void {
  countSms(SMS_FAILED_METRIC, channel, outcome.failed.length);
  countSms(SMS_UNCONFIRMED_METRIC, channel, outcome.unconfirmed.length);
  for (const sms of outcome.failed) {
    logger.error('SMS not delivered (receipt: failed)', {
      reference: sms.reference,
      recipient: maskPhone(sms.phone),
    });
  }
  for (const sms of outcome.unconfirmed) {
    logger.error('SMS unconfirmed: no receipt in time', {
      reference: sms.reference,
      recipient: maskPhone(sms.phone),
    });
  }
  if (outcome.pending > 0) {
    logger.info(
      `receipts: ${outcome.pending} pending, ${outcome.delivered} delivered, ${outcome.failed.length} failed, ${outcome.unconfirmed.length} unconfirmed`,
    );
  }
}
