/**
 * The monthly reports (contract section 8): a bureau's report computed from the data, its
 * submission (figures frozen, who and when recorded, the town's and the brigade's copies sent once),
 * the brigade's consolidated report and its submission to the leadership and the city's inspection
 * detachment. Reads cases through the area index bounded by when they were opened and patrols
 * through the patrol reader; never a scan.
 */
import { canReadArea } from '../domain/access.js';
import { AREA_NAMES } from '../domain/labels.js';
import {
  AREA_IDS,
  type AreaId,
  areasOfDistrict,
  type CaseRecord,
  type Principal,
  principalId,
} from '../domain/model.js';
import {
  type BrigadeFigures,
  computeBrigadeFigures,
  computeMonthlyFigures,
  isZeroReport,
  type MonthlyFigures,
  reportStatus,
  sumFigures,
} from '../domain/monthly-report.js';
import type { PatrolRecord, PatrolRequirements } from '../domain/patrol.js';
import { monthlyReportDueAt, type Period, weeksOf } from '../domain/periods.js';
import { cityReportNotices, monthlyReportNotices, type PlannedNotice } from '../domain/report-notices.js';
import type {
  ConsolidatedReportView,
  ConsolidatedRow,
  MonthlyReportView,
} from '../domain/report-view-schema.js';
import { type AssignmentQueue, type Clock, ConditionFailedError } from '../ports/index.js';
import type { PatrolReader } from '../ports/patrols.js';
import type { CaseHistoryReader, ReportStore, ReportUnit, StoredReport } from '../ports/reports.js';
import { AlreadySubmittedError, ForbiddenError, PeriodOpenError, ZeroReportMismatchError } from './errors.js';
import { noticeMessage } from './notices.js';
import { isDecidable } from './reporting-start.js';

export interface ReportingConfig {
  /** Day of the following month a bureau's report is due (contract section 8: the 25th). */
  dueDay: number;
  /** How far before a month cases are read for its events and deadlines (docs/reports.md). */
  lookbackDays: number;
  requirements: PatrolRequirements;
}

export const DEFAULT_REPORTING_CONFIG = { dueDay: 25, lookbackDays: 120 } as const;

export interface ReportDeps {
  cases: CaseHistoryReader;
  patrols: PatrolReader;
  reports: ReportStore;
  queue: AssignmentQueue;
  clock: Clock;
  /** The first day whose months are decided (shared/usecases/reporting-start.ts). */
  reportingStart: () => Promise<string>;
  config: ReportingConfig;
}

const DAY_MS = 86_400_000;

/** The instants whose data a period's figures need: cases back to the lookback, patrols of its weeks. */
export function readSpan(period: Period, lookbackDays: number) {
  const weeks = weeksOf(period);
  const first = [period.startsAt, weeks[0]?.startsAt].filter(Boolean).map((at) => Date.parse(at!));
  const last = [period.endsAt, weeks.at(-1)?.endsAt].filter(Boolean).map((at) => Date.parse(at!));
  return {
    casesFrom: new Date(Date.parse(period.startsAt) - lookbackDays * DAY_MS).toISOString(),
    casesTo: new Date(Date.parse(period.endsAt)).toISOString(),
    patrolsFrom: new Date(Math.min(...first)).toISOString(),
    patrolsTo: new Date(Math.max(...last)).toISOString(),
  };
}

/** The cases and patrols of some areas over a period's span, read once for all of them. */
export async function readAreaData(
  areas: readonly AreaId[],
  period: Period,
  deps: Pick<ReportDeps, 'cases' | 'patrols' | 'config'>,
): Promise<Map<AreaId, { cases: CaseRecord[]; patrols: PatrolRecord[] }>> {
  const span = readSpan(period, deps.config.lookbackDays);
  const [casesPerArea, patrols] = await Promise.all([
    Promise.all(
      areas.map((area) => deps.cases.casesOfAreaCreatedBetween(area, span.casesFrom, span.casesTo)),
    ),
    deps.patrols.allPatrols({
      ...(areas.length === 1 ? { area: areas[0]! } : { areas }),
      from: span.patrolsFrom,
      to: span.patrolsTo,
    }),
  ]);
  return new Map(
    areas.map((area, index) => [
      area,
      { cases: casesPerArea[index] ?? [], patrols: patrols.filter((patrol) => patrol.area === area) },
    ]),
  );
}

