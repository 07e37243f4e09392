/**
 * The 100-point assessment (百分考核, contract section 8): each bureau's quarter scored item by item
 * from its patrols, monthly reports, deadlines, discoveries and ledger, and the year as the
 * configured share of the mean of its quarters plus the satellite enforcement score the brigade
 * enters. The brigade reads every bureau, a bureau itself, a leader its district's bureaus.
 */
import {
  type AssessmentWeights,
  type QuarterFacts,
  type Scored,
  scoreQuarter,
  scoreYear,
} from '../domain/assessment.js';
import { AREA_NAMES } from '../domain/labels.js';
import { type LedgerEntry, ledgerEntryDueAt } from '../domain/ledger.js';
import {
  AREA_IDS,
  type AreaId,
  areasOfDistrict,
  type CaseRecord,
  type Principal,
  principalId,
} from '../domain/model.js';
import { computeMonthlyFigures, submittedOnTime } from '../domain/monthly-report.js';
import type { PatrolRecord } from '../domain/patrol.js';
import { monthsOf, type Period, parsePeriod, periodIncludes, weeksOf } from '../domain/periods.js';
import type {
  QuarterAssessmentView,
  SatelliteScoreView,
  YearAssessmentView,
} from '../domain/report-view-schema.js';
import type { LedgerStore } from '../ports/ledger.js';
import type { SatelliteScoreStore, StoredReport } from '../ports/reports.js';
import { ForbiddenError } from './errors.js';
import { type ReportDeps, readAreaData, reportDueAt } from './monthly-reports.js';
import { isDecidable } from './reporting-start.js';

export interface AssessmentDeps extends ReportDeps {
  ledger: LedgerStore;
  satellite: SatelliteScoreStore;
  weights: AssessmentWeights;
}

/** The bureaus an assessment shows the principal. */
function assessmentScope(principal: Principal): AreaId[] {
  switch (principal.kind) {
    case 'brigade':
      return [...AREA_IDS];
    case 'bureau':
      return [principal.area];
    case 'leader':
      return areasOfDistrict(principal.district);
    default:
      throw new ForbiddenError('考核仅供监察大队、国土分局和片区责任领导查看。');
  }
}

interface AreaContext {
  cases: CaseRecord[];
  patrols: PatrolRecord[];
  /** The area's stored reports by month. */
  reports: Map<string, StoredReport>;
  /** The bureau's ledger entries of the year. */
  ledger: LedgerEntry[];
}

/** What one bureau's quarter is scored on (the rules are in docs/reports.md). */
export function quarterFacts(
  quarter: Period,
  context: AreaContext,
  now: Date,
  start: string,
  deps: Pick<AssessmentDeps, 'config'>,
): QuarterFacts {
  const { bureauWeekly } = deps.config.requirements;
  const metIn = (week: Period) =>
    context.patrols.filter((patrol) => patrol.kind === 'bureau' && periodIncludes(week, patrol.startedAt))
      .length >= bureauWeekly;
  // Judged: weeks that began on or after the reporting start and have ended, or are met already.
  const judged = weeksOf(quarter).filter(
    (week) => isDecidable(week, start) && (Date.parse(week.endsAt) <= now.getTime() || metIn(week)),
  );
  let reportsDue = 0;
  let reportsOnTime = 0;
  for (const month of monthsOf(quarter).filter((each) => isDecidable(each, start))) {
    const dueAt = reportDueAt(month, deps.config);
    const submittedAt = context.reports.get(month.id)?.submittedAt;
    if (submittedAt === undefined && now.getTime() <= Date.parse(dueAt)) continue;
    reportsDue += 1;
    if (submittedOnTime(submittedAt, dueAt)) reportsOnTime += 1;
  }
  const figures = computeMonthlyFigures({
    period: quarter,
    cases: context.cases,
    patrols: context.patrols,
    now,
    bureauWeekly,
  });
  const entries = context.ledger.filter((entry) => periodIncludes(quarter, ledgerEntryDueAt(entry)));
  return {
    weeks: judged.length,
    weeksMet: judged.filter(metIn).length,
    bureauWeekly,
    reportsDue,
    reportsOnTime,
    deadlinesDue: figures.deadlines.met + figures.deadlines.breached,
    deadlinesMet: figures.deadlines.met,
    violationsConfirmed: figures.cases.violationsConfirmed,
    violationsConfirmedByPatrol: figures.cases.violationsConfirmedByPatrol,
    admonishments: entries.filter((entry) => entry.kind === 'admonishment').length,
    criticisms: entries.filter((entry) => entry.kind === 'criticism').length,
  };
}

