/**
 * Powertools' logger, metrics and tracer, one instance of each for every module.
 *
 * The logger: event logging stays off, events carry request bodies, and bodies carry reporter
 * identities.
 *
 * With LOG_FORMAT=pretty (the local run sets it) each record prints as one readable line,
 * `21:18:32 INFO  tip_… 12336 → 沙家浜镇 district-1 case 2026-000042`, instead of JSON.
 *
 * Both formats pass every record through `redactLogValue`: whatever a future log call carries, a
 * reporter object, a caller, a phone number or a bearer token never reaches the log stream.
 */

import type { LogItem } from '@aws-lambda-powertools/logger';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';

const LOG_LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'SILENT', 'CRITICAL'] as const;
type LogLevel = (typeof LOG_LEVELS)[number];

function logLevelFrom(value: string | undefined): LogLevel {
  const upper = (value ?? '').trim().toUpperCase();
  return (LOG_LEVELS as readonly string[]).includes(upper) ? (upper as LogLevel) : 'INFO';
}

/** Keys every record carries that a person at a terminal does not need to read. */
const QUIET_KEYS = new Set([
  'level',
  'message',
  'timestamp',
  'service',
  'sampling_rate',
  'xray_trace_id',
  'cold_start',
  'function_arn',
  'function_memory_size',
  'function_name',
  'function_request_id',
]);

/** Keys whose whole value is withheld: reporter identities and credentials, at any depth. */
const REDACTED_KEYS =
  /^(reporter|caller|identity|reporteridentity|phone|mobile|telephone|tel|contact|authorization|token|apitokens?|plaintext)$/i;
/** A mainland mobile number anywhere in a string (a description, an error message …). */
const MOBILE_NUMBER = /(?<![0-9])1[3-9][0-9]{9}(?![0-9])/g;
export const REDACTED = '[redacted]';

/** The JSON replacer of every log record: withholds identity keys, masks mobile numbers. */
export function redactLogValue(key: string, value: unknown): unknown {
  if (key !== '' && REDACTED_KEYS.test(key) && value !== undefined && value !== null) return REDACTED;
  if (typeof value === 'string') return value.replace(MOBILE_NUMBER, '1**********');
  return value;
}

const redactedJson = (value: unknown) => JSON.stringify(value, redactLogValue);

class PrettyLogger extends Logger {
  protected override printLog(_logLevel: number, log: LogItem): void {
    log.prepareForPrint();
    const attributes = log.getAttributes() as Record<string, unknown>;
    const time = String(attributes.timestamp ?? new Date().toISOString()).slice(11, 19);
    const level = String(attributes.level ?? '').padEnd(5);
    // Routine records already say everything in their message; warnings and errors need the detail.
    const routine = level.startsWith('INFO') || level.startsWith('DEBUG');
    const detail = routine
      ? ''
      : Object.entries(attributes)
          .filter(([key, value]) => !QUIET_KEYS.has(key) && value !== undefined)
          .map(([key, value]) => {
            const redacted = redactLogValue(key, value);
            return `${key}=${typeof redacted === 'string' ? redacted : redactedJson(redacted)}`;
          })
          .join(' ');
    process.stdout.write(
      `${time} ${level} ${redactLogValue('message', String(attributes.message ?? ''))}${detail ? `  ${detail}` : ''}\n`,
    );
  }
}

const options = {
  serviceName: 'landline',
  logLevel: logLevelFrom(process.env.LOG_LEVEL),
  jsonReplacerFn: redactLogValue,
};

export const logger = process.env.LOG_FORMAT === 'pretty' ? new PrettyLogger(options) : new Logger(options);

/**
 * The business figures an operator watches, as CloudWatch metrics in the deployment's namespace
 * (POWERTOOLS_METRICS_NAMESPACE, set by the CDK construct). They are EMF lines in the function's
 * log: no API call and no permission. Off where POWERTOOLS_METRICS_DISABLED=true (the local run,
 * the tests). Its own warnings go through the redacting logger.
 */
export const metrics = new Metrics({ serviceName: 'landline', logger });

/**
 * X-Ray: the functions run with active tracing, and the AWS SDK clients (adapters/clients) are
 * captured so each call is a subsegment of the invocation. Powertools' tracer is off outside Lambda;
 * where POWERTOOLS_TRACE_ENABLED=false (the local run, a deployment without X-Ray) it is not even
 * loaded: it brings the X-Ray SDK, whose evaluation is about 20 ms of every cold start.
 */
const tracer =
  process.env.POWERTOOLS_TRACE_ENABLED?.trim().toLowerCase() === 'false'
    ? undefined
    : new (await import('@aws-lambda-powertools/tracer')).Tracer({ serviceName: 'landline' });

/** The client, captured by the tracer where tracing may be on. */
export function traced<Client>(client: Client): Client {
  return tracer ? tracer.captureAWSv3Client(client) : client;
}

/**
 * A count with a dimension of its own, written at once: the metrics stored for the end of an
 * invocation share one set of dimensions, and one batch holds tips of several sources and cases
 * of several areas.
 */
function countBy(name: string, dimension: string, value: string): void {
  const single = metrics.singleMetric();
  single.addDimension(dimension, value);
  single.addMetric(name, MetricUnit.Count, 1);
}

/** A tip accepted (queued for the router), by source. Written at once. */
export function countTipAccepted(source: string): void {
  countBy('TipsAccepted', 'source', source);
}

/** A case created, by area (`triage` when no area could be determined). Written at once. */
export function countCaseCreated(area: string | null): void {
  countBy('CasesCreated', 'area', area ?? 'triage');
}

/** Deadlines a sweep found breached; stored until publishMetrics(). */
export function countDeadlinesBreached(count: number): void {
  if (count > 0) metrics.addMetric('DeadlinesBreached', MetricUnit.Count, count);
}

/**
 * Cases a sweep failed on (each retried later, none stopping the sweep); stored until
 * publishMetrics(). The stack alarms on any.
 */
export function countSweepCaseFailures(count: number): void {
  if (count > 0) metrics.addMetric(SWEEP_CASE_FAILURES_METRIC, MetricUnit.Count, count);
}

/** Metric names the CDK stack alarms on: one spelling for the writer and the alarm. */
export const SWEEP_CASE_FAILURES_METRIC = 'SweepCaseFailures';
export const AMENDMENTS_UNAPPLIED_METRIC = 'AmendmentsUnapplied';

/**
 * An amendment kept beside its case because the case is at its size budget (nothing lost, but a
 * person should look at the case). Written at once; the stack alarms on any.
 */
export function countAmendmentUnapplied(): void {
  const single = metrics.singleMetric();
  single.addMetric(AMENDMENTS_UNAPPLIED_METRIC, MetricUnit.Count, 1);
}

/** Notifications sent (each once, however often its message came); stored until publishMetrics(). */
export function countNotificationsSent(count: number): void {
  if (count > 0) metrics.addMetric('NotificationsSent', MetricUnit.Count, count);
}

/**
 * Writes the stored metrics of an invocation; the handlers that store some call it as they end.
 * An invocation that counted nothing writes nothing: Powertools would warn on every such flush,
 * and most sweeps find nothing to count.
 */
export function publishMetrics(): void {
  if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
}
