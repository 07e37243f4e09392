/**
 * Configuration of the monthly reports and the assessment (contract section 8), shared by the
 * reports function and the sweeper: REPORTING_START, the due day, how far back a month's cases are
 * read, the assessment weights; and the reporting start itself, read once per function.
 */
import { z } from 'zod';
import { dynamoDocumentClient } from '../adapters/clients/dynamodb.js';
import { functionClock } from '../adapters/clock.js';
import { DynamoDeploymentSettings } from '../adapters/dynamo-deployment-settings.js';
import { jsonVar } from '../config/env.js';
import { type AssessmentWeights, DEFAULT_ASSESSMENT_WEIGHTS } from '../domain/assessment.js';
import { DEFAULT_PATROL_REQUIREMENTS } from '../domain/patrol.js';
import { DEFAULT_REPORTING_CONFIG, type ReportingConfig } from '../usecases/monthly-reports.js';
import { cachedReportingStart } from '../usecases/reporting-start.js';

const isoDate = z.iso.date({ message: 'must be a date, YYYY-MM-DD' });

const weight = z.number().min(0).max(100);
const share = z.number().min(0).max(1);

export const reportingEnvironment = z.object({
  REPORTING_START: isoDate.optional(),
  REPORT_DUE_DAY: z.coerce.number().int().min(1).max(31).default(DEFAULT_REPORTING_CONFIG.dueDay),
  REPORT_LOOKBACK_DAYS: z.coerce
    .number()
    .int()
    .min(0)
    .max(400)
    .default(DEFAULT_REPORTING_CONFIG.lookbackDays),
  ASSESSMENT_WEIGHTS: jsonVar(
    z
      .object({
        patrolFrequency: weight,
        reportsOnTime: weight,
        deadlinesMet: weight,
        patrolDiscovery: weight,
        ledger: weight,
        admonishmentPenalty: weight,
        criticismPenalty: weight,
        quarterShare: share,
        satelliteShare: share,
      })
      .partial()
      .strict(),
  ).optional(),
});

export type ReportingEnvironment = z.output<typeof reportingEnvironment>;

export function reportingConfig(config: ReportingEnvironment): ReportingConfig {
  return {
    dueDay: config.REPORT_DUE_DAY,
    lookbackDays: config.REPORT_LOOKBACK_DAYS,
    requirements: DEFAULT_PATROL_REQUIREMENTS,
  };
}

export const assessmentWeights = (config: ReportingEnvironment): AssessmentWeights => ({
  ...DEFAULT_ASSESSMENT_WEIGHTS,
  ...config.ASSESSMENT_WEIGHTS,
});

/** The function's reporting start: REPORTING_START, else the day the deployment first started. */
export const reportingStartOf = (config: ReportingEnvironment, tableName: string) =>
  cachedReportingStart({
    configured: config.REPORTING_START,
    settings: new DynamoDeploymentSettings(dynamoDocumentClient, tableName),
    clock: functionClock,
  });