/** Everything the assessment of `areas` over `span` (a quarter or a year) reads, read once. */
async function readContexts(areas: readonly AreaId[], span: Period, deps: AssessmentDeps) {
  const year = Number(span.id.slice(0, 4));
  const [data, ledger, reports, start] = await Promise.all([
    readAreaData(areas, span, deps),
    deps.ledger.list(year),
    Promise.all(monthsOf(span).map((month) => deps.reports.listMonth(month.id))),
    deps.reportingStart(),
  ]);
  const contexts = new Map<AreaId, AreaContext>();
  for (const area of areas) {
    const stored = reports.flat().filter((report) => report.unit === area);
    contexts.set(area, {
      cases: data.get(area)?.cases ?? [],
      patrols: data.get(area)?.patrols ?? [],
      reports: new Map(stored.map((report) => [report.month, report])),
      ledger: ledger.entries.filter((entry) => entry.bureau === `bureau:${area}`),
    });
  }
  return { contexts, vetoes: new Set(ledger.vetoes), start };
}

/** `GET /v1/assessments?quarter=2026-Q4` */
export async function getQuarterAssessment(
  principal: Principal,
  quarter: Period,
  deps: AssessmentDeps,
): Promise<QuarterAssessmentView> {
  const areas = assessmentScope(principal);
  const now = deps.clock.now();
  const { contexts, vetoes, start } = await readContexts(areas, quarter, deps);
  return {
    quarter: quarter.id,
    bureaus: areas.map((area) => {
      const scored: Scored = scoreQuarter(
        quarterFacts(quarter, contexts.get(area)!, now, start, deps),
        deps.weights,
      );
      return {
        area,
        areaName: AREA_NAMES[area],
        score: scored.score,
        items: scored.items,
        vetoed: vetoes.has(`bureau:${area}`),
      };
    }),
  };
}

/**
 * `GET /v1/assessments?year=2026`: the quarters that have begun and did not end before the
 * reporting start, their mean, and the satellite score.
 */
export async function getYearAssessment(
  principal: Principal,
  year: Period,
  deps: AssessmentDeps,
): Promise<YearAssessmentView> {
  const areas = assessmentScope(principal);
  const now = deps.clock.now();
  const [{ contexts, vetoes, start }, satellite] = await Promise.all([
    readContexts(areas, year, deps),
    deps.satellite.satelliteScores(Number(year.id)),
  ]);
  const quarters = [1, 2, 3, 4]
    .map((q) => parsePeriod(`${year.id}-Q${q}`)!)
    .filter((quarter) => Date.parse(quarter.startsAt) <= now.getTime() && quarter.lastDay >= start);
  return {
    year: Number(year.id),
    bureaus: areas.map((area) => {
      const context = contexts.get(area)!;
      const quarterScores = quarters.map((quarter) => ({
        quarter: quarter.id,
        score: scoreQuarter(quarterFacts(quarter, context, now, start, deps), deps.weights).score,
      }));
      const entered = satellite.find((entry) => entry.area === area)?.score ?? null;
      const scored = scoreYear(quarterScores, entered, deps.weights);
      return {
        area,
        areaName: AREA_NAMES[area],
        score: scored.score,
        items: scored.items,
        quarters: quarterScores,
        satellite: entered,
        vetoed: vetoes.has(`bureau:${area}`),
      };
    }),
  };
}

/** `PUT /v1/assessments/{year}/satellite/{area}`: the brigade enters (or corrects) the score. */
export async function putSatelliteScore(
  principal: Principal,
  year: number,
  area: AreaId,
  readBody: () => { score: number },
  deps: Pick<AssessmentDeps, 'satellite' | 'clock'>,
): Promise<SatelliteScoreView> {
  if (principal.kind !== 'brigade') throw new ForbiddenError('只有监察大队可以录入卫片执法得分。');
  const { score } = readBody();
  const entry = {
    year,
    area,
    score,
    enteredBy: principalId(principal),
    ...(principal.actor?.name ? { enteredByName: principal.actor.name } : {}),
    enteredAt: deps.clock.now().toISOString(),
  };
  await deps.satellite.putSatelliteScore(entry);
  return entry;
}
