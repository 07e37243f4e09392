/**
 * SMS receipt check, run on a schedule (every 5 minutes) where the SMS channel is a provider that
 * reports delivery (Alibaba Cloud, Tencent Cloud): records each receipt on the SMS's and its
 * notification's records, and reports SMS that failed or stayed unconfirmed.
 */
import type { ScheduledHandler } from 'aws-lambda';
import { buildReceiptChecker } from '../../shared/composition/receipts.js';
import { publishMetrics } from '../../shared/observability.js';

const checker = buildReceiptChecker();

export const handler: ScheduledHandler = async () => {
  try {
    await checker.check();
  } finally {
    publishMetrics();
  }
};
