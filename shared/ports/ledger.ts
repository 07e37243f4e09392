/** The accountability ledger's storage (issue 4): entries written once, read per year and bureau. */
import type { LedgerEntry } from '../domain/ledger.js';

export interface LedgerRecordResult {
  /** False when the entry was already there (a retried sweep): nothing changed. */
  recorded: boolean;
  /** For a newly recorded criticism: the bureau's criticisms in that year, this one included. */
  criticismsThisYear?: number;
  /** True when the bureau has the one-vote veto for that year (after this write). */
  veto?: boolean;
}

export interface LedgerYear {
  entries: LedgerEntry[];
  /** Bureaus (`bureau:<area>`) with the one-vote veto in that year. */
  vetoes: string[];
}

export interface LedgerStore {
  /**
   * Writes the entry unless one with the same case, deadline and kind exists (a conditional put),
   * and for a criticism counts it for the bureau's year, setting the veto flag at the second.
   */
  record(entry: LedgerEntry): Promise<LedgerRecordResult>;
  /** The year's entries (oldest first), of one bureau or of all. */
  list(year: number, bureau?: string): Promise<LedgerYear>;
}
