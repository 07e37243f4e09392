/**
 * The interfaces the use cases need from the outside world. Use cases depend on these only;
 * AWS and local implementations live in shared/adapters.
 */
import type { SiteEntry } from '../domain/duplicate-sites.js';
import type {
  AreaId,
  CanonicalTip,
  CaseEvent,
  CaseRecord,
  CaseStatus,
  Notification,
  ReporterIdentity,
  TipRecord,
  WorkMessage,
} from '../domain/model.js';

export interface Clock {
  now(): Date;
}

/** The intake queue: the one durable thing the request path does. */
export interface TipQueue {
  enqueue(tip: CanonicalTip): Promise<void>;
}

/** The per-bureau work queues (plus the brigade's triage queue). */
export interface AssignmentQueue {
  /** Sent to the queue of `message.target` (`bureau:<area>` or `brigade`). */
  send(message: WorkMessage): Promise<void>;
}

export interface CaseListFilter {
  area?: AreaId | 'triage';
  /** Any of these areas (a leader's district); ignored when `area` is given. */
  areas?: AreaId[];
  status?: CaseStatus;
  overdue?: boolean;
  /** Only cases this partner was notified about. */
  partner?: string;
  /** ISO instant used to decide "overdue". */
  now?: string;
}

export interface CasePage {
  items: CaseRecord[];
  cursor: string | null;
}

export class ConditionFailedError extends Error {
  constructor(message = 'condition failed') {
    super(message);
    this.name = 'ConditionFailedError';
  }
}

export interface CaseStore {
  getTip(tipId: string): Promise<TipRecord | undefined>;
  /**
   * Writes a new case, the tip record that anchors it and the next number of its year's case
   * sequence in one transaction, and returns the case as written. `build` makes the case for the
   * number it is given; a number is taken only with its case, so the sequence has no gaps. Fails
   * with ConditionFailedError when the tip record already exists (another delivery won).
   * `sites`: the tip's entries in the duplicate index (shared/ports/merging.ts), written with it.
   */
  createCase(
    tip: TipRecord,
    year: number,
    build: (sequence: number) => CaseRecord,
    options?: { sites?: readonly SiteEntry[] },
  ): Promise<CaseRecord>;
  /** Adds a content hash to a tip (amendment) and replaces the case, guarded by `expectedVersion`. */
  recordAmendment(
    tipId: string,
    contentHash: string,
    updated: CaseRecord,
    expectedVersion: number,
  ): Promise<void>;
  /**
   * An amendment the case cannot take (it is at its size budget): kept as a record of its own
   * beside the case, with its content hash added to the tip, so a redelivery is a duplicate and
   * nothing the source sent is lost. ConditionFailedError when another delivery recorded it first.
   */
  recordUnappliedAmendment(
    tipId: string,
    contentHash: string,
    caseId: string,
    event: CaseEvent,
  ): Promise<void>;
  /**
   * The case as its item holds it: large events are summaries whose `body` references their full
   * content (shared/domain/case-size.ts); getEventBodies reads those.
   */
  getCase(caseId: string): Promise<CaseRecord | undefined>;
  /** The full events behind the given body references of a case; a missing one is left out. */
  getEventBodies(caseId: string, refs: readonly string[]): Promise<Map<string, CaseEvent>>;
  /** Summaries (with body references) of the amendments kept beside the case, oldest first. */
  listUnappliedAmendments(caseId: string, limit: number): Promise<CaseEvent[]>;
  /** Replaces the case if its stored version is still `expectedVersion`, else ConditionFailedError. */
  putCase(updated: CaseRecord, expectedVersion: number): Promise<void>;
  listCases(filter: CaseListFilter, limit: number, cursor?: string): Promise<CasePage>;
  /**
   * Ids of cases that need the sweeper at `now`: an open deadline due, or a breach not yet
   * escalated. Read from the sparse due index, never a scan.
   */
  findCasesNeedingAttention(now: Date, limit: number): Promise<string[]>;
  /**
   * The sweeper failed on this case: count the failure on the case's due-index entry and move the
   * entry to `retryAt(failures)` (failures in a row, this one included), so the case is looked at
   * again later rather than every sweep. The next successful write of the case indexes it afresh
   * and clears the count. Returns the count; 0 when the case has left the due index meanwhile.
   */
  deferAttention(caseId: string, retryAt: (failures: number) => Date): Promise<number>;
}

/** What the sender knows of a notification beyond its text (the notifier's once-only claim). */
export interface NotifyContext {
  /** The notification's claim key (its record); parts of it (each SMS) are claimed under it. */
  key?: string;
  /** The delivery (SQS message id) sending it: it may take back its own unfinished claims. */
  claimant?: string;
}

export interface Notifier {
  send(notification: Notification, context?: NotifyContext): Promise<void>;
}

/** Seals reporter identities at the door and opens them for allowed principals only. */
export interface ReporterVault {
  seal(tipId: string, identity: ReporterIdentity): Promise<string>;
  open(tipId: string, sealed: string): Promise<ReporterIdentity>;
}
