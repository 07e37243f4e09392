/**
 * Schemas of what the reports API answers (contract section 8): the monthly report of a bureau, the
 * brigade's consolidated report, the quarterly and yearly assessment and a satellite score, plus the
 * bodies it accepts. The request bodies are validated with them; the answers are documented with
 * them (shared/http/reports-openapi.ts) and their types are what the use cases return.
 */
import { z } from 'zod';
import { ASSESSMENT_ITEMS } from './assessment.js';
import { AREA_IDS, DISTRICT_IDS, VIOLATION_TYPES } from './model.js';
import { REPORT_SOURCES, REPORT_STATUSES } from './monthly-report.js';
import { PATROL_KINDS } from './patrol.js';

const isoInstant = z.string().meta({ format: 'date-time' });
const count = z.number().int().min(0);
const rate = z.number().min(0).max(1).nullable();

const partialCounts = <T extends readonly [string, ...string[]]>(keys: T) =>
  z.object(
    Object.fromEntries(keys.map((key) => [key, count.optional()])) as Record<
      T[number],
      z.ZodOptional<typeof count>
    >,
  );

export const monthlyFiguresSchema = z.object({
  patrols: z.object({
    total: count,
    byKind: partialCounts(PATROL_KINDS).describe('Patrol kinds with at least one patrol in the month.'),
    weeksMet: count.describe('Weeks of the month with at least the required number of `bureau` patrols.'),
    weeks: count.describe('ISO weeks whose Thursday falls in the month.'),
    withFindings: count,
  }),
  cases: z.object({
    new: count.describe('Cases of the area opened in the month, of any source.'),
    bySource: z.object(
      Object.fromEntries(REPORT_SOURCES.map((source) => [source, count])) as Record<
        (typeof REPORT_SOURCES)[number],
        typeof count
      >,
    ),
    byViolationType: partialCounts(VIOLATION_TYPES),
    violationsConfirmed: count,
    violationsConfirmedByPatrol: count.describe('Of violationsConfirmed, those found by patrols.'),
    stopped: count,
    townNotified: count,
    closed: count,
    areaMu: z
      .number()
      .min(0)
      .describe('亩 stated in the new cases: per case the largest area its text states.'),
  }),
  deadlines: z.object({ met: count, breached: count }),
  patrolDiscoveryRate: rate.describe(
    'Patrol-found ÷ all confirmed violations; null when none was confirmed.',
  ),
  hotline: z
    .object({
      urges: count,
      callbacks: count,
      satisfied: count,
      basicallySatisfied: count,
      dissatisfied: count,
      satisfactionRate: rate,
    })
    .describe('Urges (催办) and callbacks (回访) the sources recorded on the area’s cases in the month.'),
});

const submission = {
  analysis: z.string().nullable(),
  submittedAt: isoInstant.nullable(),
  submittedBy: z.string().nullable().describe('The principal that submitted: bureau:<area> or brigade.'),
  submittedByName: z.string().optional().describe('The person, when the token names one.'),
};

export const monthlyReportSchema = z.object({
  area: z.enum(AREA_IDS),
  areaName: z.string(),
  month: z.string().describe('YYYY-MM'),
  status: z.enum(REPORT_STATUSES),
  dueAt: isoInstant,
  figures: monthlyFiguresSchema.describe('Computed from the data until submission, frozen with it.'),
  zeroReport: z.boolean().describe('No case of any source opened in the month (零报告).'),
  ...submission,
});

export const consolidatedRowSchema = z.object({
  area: z.enum(AREA_IDS),
  areaName: z.string(),
  status: z.enum(REPORT_STATUSES),
  submittedAt: isoInstant.nullable(),
  zeroReport: z.boolean(),
  figures: monthlyFiguresSchema,
});

export const brigadeFiguresSchema = z.object({
  total: count,
  byKind: z.object({ brigade: count, spot_check: count, supervision: count }),
  withFindings: count,
  patrols: z
    .object({ required: count, done: count, met: z.boolean() })
    .describe('`brigade` and `spot_check` patrols against the monthly requirement.'),
  supervision: z.object({
    required: count.describe('Supervisions each bureau needs in the month.'),
    supervised: z.array(z.enum(AREA_IDS)),
    notSupervised: z.array(z.enum(AREA_IDS)),
  }),
});

export const consolidatedReportSchema = z.object({
  month: z.string(),
  district: z.enum(DISTRICT_IDS).optional().describe('A leader’s view: only this district’s bureaus.'),
  status: z.enum(REPORT_STATUSES),
  dueAt: isoInstant,
  bureaus: z.array(consolidatedRowSchema),
  brigade: brigadeFiguresSchema,
  totals: monthlyFiguresSchema,
  ...submission,
});

export const assessmentItemSchema = z.object({
  item: z.enum([...ASSESSMENT_ITEMS, 'quarters', 'satellite']),
  label: z.string(),
  weight: z.number(),
  score: z.number(),
  basis: z.string().describe('Why this score, in Chinese.'),
});

export const quarterAssessmentSchema = z.object({
  quarter: z.string(),
  bureaus: z.array(
    z.object({
      area: z.enum(AREA_IDS),
      areaName: z.string(),
      score: z.number(),
      items: z.array(assessmentItemSchema),
      vetoed: z.boolean().describe('One-vote veto (一票否决) in the quarter’s year.'),
    }),
  ),
});

export const yearAssessmentSchema = z.object({
  year: z.number().int(),
  bureaus: z.array(
    z.object({
      area: z.enum(AREA_IDS),
      areaName: z.string(),
      score: z.number(),
      items: z.array(assessmentItemSchema),
      quarters: z.array(z.object({ quarter: z.string(), score: z.number() })),
      satellite: z.number().nullable(),
      vetoed: z.boolean(),
    }),
  ),
});

export const satelliteScoreSchema = z.object({
  year: z.number().int(),
  area: z.enum(AREA_IDS),
  score: z.number(),
  enteredBy: z.string(),
  enteredByName: z.string().optional(),
  enteredAt: isoInstant,
});

/** `POST /v1/reports/monthly/{area}/{month}/submit` */
export const submitReportBodySchema = z.object({
  analysis: z.string().trim().max(5000).nullable().optional().describe('情况分析, free text.'),
  zeroReport: z.boolean().describe('Must say whether the month is a zero report (零报告).'),
});

/** `POST /v1/reports/monthly/city/{month}/submit` */
export const submitCityReportBodySchema = z.object({
  analysis: z.string().trim().max(5000).nullable().optional().describe('情况分析, free text.'),
});

/** `PUT /v1/assessments/{year}/satellite/{area}` */
export const satelliteScoreBodySchema = z.object({
  score: z.number().min(0).max(100).describe('The satellite enforcement (卫片执法) score, 0-100.'),
});

export type MonthlyReportView = z.output<typeof monthlyReportSchema>;
export type ConsolidatedReportView = z.output<typeof consolidatedReportSchema>;
export type ConsolidatedRow = z.output<typeof consolidatedRowSchema>;
export type QuarterAssessmentView = z.output<typeof quarterAssessmentSchema>;
export type YearAssessmentView = z.output<typeof yearAssessmentSchema>;
export type SatelliteScoreView = z.output<typeof satelliteScoreSchema>;
