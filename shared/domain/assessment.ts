/**
 * The 100-point assessment of a bureau (百分考核, contract section 8): each item with its weight, its
 * score and, in Chinese, the basis of the score, so a bureau can see why it got it. Pure: the use
 * case gathers the facts of a quarter (weeks met, reports on time, deadlines, discoveries, ledger
 * entries) and the quarters and satellite score of a year.
 *
 * A ratio with nothing due (no week to judge, no report due, no deadline due, no confirmed
 * violation) scores full marks on its item; every item is listed with its weight even then.
 */
export const ASSESSMENT_ITEMS = [
  'patrol_frequency',
  'reports_on_time',
  'deadlines_met',
  'patrol_discovery',
  'ledger',
] as const;
export type AssessmentItemId = (typeof ASSESSMENT_ITEMS)[number];

export const ASSESSMENT_ITEM_LABELS: Readonly<Record<AssessmentItemId | 'quarters' | 'satellite', string>> = {
  patrol_frequency: '巡查频次',
  reports_on_time: '月报按时报送',
  deadlines_met: '案件办理时限',
  patrol_discovery: '巡查发现率',
  ledger: '巡查台账（诫勉谈话、通报批评）',
  quarters: '季度考核',
  satellite: '卫片执法',
};

/** Weights and deductions (configuration: ASSESSMENT_WEIGHTS; contract section 8's defaults). */
export interface AssessmentWeights {
  patrolFrequency: number;
  reportsOnTime: number;
  deadlinesMet: number;
  patrolDiscovery: number;
  ledger: number;
  /** Points the ledger item loses per admonishment (诫勉谈话) and per criticism (通报批评). */
  admonishmentPenalty: number;
  criticismPenalty: number;
  /** The year: this share of the mean of its quarters plus the rest from the satellite score. */
  quarterShare: number;
  satelliteShare: number;
}

export const DEFAULT_ASSESSMENT_WEIGHTS: AssessmentWeights = {
  patrolFrequency: 30,
  reportsOnTime: 15,
  deadlinesMet: 30,
  patrolDiscovery: 15,
  ledger: 10,
  admonishmentPenalty: 2,
  criticismPenalty: 5,
  quarterShare: 0.8,
  satelliteShare: 0.2,
};

/** What a bureau's quarter is scored on. */
export interface QuarterFacts {
  /** Weeks judged (ended, or met early; none that began before REPORTING_START) and those met. */
  weeks: number;
  weeksMet: number;
  bureauWeekly: number;
  /** Monthly reports due so far (or submitted) and those submitted by their due instant. */
  reportsDue: number;
  reportsOnTime: number;
  /** Deadlines that fell due in the quarter: met, and met or breached (see monthly-report.ts). */
  deadlinesDue: number;
  deadlinesMet: number;
  violationsConfirmed: number;
  violationsConfirmedByPatrol: number;
  /** Ledger entries of the bureau whose cause fell due in the quarter. */
  admonishments: number;
  criticisms: number;
}

export interface AssessmentItem {
  item: AssessmentItemId | 'quarters' | 'satellite';
  /** The item's name in Chinese. */
  label: string;
  weight: number;
  score: number;
  /** Why this score, in Chinese. */
  basis: string;
}

export interface Scored {
  score: number;
  items: AssessmentItem[];
}

const round2 = (value: number) => Math.round(value * 100) / 100;
/** A number as people read it in a basis: at most two decimals, no trailing zeros. */
const shown = (value: number) => String(round2(value));
const percent = (part: number, whole: number) => `${shown((part / whole) * 100)}%`;

function ratioItem(
  item: AssessmentItemId,
  weight: number,
  part: number,
  whole: number,
  describe: (score: number) => string,
  nothingDue: string,
): AssessmentItem {
  const label = ASSESSMENT_ITEM_LABELS[item];
  if (whole === 0)
    return { item, label, weight, score: weight, basis: `${nothingDue}，按满分计${shown(weight)}分` };
  const score = round2((weight * part) / whole);
  return { item, label, weight, score, basis: describe(score) };
}

/** `第四季度` for `2026-Q4`. */
const quarterName = (quarter: string): string => `第${'一二三四'[Number(quarter.slice(6)) - 1] ?? ''}季度`;

