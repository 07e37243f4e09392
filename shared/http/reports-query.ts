/**
 * The reports API's query strings (contract section 8), parsed into typed inputs. A query that
 * breaks a rule answers validation_failed naming the parameter; the schemas are also what the
 * OpenAPI document shows for each parameter.
 */
import { z } from 'zod';
import { LEDGER_YEARS } from '../domain/ledger.js';
import { AREA_IDS } from '../domain/model.js';
import { type Period, parsePeriod } from '../domain/periods.js';

/** What a report or assessment is answered as: JSON, or a file (shared/http/spreadsheet.ts). */
export const REPORT_FORMATS = ['json', 'xlsx', 'csv'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

const inYears = (period: Period | undefined) =>
  period !== undefined &&
  Number(period.id.slice(0, 4)) >= LEDGER_YEARS.min &&
  Number(period.id.slice(0, 4)) <= LEDGER_YEARS.max;

const PERIOD_KIND_NAMES: Readonly<Record<Period['kind'], string>> = {
  week: '周',
  month: '月份',
  quarter: '季度',
  year: '年份',
};

/** A period id of one kind, between the ledger's years, parsed. */
const periodParameter = (kind: Period['kind'], pattern: RegExp, example: string) =>
  z
    .string()
    .regex(pattern, `须为${PERIOD_KIND_NAMES[kind]}，例如${example}`)
    .refine(
      (id) => parsePeriod(id)?.kind === kind && inYears(parsePeriod(id)),
      `须为${LEDGER_YEARS.min}至${LEDGER_YEARS.max}年间的${PERIOD_KIND_NAMES[kind]}，例如${example}`,
    )
    .transform((id) => parsePeriod(id) as Period);

export const monthParameter = periodParameter('month', /^\d{4}-\d{2}$/, '2026-11');
export const quarterParameter = periodParameter('quarter', /^\d{4}-Q[1-4]$/, '2026-Q4');
export const yearParameter = periodParameter('year', /^\d{4}$/, '2026');

const format = z
  .enum(REPORT_FORMATS)
  .default('json')
  .describe('json (default), xlsx (a spreadsheet, one sheet per section) or csv (UTF-8 with BOM).');

/** `GET /v1/reports/monthly` */
export const monthlyReportQuerySchema = z.object({
  area: z
    .enum(AREA_IDS)
    .optional()
    .describe("The bureau's area; without it the consolidated report (brigade, district leaders)."),
  month: monthParameter.describe('The calendar month, YYYY-MM (Asia/Shanghai).'),
  format,
});

/** `GET /v1/assessments`: a quarter or a year, not both. */
export const assessmentQuerySchema = z
  .object({
    quarter: quarterParameter.optional().describe('The quarter, e.g. 2026-Q4.'),
    year: yearParameter
      .optional()
      .describe('The year, e.g. 2026: 0.8 × the mean of its quarters + 0.2 × satellite.'),
    format,
  })
  .superRefine((query, context) => {
    if ((query.quarter === undefined) === (query.year === undefined)) {
      context.addIssue({
        code: 'custom',
        path: ['quarter'],
        message: 'quarter与year须提供且只能提供其中之一',
      });
    }
  });
