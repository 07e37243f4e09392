/**
 * What the monthly reports, their sweeper decisions and the assessment need from storage (contract
 * section 8): the submitted (frozen) reports and the once-only decision markers of each area and
 * month, the satellite enforcement scores, the cases of an area by when they were opened, and the
 * day the deployment first started (REPORTING_START's default).
 */
import type { AreaId, CaseRecord } from '../domain/model.js';

export type ReportUnit = AreaId | 'city';

/** Once-only marks a report's item carries beside its submission. */
export const REPORT_MARKS = ['remindedAt', 'overdueAt', 'notifiedAt'] as const;
export type ReportMark = (typeof REPORT_MARKS)[number];

/** A report as stored: its submission (figures frozen with it) and the sweeper's decisions. */
export interface StoredReport {
  unit: ReportUnit;
  /** `2026-11`. */
  month: string;
  /** UTC ISO instant of the submission; absent while not submitted. */
  submittedAt?: string;
  /** The principal that submitted (`bureau:meili`, `brigade`) and the person, when the token names one. */
  submittedBy?: string;
  submittedByName?: string;
  analysis?: string | null;
  zeroReport?: boolean;
  /** The figures as they were at submission (a bureau's MonthlyFigures or the city's consolidation). */
  figures?: unknown;
  /** When the reminder was handed to the notifier. */
  remindedAt?: string;
  /** When the report was decided overdue (notices and ledger entry handed over). */
  overdueAt?: string;
  /** When the submission's notices were handed to the notifier. */
  notifiedAt?: string;
}

export type ReportSubmission = Required<
  Pick<StoredReport, 'unit' | 'month' | 'submittedAt' | 'submittedBy'>
> &
  Pick<StoredReport, 'submittedByName' | 'analysis' | 'zeroReport' | 'figures'>;

export interface ReportStore {
  getReport(unit: ReportUnit, month: string): Promise<StoredReport | undefined>;
  /** Every stored report of a month (areas and city): one query, never a scan. */
  listMonth(month: string): Promise<StoredReport[]>;
  /** Stores the submission unless the report was submitted already (then ConditionFailedError). */
  submit(submission: ReportSubmission): Promise<void>;
  /** Sets a mark unless it is set: true when this call set it. */
  mark(unit: ReportUnit, month: string, mark: ReportMark, at: string): Promise<boolean>;
  /** The last month up to which every report is settled (submitted on time or decided overdue). */
  sweptThrough(): Promise<string | undefined>;
  /** Moves that watermark forward (never back). */
  advanceSweptThrough(month: string): Promise<void>;
}

/** The satellite enforcement score (卫片执法) the brigade enters per bureau and year. */
export interface SatelliteScore {
  year: number;
  area: AreaId;
  score: number;
  enteredBy: string;
  enteredByName?: string;
  enteredAt: string;
}

export interface SatelliteScoreStore {
  putSatelliteScore(entry: SatelliteScore): Promise<void>;
  satelliteScores(year: number): Promise<SatelliteScore[]>;
}

export interface CaseHistoryReader {
  /**
   * Cases of one area whose `createdAt` lies in `[from, to)` (ISO instants), read from the area
   * index, bounded by its sort key: never a scan.
   */
  casesOfAreaCreatedBetween(area: AreaId, from: string, to: string): Promise<CaseRecord[]>;
}

/** Facts about the deployment itself, kept in the table. */
export interface DeploymentSettings {
  /**
   * The Shanghai calendar day the deployment first started (`YYYY-MM-DD`): recorded as `today` by
   * the first caller, read back by every later one.
   */
  firstStartedOn(today: string): Promise<string>;
}
