/**
 * REPORTING_START (contract section 7): periods and report months that began before it are never
 * decided, so a new deployment is not flooded with reminders, shortfalls and overdue reports of
 * months it never saw. Configuration when set (an ISO date); otherwise the day the deployment first
 * started, which the first caller records in the table and every later one reads back
 * (DeploymentSettings: item pk=SETTING, sk=FIRST_STARTED, `value` = `YYYY-MM-DD`, written once with a
 * conditional put).
 */
import { shanghaiDate } from '../domain/calendar.js';
import type { Period } from '../domain/periods.js';
import type { Clock } from '../ports/index.js';
import type { DeploymentSettings } from '../ports/reports.js';

export interface ReportingStartDeps {
  /** REPORTING_START as configured (`YYYY-MM-DD`), if it is. */
  configured?: string | undefined;
  settings: DeploymentSettings;
  clock: Clock;
}

/** The first day (`YYYY-MM-DD`, Shanghai) whose periods are decided. */
export async function reportingStart(deps: ReportingStartDeps): Promise<string> {
  if (deps.configured) return deps.configured;
  return deps.settings.firstStartedOn(shanghaiDate(deps.clock.now()));
}

/** Whether a period is ever decided: it began on or after the reporting start. */
export const isDecidable = (period: Pick<Period, 'firstDay'>, start: string): boolean =>
  period.firstDay >= start;

/**
 * The reporting start of a function, read once and kept: the configured value never changes within
 * a deployment, and the recorded one is written once.
 */
export function cachedReportingStart(deps: ReportingStartDeps): () => Promise<string> {
  let value: Promise<string> | undefined;
  return () => {
    value ??= reportingStart(deps).catch((error: unknown) => {
      value = undefined;
      throw error;
    });
    return value;
  };
}
