/**
 * The duplicate index and the merge writes in memory (shared/ports/merging.ts), over the in-memory
 * case store, with the DynamoDB adapter's conditions: every check first, then every write.
 */
import { siteSortKey } from '../../shared/adapters/dynamo-site-index.js';
import type { SiteEntry } from '../../shared/domain/duplicates.js';
import type { AreaId, CaseRecord, TipRecord } from '../../shared/domain/model.js';
import { ConditionFailedError } from '../../shared/ports/index.js';
import type {
  AttachOutcome,
  CaseMergeWrite,
  MergeWrites,
  SiteIndex,
  TipSplitWrite,
} from '../../shared/ports/merging.js';
import { MemoryCaseStore } from './memory-ports.js';

const clone = <T>(value: T): T => structuredClone(value);
const siteId = (entry: SiteEntry) => `${entry.area}#${entry.key}#${siteSortKey(entry)}`;

export class MemoryMergingStore extends MemoryCaseStore implements MergeWrites, SiteIndex {
  readonly sites = new Map<string, SiteEntry>();
  /** Queries made of the index: one per key, as the DynamoDB adapter makes them. */
  siteQueries = 0;

  private putSites(entries: readonly SiteEntry[]) {
    for (const entry of entries) this.sites.set(siteId(entry), clone(entry));
  }

  override async createCase(
    tip: TipRecord,
    year: number,
    build: (sequence: number) => CaseRecord,
    options: { sites?: readonly SiteEntry[] } = {},
  ) {
    const record = await super.createCase(tip, year, build);
    this.putSites(options.sites ?? []);
    return record;
  }

  async findSites(area: AreaId, keys: readonly string[], openedFrom: string) {
    const from = new Date(openedFrom).toISOString();
    const wanted = new Set(keys);
    this.siteQueries += wanted.size;
    return [...this.sites.values()]
      .filter((entry) => entry.area === area && wanted.has(entry.key) && siteSortKey(entry) >= from)
      .map(clone);
  }

  async attachTip(
    anchor: TipRecord,
    updated: CaseRecord,
    expectedVersion: number,
    sites: readonly SiteEntry[],
  ): Promise<AttachOutcome> {
    if (this.tips.has(anchor.tipId)) return 'tip_known';
    if (this.cases.get(updated.caseId)?.version !== expectedVersion) return 'case_changed';
    await this.putCase(updated, expectedVersion);
    this.tips.set(anchor.tipId, clone(anchor));
    this.putSites(sites);
    return 'attached';
  }

  async getTips(tipIds: readonly string[]) {
    return tipIds.flatMap((tipId) => {
      const tip = this.tips.get(tipId);
      return tip ? [clone(tip)] : [];
    });
  }

  async mergeCases(write: CaseMergeWrite) {
    if (
      this.cases.get(write.from.caseId)?.version !== write.fromVersion ||
      this.cases.get(write.into.caseId)?.version !== write.intoVersion ||
      write.moved.some((tip) => !this.tips.has(tip.tipId))
    ) {
      throw new ConditionFailedError('a case changed concurrently');
    }
    await this.putCase(write.from, write.fromVersion);
    await this.putCase(write.into, write.intoVersion);
    for (const moved of write.moved) {
      const tip = this.tips.get(moved.tipId)!;
      tip.caseId = write.into.caseId;
      tip.status = 'merged';
      if (moved.reporter) tip.reporter = clone(moved.reporter);
    }
    this.putSites(write.sites);
  }

  async splitTip(write: TipSplitWrite) {
    const anchor = this.tips.get(write.tipId);
    if (!anchor || anchor.caseId !== write.from.caseId) throw new ConditionFailedError('tip moved');
    if (this.cases.get(write.from.caseId)?.version !== write.fromVersion)
      throw new ConditionFailedError('case changed');
    const year = write.year;
    const record = write.build((this.sequences.get(year) ?? 0) + 1);
    if (this.cases.has(record.caseId)) throw new ConditionFailedError('case exists');
    this.sequences.set(year, (this.sequences.get(year) ?? 0) + 1);
    await this.putCase(write.from, write.fromVersion);
    this.cases.set(record.caseId, clone(record));
    anchor.caseId = record.caseId;
    anchor.status = record.area ? 'routed' : 'triage';
    anchor.splitFrom = write.from.caseId;
    for (const entry of write.removeSites) this.sites.delete(siteId(entry));
    this.putSites(write.sites);
    return clone(record);
  }
}
