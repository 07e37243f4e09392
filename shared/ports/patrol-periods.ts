/**
 * What the sweeper keeps about patrol periods (contract section 7), so that each decision, its
 * notices and its ledger entry happen once however many sweeps run, and no sweep has to look at a
 * period twice: per period and unit the decision (written on condition that none exists), per
 * period kind how far every period is decided and handed over, per period whether its reminders
 * went out; and the reporting start.
 */
import type { CompliancePeriodKind, ComplianceRow } from '../domain/patrol-compliance.js';

export interface PatrolDecision {
  /** `2026-W49`, `2026-12`, `2026-Q4`. */
  period: string;
  /** `bureau:<area>`, `brigade`, `leader:<district>`. */
  unit: string;
  status: 'met' | 'short';
  /** The unit's rows as decided. */
  rows: ComplianceRow[];
  decidedAt: string;
  /** When its notices and ledger entry were handed over (at once for `met`); absent until then. */
  handedOverAt?: string;
}

export interface PatrolPeriodStore {
  /** The last period of this kind whose every unit is decided and handed over; undefined before the first. */
  decidedThrough(kind: CompliancePeriodKind): Promise<string | undefined>;
  /**
   * Moves the mark of `kind` from `from` (undefined: no mark yet) to `to`; false, changing nothing,
   * when another sweep moved it meanwhile.
   */
  advanceDecidedThrough(kind: CompliancePeriodKind, from: string | undefined, to: string): Promise<boolean>;
  /** Records the decision unless one exists for its period and unit; answers the stored one (the first wins). */
  decide(decision: PatrolDecision): Promise<PatrolDecision>;
  /** Records that the decision's notices and ledger entry were handed over. */
  markHandedOver(period: string, unit: string, at: string): Promise<void>;
  /** Whether the period's reminders (last working day, 09:00) were handed over. */
  remindersHandedOver(period: string): Promise<boolean>;
  markRemindersHandedOver(period: string, at: string): Promise<void>;
}

/**
 * The reporting start (`REPORTING_START`, contract section 7): periods and report months that began
 * before it are never decided. Configured, or else the day the deployment first used it.
 */
export interface ReportingStartStore {
  /** The stored day (`YYYY-MM-DD`), or `today` stored now when none was (the first caller wins). */
  reportingStart(today: string): Promise<string>;
}
