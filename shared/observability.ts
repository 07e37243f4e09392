/**
 * The one Powertools logger every module shares. Event logging stays off: events carry request
 * bodies, and bodies carry reporter identities.
 *
 * With LOG_FORMAT=pretty (the local run sets it) each record prints as one readable line,
 * `21:18:32 INFO  tip_… 12336 → 沙家浜镇 district-1 case 2026-000042`, instead of JSON.
 */

import type { LogItem } from '@aws-lambda-powertools/logger';
import { Logger } from '@aws-lambda-powertools/logger';

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

class PrettyLogger extends Logger {
  protected override printLog(_logLevel: number, log: LogItem): void {
    log.prepareForPrint();
    const attributes = log.getAttributes() as Record<string, unknown>;
    const time = String(attributes.timestamp ?? new Date().toISOString()).slice(11, 19);
    const level = String(attributes.level ?? '').padEnd(5);
    const extras = Object.entries(attributes)
      .filter(([key, value]) => !QUIET_KEYS.has(key) && value !== undefined)
      .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`);
    // Routine records already say everything in their message; warnings and errors need the detail.
    const detail = level.startsWith('INFO') || level.startsWith('DEBUG') ? '' : extras.join(' ');
    process.stdout.write(
      `${time} ${level} ${String(attributes.message ?? '')}${detail ? `  ${detail}` : ''}\n`,
    );
  }
}

const options = { serviceName: 'landline', logLevel: logLevelFrom(process.env.LOG_LEVEL) };

export const logger = process.env.LOG_FORMAT === 'pretty' ? new PrettyLogger(options) : new Logger(options);
