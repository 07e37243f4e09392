/** In-memory patrol ports, with the DynamoDB adapters' rules, for use-case tests. */
import type { AreaId } from '../../shared/domain/model.js';
import type { PatrolRecord } from '../../shared/domain/patrol.js';
import type { CompliancePeriodKind } from '../../shared/domain/patrol-compliance.js';
import { ConditionFailedError } from '../../shared/ports/index.js';
import type {
  PatrolDecision,
  PatrolPeriodStore,
  ReportingStartStore,
} from '../../shared/ports/patrol-periods.js';
import type { PatrolFilter, PatrolPage, PatrolStore } from '../../shared/ports/patrols.js';

const clone = <T>(value: T): T => structuredClone(value);
const sortKey = (patrol: PatrolRecord) => `${new Date(patrol.startedAt).toISOString()}#${patrol.patrolId}`;

export class MemoryPatrolStore implements PatrolStore {
  readonly patrols = new Map<string, PatrolRecord>();
  readonly serials = new Map<string, number>();
  /** Filters asked for, to check that reads stay within a period. */
  readonly reads: PatrolFilter[] = [];

  async getPatrol(patrolId: string) {
    const patrol = this.patrols.get(patrolId);
    return patrol && clone(patrol);
  }

  async createPatrol(patrolId: string, area: AreaId, day: string, build: (serial: number) => PatrolRecord) {
    const key = `${area}#${day}`;
    const record = build((this.serials.get(key) ?? 0) + 1);
    if (this.patrols.has(patrolId)) throw new ConditionFailedError();
    this.serials.set(key, (this.serials.get(key) ?? 0) + 1);
    this.patrols.set(patrolId, clone(record));
    return clone(record);
  }

  private matching(filter: PatrolFilter): PatrolRecord[] {
    this.reads.push(clone(filter));
    const from = Date.parse(filter.from);
    const to = Date.parse(filter.to);
    return [...this.patrols.values()]
      .filter((patrol) => !filter.area || patrol.area === filter.area)
      .filter((patrol) => !filter.areas || filter.areas.includes(patrol.area))
      .filter((patrol) => !filter.kinds || filter.kinds.includes(patrol.kind))
      .filter((patrol) => Date.parse(patrol.startedAt) >= from && Date.parse(patrol.startedAt) < to)
      .sort((a, b) => sortKey(a).localeCompare(sortKey(b)));
  }

  async listPatrols(filter: PatrolFilter, limit: number, cursor?: string): Promise<PatrolPage> {
    const all = this.matching(filter)
      .reverse()
      .filter((patrol) => cursor === undefined || sortKey(patrol) < cursor);
    const items = all.slice(0, limit);
    return { items: clone(items), cursor: all.length > limit ? sortKey(items.at(-1)!) : null };
  }

  async allPatrols(filter: PatrolFilter) {
    return clone(this.matching(filter));
  }
}

export class MemoryPatrolPeriodStore implements PatrolPeriodStore, ReportingStartStore {
  readonly decisions = new Map<string, PatrolDecision>();
  readonly marks = new Map<CompliancePeriodKind, string>();
  readonly reminders = new Map<string, string>();
  start: string | undefined;

  constructor(start?: string) {
    this.start = start;
  }

  async decidedThrough(kind: CompliancePeriodKind) {
    return this.marks.get(kind);
  }
  async advanceDecidedThrough(kind: CompliancePeriodKind, from: string | undefined, to: string) {
    if (this.marks.get(kind) !== from) return false;
    this.marks.set(kind, to);
    return true;
  }
  async decide(decision: PatrolDecision) {
    const key = `${decision.period}|${decision.unit}`;
    const stored = this.decisions.get(key);
    if (stored) return clone(stored);
    this.decisions.set(key, clone(decision));
    return clone(decision);
  }
  async markHandedOver(period: string, unit: string, at: string) {
    const stored = this.decisions.get(`${period}|${unit}`);
    if (!stored) throw new ConditionFailedError();
    stored.handedOverAt ??= at;
  }
  async remindersHandedOver(period: string) {
    return this.reminders.has(period);
  }
  async markRemindersHandedOver(period: string, at: string) {
    this.reminders.set(period, at);
  }
  async reportingStart(today: string) {
    this.start ??= today;
    return this.start;
  }
}
