/**
 * The SMS figures an operator watches, as EMF metrics in the deployment's namespace (like
 * ./observability.ts): written at once, each with the channel as dimension. The stack alarms on
 * any failed or unconfirmed SMS and on more SMS in an hour than the environment expects (a runaway
 * loop, or a spend the provider's own limits would only catch later).
 */
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { metrics } from './observability.js';

/** Metric names the CDK stack alarms on: one spelling for the writer and the alarm. */
export const SMS_SENT_METRIC = 'SmsSent';
export const SMS_FAILED_METRIC = 'SmsFailed';
export const SMS_UNCONFIRMED_METRIC = 'SmsUnconfirmed';
export const SMS_CHANNEL_DIMENSION = 'channel';

export function countSms(metric: string, channel: string, count = 1): void {
  if (count <= 0) return;
  const single = metrics.singleMetric();
  single.addDimension(SMS_CHANNEL_DIMENSION, channel);
  single.addMetric(metric, MetricUnit.Count, count);
}