const figuresOf = (
  data: { cases: CaseRecord[]; patrols: PatrolRecord[] } | undefined,
  month: Period,
  now: Date,
  config: ReportingConfig,
): MonthlyFigures =>
  computeMonthlyFigures({
    period: month,
    cases: data?.cases ?? [],
    patrols: data?.patrols ?? [],
    now,
    bureauWeekly: config.requirements.bureauWeekly,
  });

/** The bureau's due instant of a month. */
export const reportDueAt = (month: Period, config: Pick<ReportingConfig, 'dueDay'>): string =>
  monthlyReportDueAt(month, config.dueDay);

/** The consolidated report is due at the end of the following month (docs/reports.md). */
export const cityReportDueAt = (month: Period): string => monthlyReportDueAt(month, 31);

function submissionFields(stored: StoredReport | undefined) {
  return {
    analysis: stored?.analysis ?? null,
    submittedAt: stored?.submittedAt ?? null,
    submittedBy: stored?.submittedBy ?? null,
    ...(stored?.submittedByName ? { submittedByName: stored.submittedByName } : {}),
  };
}

function bureauView(
  area: AreaId,
  month: Period,
  stored: StoredReport | undefined,
  live: MonthlyFigures | undefined,
  now: Date,
  start: string,
  config: ReportingConfig,
): MonthlyReportView {
  const frozen = stored?.submittedAt !== undefined;
  const figures = (frozen ? stored?.figures : live) as MonthlyFigures;
  const dueAt = reportDueAt(month, config);
  return {
    area,
    areaName: AREA_NAMES[area],
    month: month.id,
    status: reportStatus({
      month,
      dueAt,
      submittedAt: stored?.submittedAt,
      now,
      decidable: isDecidable(month, start),
    }),
    dueAt,
    figures,
    zeroReport: frozen && stored?.zeroReport !== undefined ? stored.zeroReport : isZeroReport(figures),
    ...submissionFields(stored),
  };
}

/** `GET /v1/reports/monthly?area=&month=`: the bureau's, the brigade's and its district leader's to read. */
export async function getMonthlyReport(
  principal: Principal,
  area: AreaId,
  month: Period,
  deps: ReportDeps,
): Promise<MonthlyReportView> {
  if (!canReadArea(principal, area)) throw new ForbiddenError('您无权查看该属地的巡查月报。');
  const now = deps.clock.now();
  const [stored, start] = await Promise.all([deps.reports.getReport(area, month.id), deps.reportingStart()]);
  const live =
    stored?.submittedAt === undefined
      ? figuresOf((await readAreaData([area], month, deps)).get(area), month, now, deps.config)
      : undefined;
  return bureauView(area, month, stored, live, now, start, deps.config);
}

/** The areas of the consolidated report a principal may read, or Forbidden. */
function consolidatedScope(principal: Principal): AreaId[] {
  if (principal.kind === 'brigade') return [...AREA_IDS];
  if (principal.kind === 'leader') return areasOfDistrict(principal.district);
  throw new ForbiddenError('全市汇总月报仅供监察大队和片区责任领导查看。');
}

