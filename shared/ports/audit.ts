/**
 * The reporter-access audit trail: one record per decryption of a reporter identity, written
 * before the identity is returned, readable by the brigade.
 */
import type { Actor } from '../domain/model.js';

export interface AuditRecord {
  id: string;
  /** ISO instant of the access. */
  at: string;
  action: 'reporter.view';
  caseId: string;
  caseNo: string;
  /** The tip whose sealed identity was opened. */
  tipId: string;
  /** `brigade` or `bureau:<area>`. */
  principal: string;
  /** The person behind the token, when the token names one. */
  actor?: Actor;
  /** Why: the caller's `reason`, or the default "查看案件". */
  reason: string;
}

export interface AuditPage {
  items: AuditRecord[];
  cursor: string | null;
}

export interface AuditLog {
  /** Stores the record durably or throws; nothing is shown until this resolves. */
  record(entry: AuditRecord): Promise<void>;
  /** Records of one case, oldest first. */
  listByCase(caseId: string, limit: number, cursor?: string): Promise<AuditPage>;
}
