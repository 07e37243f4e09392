/**
 * The reporter-access audit trail: every decryption of a reporter identity is recorded (who, when,
 * which case, why) before the identity leaves the API, and only the brigade reads the trail.
 */
import { randomUUID } from 'node:crypto';
import { canReadAudit } from '../domain/access.js';
import { withCause } from '../domain/errors.js';
import { type CaseRecord, type Principal, principalId } from '../domain/model.js';
import type { AuditLog, AuditPage, AuditRecord } from '../ports/audit.js';
import type { CaseStore, Clock } from '../ports/index.js';
import { ForbiddenError, NotFoundError, UnavailableError, ValidationError } from './errors.js';

export const DEFAULT_AUDIT_REASON = '查看案件';
/** How long a reason the trail keeps; the API refuses longer ones. */
export const MAX_AUDIT_REASON_CHARS = 200;

export interface AuditDeps {
  audit: AuditLog;
  clock: Clock;
  newId?: () => string;
}

/**
 * Records that `principal` is about to see the reporter of `record`. Fails closed: when the record
 * cannot be written the caller gets 503 and no identity.
 */
export async function recordReporterView(
  principal: Principal,
  record: CaseRecord,
  reason: string,
  deps: AuditDeps,
): Promise<AuditRecord> {
  const entry: AuditRecord = {
    id: (deps.newId ?? randomUUID)(),
    at: deps.clock.now().toISOString(),
    action: 'reporter.view',
    caseId: record.caseId,
    caseNo: record.caseNo,
    tipId: record.reporterTipId,
    principal: principalId(principal),
    ...(principal.actor ? { actor: principal.actor } : {}),
    reason,
  };
  try {
    await deps.audit.record(entry);
  } catch (error) {
    throw withCause(new UnavailableError('服务暂时不可用，请稍后重试。'), error);
  }
  return entry;
}

export interface AuditQuery {
  caseId?: string;
  cursor?: string;
  limit: number;
}

export async function listAuditRecords(
  principal: Principal,
  query: AuditQuery,
  deps: AuditDeps & { store: CaseStore },
): Promise<AuditPage> {
  if (!canReadAudit(principal)) throw new ForbiddenError('只有监察大队可以查看查阅记录。');
  if (!query.caseId) {
    throw new ValidationError('查询参数有误。', [{ path: 'caseId', message: '为必填项' }]);
  }
  if (!(await deps.store.getCase(query.caseId))) throw new NotFoundError('没有此编号的案件。');
  return deps.audit.listByCase(query.caseId, query.limit, query.cursor);
}
