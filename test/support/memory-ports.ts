/** In-memory implementations of the ports, for use-case tests without AWS or emulators. */
import { randomUUID } from 'node:crypto';
import { isOverdue, nextAttentionAt } from '../../shared/domain/attention.js';
import { jsonBytes, storedCase, summarizeEvent } from '../../shared/domain/case-size.js';
import type {
  CanonicalTip,
  CaseEvent,
  CaseRecord,
  Notification,
  TipRecord,
  WorkMessage,
} from '../../shared/domain/model.js';
import type { AuditLog, AuditRecord } from '../../shared/ports/audit.js';
import {
  type AssignmentQueue,
  type CaseListFilter,
  type CasePage,
  type CaseStore,
  type Clock,
  ConditionFailedError,
  type Notifier,
  type ReporterVault,
  type TipQueue,
} from '../../shared/ports/index.js';
import type { ClaimResult, NotificationClaims } from '../../shared/ports/notification-claims.js';

const clone = <T>(value: T): T => structuredClone(value);

export class MemoryCaseStore implements CaseStore {
  readonly tips = new Map<string, TipRecord>();
  readonly cases = new Map<string, CaseRecord>();
  readonly sequences = new Map<number, number>();
  /** Due-index entries the sweeper moved after failing on a case: failures in a row, retry instant. */
  readonly deferred = new Map<string, { failures: number; until: string }>();

  async getTip(tipId: string) {
    const tip = this.tips.get(tipId);
    return tip && clone(tip);
  }
  async createCase(tip: TipRecord, year: number, build: (sequence: number) => CaseRecord) {
    const record = build((this.sequences.get(year) ?? 0) + 1);
    if (this.tips.has(tip.tipId) || this.cases.has(record.caseId)) throw new ConditionFailedError();
    this.sequences.set(year, (this.sequences.get(year) ?? 0) + 1);
    this.tips.set(tip.tipId, clone(tip));
    this.cases.set(record.caseId, clone(record));
    return clone(record);
  }
  async recordAmendment(tipId: string, contentHash: string, updated: CaseRecord, expectedVersion: number) {
    const tip = this.tips.get(tipId);
    if (!tip || this.cases.get(updated.caseId)?.version !== expectedVersion) throw new ConditionFailedError();
    tip.contentHashes.push(contentHash);
    this.keepBodies(updated);
    this.cases.set(updated.caseId, clone(updated));
    this.deferred.delete(updated.caseId);
  }
  async getCase(caseId: string) {
    const record = this.cases.get(caseId);
    // As the DynamoDB store answers: large events as summaries referencing their bodies.
    return record && clone(storedCase(record).record);
  }
  /** Every large event written, by `<caseId> <ref>`, as the DynamoDB store keeps them beside the case. */
  readonly bodies = new Map<string, CaseEvent>();
  /** Amendments a case at its budget could not take, per case. */
  readonly unapplied = new Map<string, CaseEvent[]>();
  private keepBodies(record: CaseRecord) {
    for (const { ref, event } of storedCase(record).bodies)
      this.bodies.set(`${record.caseId} ${ref}`, clone(event));
  }
  async getEventBodies(caseId: string, refs: readonly string[]) {
    const found = new Map<string, CaseEvent>();
    for (const ref of refs) {
      const body = this.bodies.get(`${caseId} ${ref}`);
      if (body) found.set(ref, clone(body));
    }
    return found;
  }
  async recordUnappliedAmendment(tipId: string, contentHash: string, caseId: string, event: CaseEvent) {
    const tip = this.tips.get(tipId);
    if (!tip || tip.contentHashes.includes(contentHash)) throw new ConditionFailedError();
    tip.contentHashes.push(contentHash);
    const ref = `UNAPPLIED#${event.at}#${contentHash}`;
    this.bodies.set(`${caseId} ${ref}`, clone(event));
    const list = this.unapplied.get(caseId) ?? [];
    list.push(summarizeEvent(event, { ref, bytes: jsonBytes(event) }));
    this.unapplied.set(caseId, list);
  }
  async listUnappliedAmendments(caseId: string, limit: number) {
    return clone((this.unapplied.get(caseId) ?? []).slice(0, limit));
  }
  async putCase(updated: CaseRecord, expectedVersion: number) {
    if (this.cases.get(updated.caseId)?.version !== expectedVersion) throw new ConditionFailedError();
    this.keepBodies(updated);
    this.cases.set(updated.caseId, clone(updated));
    // As in DynamoDB: a written case is indexed afresh, its failure count gone.
    this.deferred.delete(updated.caseId);
  }
  async deferAttention(caseId: string, retryAt: (failures: number) => Date) {
    const record = this.cases.get(caseId);
    if (!record || !nextAttentionAt(record)) return 0;
    const failures = (this.deferred.get(caseId)?.failures ?? 0) + 1;
    this.deferred.set(caseId, { failures, until: retryAt(failures).toISOString() });
    return failures;
  }
  async listCases(filter: CaseListFilter, limit: number, cursor?: string): Promise<CasePage> {
    const now = Date.parse(filter.now ?? new Date().toISOString());
    const all = [...this.cases.values()]
      .filter((c) => !filter.area || (c.area ?? 'triage') === filter.area)
      .filter((c) => !filter.status || c.status === filter.status)
      .filter((c) => !filter.partner || c.partners.includes(filter.partner as never))
      .filter((c) => !filter.overdue || isOverdue(c, new Date(now)))
      .sort((a, b) => `${b.createdAt}#${b.caseId}`.localeCompare(`${a.createdAt}#${a.caseId}`));
    const start = cursor ? Number(cursor) : 0;
    const items = all.slice(start, start + limit).map((c) => clone(storedCase(c).record));
    return { items, cursor: start + limit < all.length ? String(start + limit) : null };
  }
  async findCasesNeedingAttention(now: Date, limit: number) {
    return [...this.cases.values()]
      .map((c) => ({ caseId: c.caseId, at: this.deferred.get(c.caseId)?.until ?? nextAttentionAt(c) }))
      .filter((c) => c.at !== undefined && c.at < now.toISOString())
      .sort((a, b) => a.at!.localeCompare(b.at!))
      .slice(0, limit)
      .map((c) => c.caseId);
  }
}

