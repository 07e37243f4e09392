/**
 * `GET /v1/patrols/compliance?period=` (contract section 7): each unit's requirement in the period,
 * the patrols it did, and `met` / `open` / `short`, seen through the caller's principal. Computed
 * from the patrols of the period (one query on the patrol index), the requirements and the working
 * calendar; the sweeper decides the same period with the same functions, at the same instant.
 */
import { shanghaiDate, type WorkingCalendar } from '../domain/calendar.js';
import { periodLabel } from '../domain/labels.js';
import type { Principal } from '../domain/model.js';
import type { PatrolRequirements } from '../domain/patrol.js';
import {
  type CompliancePeriodKind,
  type ComplianceRow,
  complianceRows,
  decidesAt,
  isDecided,
  patrolKindsCounted,
  rowsVisibleTo,
} from '../domain/patrol-compliance.js';
import type { Period } from '../domain/periods.js';
import type { Clock } from '../ports/index.js';
import type { ReportingStartStore } from '../ports/patrol-periods.js';
import type { PatrolReader } from '../ports/patrols.js';
import { ForbiddenError } from './errors.js';

export interface ComplianceDeps {
  patrols: PatrolReader;
  clock: Clock;
  calendar: WorkingCalendar;
  requirements: PatrolRequirements;
  reportingStart: ReportingStartStore;
}

export interface ComplianceView {
  period: string;
  kind: CompliancePeriodKind;
  /** 2026年第49周 */
  label: string;
  startsAt: string;
  endsAt: string;
  /** The end of the grace: from the next instant the period is decided. */
  decidesAt: string;
  /** Whether `short` may appear: the grace is over and the period began on or after the reporting start. */
  decided: boolean;
  /** The reporting start: periods that began before it are never decided (they stay `open` below). */
  reportingStart: string;
  units: ComplianceRow[];
}

/** Refuses principals that read no compliance (partners, sources), before their query is read. */
export function assertMayReadCompliance(principal: Principal): void {
  if (rowsVisibleTo(principal, []) === undefined)
    throw new ForbiddenError('只有国土分局、监察大队和片区责任领导可以查看巡查落实情况。');
}

export async function readCompliance(
  principal: Principal,
  period: Period & { kind: CompliancePeriodKind },
  deps: ComplianceDeps,
): Promise<ComplianceView> {
  assertMayReadCompliance(principal);
  const now = deps.clock.now();
  const reportingStart = await deps.reportingStart.reportingStart(shanghaiDate(now));
  const patrols = await deps.patrols.allPatrols({
    kinds: patrolKindsCounted(period.kind),
    from: period.startsAt,
    to: period.endsAt,
  });
  const decided = isDecided(period, now, deps.calendar, deps.requirements, reportingStart);
  const rows = complianceRows(period, patrols, deps.requirements, decided);
  return {
    period: period.id,
    kind: period.kind,
    label: periodLabel(period),
    startsAt: period.startsAt,
    endsAt: period.endsAt,
    decidesAt: decidesAt(period, deps.calendar, deps.requirements),
    decided,
    reportingStart,
    units: rowsVisibleTo(principal, rows) ?? [],
  };
}
