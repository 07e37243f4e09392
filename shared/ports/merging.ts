/**
 * What merging tips into cases (并单, contract section 10) needs from the store: the index of sites
 * the router reads before it creates a case, and the writes that attach a tip to a case, merge two
 * cases and split a tip off, each one transaction so that a tip is always in exactly one case.
 */
import type { SiteEntry } from '../domain/duplicate-sites.js';
import type { AreaId, CaseRecord, SealedReporter, TipRecord } from '../domain/model.js';

/** The duplicate index: by area and site key, never a scan. */
export interface SiteIndex {
  /**
   * The entries filed under any of `keys` in `area` whose case was opened at `openedFrom` or later:
   * one query per key.
   */
  findSites(area: AreaId, keys: readonly string[], openedFrom: string): Promise<SiteEntry[]>;
}

/** How attaching a tip to a case ended. */
export type AttachOutcome =
  /** The tip's anchor, the case and the tip's site entries were written. */
  | 'attached'
  /** The tip already has an anchor (a redelivery, or another delivery won): nothing was written. */
  | 'tip_known'
  /** The case changed since it was read: nothing was written; read it again. */
  | 'case_changed';

/** A tip moved by `merge`: its anchor now says `merged` into the other case. */
export interface MovedTip {
  tipId: string;
  /** The tip's own sealed reporter, kept on its anchor (the tip that opened the merged-away case). */
  reporter?: SealedReporter;
}

export interface CaseMergeWrite {
  /** The merged-away case, closed, as it is to be stored. */
  from: CaseRecord;
  fromVersion: number;
  /** The case the tips join, as it is to be stored. */
  into: CaseRecord;
  intoVersion: number;
  moved: readonly MovedTip[];
  /** Index entries filing the moved tips under the case they joined. */
  sites: readonly SiteEntry[];
}

export interface TipSplitWrite {
  tipId: string;
  /** The case the tip leaves, without it, as it is to be stored. */
  from: CaseRecord;
  fromVersion: number;
  /** Index entries of the tip under the case it leaves, to remove. */
  removeSites: readonly SiteEntry[];
  /** Index entries of the tip under its new case. */
  sites: readonly SiteEntry[];
  /** The Shanghai year of the tip's receipt: the new case's number is of that year. */
  year: number;
  /** The tip's new case for the number it is given. */
  build: (sequence: number) => CaseRecord;
}

export interface MergeWrites {
  /**
   * Writes, in one transaction, the new tip's anchor (absent until now), the case it joins (guarded
   * by `expectedVersion`) and the tip's site entries.
   */
  attachTip(
    anchor: TipRecord,
    updated: CaseRecord,
    expectedVersion: number,
    sites: readonly SiteEntry[],
  ): Promise<AttachOutcome>;
  /** The anchors of these tips (missing ones left out). */
  getTips(tipIds: readonly string[]): Promise<TipRecord[]>;
  /**
   * Both cases (each guarded by its version) and the moved tips' anchors in one transaction;
   * ConditionFailedError when either case changed meanwhile. The site entries follow it.
   */
  mergeCases(write: CaseMergeWrite): Promise<void>;
  /**
   * The tip's new case (numbered like any new case), its anchor pointing there, and the case it
   * leaves (guarded by its version) in one transaction; ConditionFailedError when the case changed
   * or the tip is no longer in it. Returns the new case as written.
   */
  splitTip(write: TipSplitWrite): Promise<CaseRecord>;
}