/** The notifier's claims in memory, with the DynamoDB adapter's rules (dynamo-notification-claims.ts). */
export class MemoryNotificationClaims implements NotificationClaims {
  readonly claims = new Map<
    string,
    { id: string; state: 'sending' | 'sent'; leaseUntil: number; claimant: string }
  >();

  async claim(
    key: string,
    notificationId: string,
    now: Date,
    leaseMs: number,
    claimant: string = randomUUID(),
  ): Promise<ClaimResult> {
    const existing = this.claims.get(key);
    if (existing?.state === 'sent') return 'sent';
    if (existing && existing.claimant !== claimant && existing.leaseUntil >= now.getTime()) return 'held';
    this.claims.set(key, {
      id: notificationId,
      state: 'sending',
      leaseUntil: now.getTime() + leaseMs,
      claimant,
    });
    return 'claimed';
  }
  async markSent(key: string) {
    const claim = this.claims.get(key);
    if (claim) claim.state = 'sent';
  }
  async release(key: string) {
    if (this.claims.get(key)?.state === 'sending') this.claims.delete(key);
  }
}

export class MemoryTipQueue implements TipQueue {
  readonly messages: CanonicalTip[] = [];
  async enqueue(tip: CanonicalTip) {
    this.messages.push(clone(tip));
  }
}

export class MemoryAssignmentQueue implements AssignmentQueue {
  readonly messages: WorkMessage[] = [];
  async send(message: WorkMessage) {
    this.messages.push(clone(message));
  }
}

export class MemoryNotifier implements Notifier {
  readonly sent: Notification[] = [];
  failNext = 0;
  async send(notification: Notification) {
    if (this.failNext > 0) {
      this.failNext -= 1;
      throw new Error('SNS is down');
    }
    this.sent.push(clone(notification));
  }
}

/** A reversible stand-in for encryption that still binds the ciphertext to the tip id. */
export class FakeVault implements ReporterVault {
  async seal(tipId: string, identity: { name?: string; phone?: string }) {
    return Buffer.from(JSON.stringify({ tipId, identity })).toString('base64');
  }
  async open(tipId: string, sealed: string) {
    const value = JSON.parse(Buffer.from(sealed, 'base64').toString('utf8'));
    if (value.tipId !== tipId) throw new Error('sealed for another tip');
    return value.identity;
  }
}

/** Audit trail in memory; `failNext` makes the next writes fail (fail-closed tests). */
export class MemoryAuditLog implements AuditLog {
  readonly records: AuditRecord[] = [];
  failNext = 0;
  async record(entry: AuditRecord) {
    if (this.failNext > 0) {
      this.failNext -= 1;
      throw new Error('audit table is down');
    }
    this.records.push(clone(entry));
  }
  async listByCase(caseId: string, limit: number, cursor?: string) {
    const all = this.records.filter((r) => r.caseId === caseId);
    const start = cursor ? Number(cursor) : 0;
    return {
      items: all.slice(start, start + limit).map(clone),
      cursor: start + limit < all.length ? String(start + limit) : null,
    };
  }
}

export class ManualClock implements Clock {
  constructor(private current: Date) {}
  now() {
    return new Date(this.current);
  }
  set(iso: string) {
    this.current = new Date(iso);
  }
  advance(ms: number) {
    this.current = new Date(this.current.getTime() + ms);
  }
}