async function liveConsolidated(
  areas: readonly AreaId[],
  month: Period,
  deps: ReportDeps,
  now: Date,
): Promise<{ bureaus: ConsolidatedRow[]; brigade: BrigadeFigures; totals: MonthlyFigures }> {
  const [storedList, start] = await Promise.all([deps.reports.listMonth(month.id), deps.reportingStart()]);
  const stored = new Map(storedList.map((report) => [report.unit, report]));
  const unsubmitted = areas.filter((area) => stored.get(area)?.submittedAt === undefined);
  const span = readSpan(month, deps.config.lookbackDays);
  const [data, patrols] = await Promise.all([
    unsubmitted.length > 0 ? readAreaData(unsubmitted, month, deps) : new Map(),
    deps.patrols.allPatrols({
      areas,
      kinds: ['brigade', 'spot_check', 'supervision'],
      from: span.patrolsFrom,
      to: span.patrolsTo,
    }),
  ]);
  const bureaus = areas.map((area): ConsolidatedRow => {
    const report = stored.get(area);
    const live =
      report?.submittedAt === undefined ? figuresOf(data.get(area), month, now, deps.config) : undefined;
    const view = bureauView(area, month, report, live, now, start, deps.config);
    return {
      area,
      areaName: view.areaName,
      status: view.status,
      submittedAt: view.submittedAt,
      zeroReport: view.zeroReport,
      figures: view.figures,
    };
  });
  const brigade = computeBrigadeFigures({
    month,
    patrols,
    areas,
    brigadeMonthly: deps.config.requirements.brigadeMonthly,
    supervisionMonthly: deps.config.requirements.supervisionMonthly,
  });
  return { bureaus, brigade, totals: sumFigures(bureaus.map((row) => row.figures)) };
}

interface FrozenCityReport {
  bureaus: ConsolidatedRow[];
  brigade: BrigadeFigures;
  totals: MonthlyFigures;
}

/**
 * `GET /v1/reports/monthly?month=`: one row per bureau (its frozen figures once it submitted) plus
 * the brigade's own patrols, spot checks and supervisions. A leader sees its district's rows only.
 */
export async function getConsolidatedReport(
  principal: Principal,
  month: Period,
  deps: ReportDeps,
): Promise<ConsolidatedReportView> {
  const areas = consolidatedScope(principal);
  const now = deps.clock.now();
  const [city, start] = await Promise.all([deps.reports.getReport('city', month.id), deps.reportingStart()]);
  const frozen = principal.kind === 'brigade' && city?.submittedAt !== undefined;
  const body = frozen ? (city?.figures as FrozenCityReport) : await liveConsolidated(areas, month, deps, now);
  const dueAt = cityReportDueAt(month);
  return {
    month: month.id,
    ...(principal.kind === 'leader' ? { district: principal.district } : {}),
    status: reportStatus({
      month,
      dueAt,
      submittedAt: city?.submittedAt,
      now,
      decidable: isDecidable(month, start),
    }),
    dueAt,
    bureaus: body.bureaus,
    brigade: body.brigade,
    totals: body.totals,
    ...submissionFields(city),
  };
}

/** Hands the notices to the notifier (once per key, however often) and records that it did. */
async function sendNotices(
  unit: ReportUnit,
  month: string,
  notices: readonly PlannedNotice[],
  deps: ReportDeps,
): Promise<void> {
  const at = deps.clock.now().toISOString();
  for (const { key, notification } of notices) await deps.queue.send(noticeMessage(key, notification, at));
  await deps.reports.mark(unit, month, 'notifiedAt', at);
}

/** The notices of a stored submission (a bureau's or the city's). */
export function submissionNotices(stored: StoredReport): PlannedNotice[] {
  if (stored.submittedAt === undefined) return [];
  if (stored.unit === 'city') {
    const frozen = stored.figures as FrozenCityReport;
    return cityReportNotices({
      month: stored.month,
      totals: frozen.totals,
      submittedBureaus: frozen.bureaus.filter((row) => row.submittedAt !== null).length,
      bureaus: frozen.bureaus.length,
      analysis: stored.analysis ?? null,
      submittedAt: stored.submittedAt,
    });
  }
  return monthlyReportNotices({
    area: stored.unit,
    month: stored.month,
    figures: stored.figures as MonthlyFigures,
    zeroReport: stored.zeroReport ?? false,
    analysis: stored.analysis ?? null,
    submittedAt: stored.submittedAt,
  });
}

/**
 * A second submission: refused, but a first one whose notices were never handed over (the function
 * failed right after storing it) gets them now, so a client's retry heals it.
 */