/** The quarter's items and total. */
export function scoreQuarter(
  facts: QuarterFacts,
  weights: AssessmentWeights = DEFAULT_ASSESSMENT_WEIGHTS,
): Scored {
  const items: AssessmentItem[] = [
    ratioItem(
      'patrol_frequency',
      weights.patrolFrequency,
      facts.weeksMet,
      facts.weeks,
      (score) =>
        `应考核${facts.weeks}周，分局巡查达到每周${facts.bureauWeekly}次的${facts.weeksMet}周（${percent(facts.weeksMet, facts.weeks)}），得分${shown(weights.patrolFrequency)}×${facts.weeksMet}/${facts.weeks}=${shown(score)}`,
      '本季度尚无应考核的周',
    ),
    ratioItem(
      'reports_on_time',
      weights.reportsOnTime,
      facts.reportsOnTime,
      facts.reportsDue,
      (score) =>
        `应报月报${facts.reportsDue}份，按时报送${facts.reportsOnTime}份，得分${shown(weights.reportsOnTime)}×${facts.reportsOnTime}/${facts.reportsDue}=${shown(score)}`,
      '本季度尚无到期的月报',
    ),
    ratioItem(
      'deadlines_met',
      weights.deadlinesMet,
      facts.deadlinesMet,
      facts.deadlinesDue,
      (score) =>
        `到期办理时限${facts.deadlinesDue}个，按时完成${facts.deadlinesMet}个、超时${facts.deadlinesDue - facts.deadlinesMet}个，得分${shown(weights.deadlinesMet)}×${facts.deadlinesMet}/${facts.deadlinesDue}=${shown(score)}`,
      '本季度无到期的办理时限',
    ),
    ratioItem(
      'patrol_discovery',
      weights.patrolDiscovery,
      facts.violationsConfirmedByPatrol,
      facts.violationsConfirmed,
      (score) =>
        `核查属实的违法行为${facts.violationsConfirmed}起，其中巡查发现${facts.violationsConfirmedByPatrol}起（${percent(facts.violationsConfirmedByPatrol, facts.violationsConfirmed)}），得分${shown(weights.patrolDiscovery)}×${facts.violationsConfirmedByPatrol}/${facts.violationsConfirmed}=${shown(score)}`,
      '本季度无核查属实的违法行为',
    ),
    ledgerItem(facts, weights),
  ];
  return { score: round2(items.reduce((sum, item) => sum + item.score, 0)), items };
}

function ledgerItem(facts: QuarterFacts, weights: AssessmentWeights): AssessmentItem {
  const deduction =
    facts.admonishments * weights.admonishmentPenalty + facts.criticisms * weights.criticismPenalty;
  const score = round2(Math.max(0, weights.ledger - deduction));
  const floor = weights.ledger - deduction < 0 ? '（不低于0分）' : '';
  return {
    item: 'ledger',
    label: ASSESSMENT_ITEM_LABELS.ledger,
    weight: weights.ledger,
    score,
    basis: `诫勉谈话${facts.admonishments}次（每次扣${shown(weights.admonishmentPenalty)}分）、通报批评${facts.criticisms}次（每次扣${shown(weights.criticismPenalty)}分），得分${shown(weights.ledger)}−${shown(deduction)}=${shown(score)}${floor}`,
  };
}

/**
 * The year: `quarterShare` × the mean of its quarters plus `satelliteShare` × the satellite
 * enforcement score (卫片执法) the brigade entered; one not yet entered counts 0 and says so.
 */
export function scoreYear(
  quarters: ReadonlyArray<{ quarter: string; score: number }>,
  satellite: number | null,
  weights: AssessmentWeights = DEFAULT_ASSESSMENT_WEIGHTS,
): Scored {
  const quarterWeight = round2(weights.quarterShare * 100);
  const satelliteWeight = round2(weights.satelliteShare * 100);
  const mean = quarters.length === 0 ? 100 : quarters.reduce((sum, q) => sum + q.score, 0) / quarters.length;
  const quarterScore = round2(mean * weights.quarterShare);
  const satelliteScore = round2((satellite ?? 0) * weights.satelliteShare);
  const items: AssessmentItem[] = [
    {
      item: 'quarters',
      label: ASSESSMENT_ITEM_LABELS.quarters,
      weight: quarterWeight,
      score: quarterScore,
      basis:
        quarters.length === 0
          ? `本年度尚无可考核的季度，按满分计：100×${shown(weights.quarterShare)}=${shown(quarterScore)}`
          : `${quarters.map((q) => `${quarterName(q.quarter)}${shown(q.score)}分`).join('、')}，平均${shown(mean)}分：${shown(mean)}×${shown(weights.quarterShare)}=${shown(quarterScore)}`,
    },
    {
      item: 'satellite',
      label: ASSESSMENT_ITEM_LABELS.satellite,
      weight: satelliteWeight,
      score: satelliteScore,
      basis:
        satellite === null
          ? '卫片执法得分尚未录入，暂按0分计'
          : `卫片执法得分${shown(satellite)}分：${shown(satellite)}×${shown(weights.satelliteShare)}=${shown(satelliteScore)}`,
    },
  ];
  return { score: round2(quarterScore + satelliteScore), items };
}
