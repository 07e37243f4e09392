/**
 * Patrol frequency (contract section 7): for a period, which unit had to patrol how often and how
 * often it did. An ISO week lists the bureaus (`bureau_weekly`), a calendar month the brigade
 * (`brigade_monthly`, and `supervision_monthly` once per bureau checked), a quarter each district's
 * leaders (`leader_quarterly`). A row is `met` as soon as done ≥ required, `open` while below and
 * not yet decided, `short` once decided below. A period is decided at the end of its grace (the
 * second working day after it ends), unless it began before the reporting start. Pure.
 */
import type { WorkingCalendar } from './calendar.js';
import { principalName } from './labels.js';
import {
  AREA_DISTRICT,
  AREA_IDS,
  type AreaId,
  DISTRICT_IDS,
  type DistrictId,
  type Principal,
  principalId,
} from './model.js';
import {
  PATROL_REQUIREMENT_LABELS,
  type PatrolKind,
  type PatrolRecord,
  type PatrolRequirementId,
  type PatrolRequirements,
} from './patrol.js';
import {
  graceEndsAt,
  nextPeriod,
  type Period,
  type PeriodKind,
  periodContaining,
  periodIncludes,
} from './periods.js';

/** The period kinds that carry patrol requirements. */
export const COMPLIANCE_PERIOD_KINDS = ['week', 'month', 'quarter'] as const satisfies readonly PeriodKind[];
export type CompliancePeriodKind = (typeof COMPLIANCE_PERIOD_KINDS)[number];

export const isCompliancePeriod = (period: Period): period is Period & { kind: CompliancePeriodKind } =>
  (COMPLIANCE_PERIOD_KINDS as readonly string[]).includes(period.kind);

export type ComplianceStatus = 'met' | 'open' | 'short';

export interface ComplianceRow {
  /** The principal that must patrol: `bureau:guli`, `brigade`, `leader:district-1`. */
  unit: string;
  /** The unit's Chinese name (梅李镇国土分局). */
  unitName: string;
  requirement: PatrolRequirementId;
  /** The requirement in the patrol rules' words. */
  requirementLabel: string;
  /** The area the row is about: the bureau's own, the bureau checked; null for the other rows. */
  area: AreaId | null;
  /** The district of a leader row. */
  district?: DistrictId;
  required: number;
  done: number;
  status: ComplianceStatus;
}

/** The patrol kinds that count in a period of this kind (what a compliance read must load). */
export function patrolKindsCounted(kind: CompliancePeriodKind): PatrolKind[] {
  switch (kind) {
    case 'week':
      return ['bureau'];
    case 'month':
      return ['brigade', 'spot_check', 'supervision'];
    case 'quarter':
      return ['leader'];
  }
}

/** Every row of the period, from its patrols (any others are ignored), in a stable order. */
export function complianceRows(
  period: Period & { kind: CompliancePeriodKind },
  patrols: readonly PatrolRecord[],
  requirements: PatrolRequirements,
  decided: boolean,
): ComplianceRow[] {
  const inPeriod = patrols.filter((patrol) => periodIncludes(period, patrol.startedAt));
  const count = (test: (patrol: PatrolRecord) => boolean) => inPeriod.filter(test).length;
  const row = (
    unit: string,
    requirement: PatrolRequirementId,
    area: AreaId | null,
    required: number,
    done: number,
    district?: DistrictId,
  ): ComplianceRow => ({
    unit,
    unitName: principalName(unit),
    requirement,
    requirementLabel: PATROL_REQUIREMENT_LABELS[requirement],
    area,
    ...(district ? { district } : {}),
    required,
    done,
    status: done >= required ? 'met' : decided ? 'short' : 'open',
  });
  switch (period.kind) {
    case 'week':
      return AREA_IDS.map((area) =>
        row(
          `bureau:${area}`,
          'bureau_weekly',
          area,
          requirements.bureauWeekly,
          count((patrol) => patrol.kind === 'bureau' && patrol.area === area),
        ),
      );
    case 'month':
      return [
        row(
          'brigade',
          'brigade_monthly',
          null,
          requirements.brigadeMonthly,
          count((patrol) => patrol.kind === 'brigade' || patrol.kind === 'spot_check'),
        ),
        ...AREA_IDS.map((area) =>
          row(
            'brigade',
            'supervision_monthly',
            area,
            requirements.supervisionMonthly,
            count((patrol) => patrol.kind === 'supervision' && patrol.area === area),
          ),
        ),
      ];
    case 'quarter':
      return DISTRICT_IDS.map((district) =>
        row(
          `leader:${district}`,
          'leader_quarterly',
          null,
          requirements.leaderQuarterly,
          count((patrol) => patrol.kind === 'leader' && AREA_DISTRICT[patrol.area] === district),
          district,
        ),
      );
  }
}

/**
 * The rows a principal may see: the brigade every row, a bureau its own, a leader its own and those
 * about its district's areas; undefined for principals that see none (partners, sources).
 */
export function rowsVisibleTo(
  principal: Principal,
  rows: readonly ComplianceRow[],
): ComplianceRow[] | undefined {
  const self = principalId(principal);
  switch (principal.kind) {
    case 'brigade':
      return [...rows];
    case 'bureau':
      return rows.filter((row) => row.unit === self);
    case 'leader':
      return rows.filter(
        (row) => row.unit === self || (row.area !== null && AREA_DISTRICT[row.area] === principal.district),
      );
    default:
      return undefined;
  }
}

/** When the period is decided: 23:59:59 of the last day of its grace (`graceWorkingDays`). */
export function decidesAt(
  period: Period,
  calendar: WorkingCalendar,
  requirements: PatrolRequirements,
): string {
  return graceEndsAt(period, calendar, requirements.graceWorkingDays);
}

/** Periods that began before the reporting start (a `YYYY-MM-DD` day) are never decided. */
export const decidable = (period: Period, reportingStart: string): boolean =>
  period.firstDay >= reportingStart;

/** Whether the period is decided at `now`: decidable, and its grace over (from the midnight after). */
export function isDecided(
  period: Period,
  now: Date,
  calendar: WorkingCalendar,
  requirements: PatrolRequirements,
  reportingStart: string,
): boolean {
  return (
    decidable(period, reportingStart) &&
    now.getTime() >= Date.parse(decidesAt(period, calendar, requirements)) + 1000
  );
}

/** The first period of a kind that begins on or after the reporting start: the first ever decided. */
export function firstDecidablePeriod(kind: CompliancePeriodKind, reportingStart: string): Period {
  const containing = periodContaining(kind, reportingStart);
  return decidable(containing, reportingStart) ? containing : nextPeriod(containing);
}

/** One unit's standing in a period: short when any of its rows is, met when all are. */
export interface UnitOutcome {
  unit: string;
  status: ComplianceStatus;
  rows: ComplianceRow[];
}

export function unitOutcomes(rows: readonly ComplianceRow[]): UnitOutcome[] {
  const byUnit = new Map<string, ComplianceRow[]>();
  for (const row of rows) byUnit.set(row.unit, [...(byUnit.get(row.unit) ?? []), row]);
  return [...byUnit].map(([unit, unitRows]) => ({
    unit,
    rows: unitRows,
    status: unitRows.some((row) => row.status === 'short')
      ? 'short'
      : unitRows.every((row) => row.status === 'met')
        ? 'met'
        : 'open',
  }));
}