async function refuseSecond(stored: StoredReport, deps: ReportDeps): Promise<never> {
  if (stored.notifiedAt === undefined)
    await sendNotices(stored.unit, stored.month, submissionNotices(stored), deps);
  throw new AlreadySubmittedError('该月报已报送，已报送的月报不能重复报送或替换。');
}

function assertMonthOver(month: Period, now: Date): void {
  if (now.getTime() < Date.parse(month.endsAt))
    throw new PeriodOpenError('本月尚未结束，月报须在次月1日起报送。');
}

export interface SubmitBody {
  analysis?: string | null | undefined;
  zeroReport: boolean;
}

/**
 * `POST /v1/reports/monthly/{area}/{month}/submit` by the area's bureau or the brigade. `readBody`
 * is called once the caller may submit, so anyone else learns "forbidden" and never the body's rules.
 */
export async function submitMonthlyReport(
  principal: Principal,
  area: AreaId,
  month: Period,
  readBody: () => SubmitBody,
  deps: ReportDeps,
): Promise<MonthlyReportView> {
  const mayAct = principal.kind === 'brigade' || (principal.kind === 'bureau' && principal.area === area);
  if (!mayAct) throw new ForbiddenError('只有本属地国土分局或监察大队可以报送该月报。');
  const body = readBody();
  const now = deps.clock.now();
  assertMonthOver(month, now);
  const existing = await deps.reports.getReport(area, month.id);
  if (existing?.submittedAt !== undefined) return refuseSecond(existing, deps);
  const figures = figuresOf((await readAreaData([area], month, deps)).get(area), month, now, deps.config);
  const zeroReport = isZeroReport(figures);
  if (body.zeroReport !== zeroReport) {
    throw new ZeroReportMismatchError(
      zeroReport
        ? '本月无任何来源的新发案件，须报送零报告（zeroReport为true）。'
        : '本月有新发案件，不是零报告（zeroReport须为false）。',
    );
  }
  const submission = {
    unit: area,
    month: month.id,
    submittedAt: now.toISOString(),
    submittedBy: principalId(principal),
    ...(principal.actor?.name ? { submittedByName: principal.actor.name } : {}),
    analysis: body.analysis ?? null,
    zeroReport,
    figures,
  };
  try {
    await deps.reports.submit(submission);
  } catch (error) {
    if (!(error instanceof ConditionFailedError)) throw error;
    const winner = await deps.reports.getReport(area, month.id);
    return refuseSecond(winner ?? submission, deps);
  }
  await sendNotices(area, month.id, submissionNotices(submission), deps);
  const [stored, start] = await Promise.all([deps.reports.getReport(area, month.id), deps.reportingStart()]);
  return bureauView(area, month, stored ?? submission, undefined, now, start, deps.config);
}

/** `POST /v1/reports/monthly/city/{month}/submit`: the brigade's consolidated report, to leadership and superior. */
export async function submitCityReport(
  principal: Principal,
  month: Period,
  readBody: () => { analysis?: string | null | undefined },
  deps: ReportDeps,
): Promise<ConsolidatedReportView> {
  if (principal.kind !== 'brigade') throw new ForbiddenError('只有监察大队可以报送全市汇总月报。');
  const body = readBody();
  const now = deps.clock.now();
  assertMonthOver(month, now);
  const existing = await deps.reports.getReport('city', month.id);
  if (existing?.submittedAt !== undefined) return refuseSecond(existing, deps);
  const frozen: FrozenCityReport = await liveConsolidated(AREA_IDS, month, deps, now);
  const submission = {
    unit: 'city' as const,
    month: month.id,
    submittedAt: now.toISOString(),
    submittedBy: principalId(principal),
    ...(principal.actor?.name ? { submittedByName: principal.actor.name } : {}),
    analysis: body.analysis ?? null,
    figures: frozen,
  };
  try {
    await deps.reports.submit(submission);
  } catch (error) {
    if (!(error instanceof ConditionFailedError)) throw error;
    const winner = await deps.reports.getReport('city', month.id);
    return refuseSecond(winner ?? submission, deps);
  }
  await sendNotices('city', month.id, submissionNotices(submission), deps);
  return getConsolidatedReport(principal, month, deps);
}
