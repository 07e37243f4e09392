/**
 * In-memory ports of the monthly reports and the assessment (shared/ports/reports.ts,
 * shared/ports/patrols.ts), with the DynamoDB adapters' rules: a submission only once, each mark
 * only once, the watermark only forward. Plus a patrol factory for tests.
 */
import type { AreaId, CaseRecord } from '../../shared/domain/model.js';
import { AREA_DISTRICT } from '../../shared/domain/model.js';
import type { PatrolRecord } from '../../shared/domain/patrol.js';
import { ConditionFailedError } from '../../shared/ports/index.js';
import type { PatrolFilter, PatrolPage, PatrolReader } from '../../shared/ports/patrols.js';
import type {
  CaseHistoryReader,
  DeploymentSettings,
  ReportMark,
  ReportStore,
  ReportSubmission,
  ReportUnit,
  SatelliteScore,
  SatelliteScoreStore,
  StoredReport,
} from '../../shared/ports/reports.js';

const clone = <T>(value: T): T => structuredClone(value);

export class MemoryPatrolReader implements PatrolReader {
  readonly patrols: PatrolRecord[] = [];

  private matching(filter: PatrolFilter): PatrolRecord[] {
    const from = Date.parse(filter.from);
    const to = Date.parse(filter.to);
    return this.patrols
      .filter((patrol) => (filter.area ? patrol.area === filter.area : true))
      .filter((patrol) => (filter.areas ? filter.areas.includes(patrol.area) : true))
      .filter((patrol) => (filter.kinds ? filter.kinds.includes(patrol.kind) : true))
      .filter((patrol) => Date.parse(patrol.startedAt) >= from && Date.parse(patrol.startedAt) < to)
      .sort((a, b) => Date.parse(b.startedAt) - Date.parse(a.startedAt))
      .map(clone);
  }

  async getPatrol(patrolId: string) {
    const patrol = this.patrols.find((each) => each.patrolId === patrolId);
    return patrol && clone(patrol);
  }
  async listPatrols(filter: PatrolFilter, limit: number, cursor?: string): Promise<PatrolPage> {
    const all = this.matching(filter);
    const start = cursor ? Number(cursor) : 0;
    return {
      items: all.slice(start, start + limit),
      cursor: start + limit < all.length ? String(start + limit) : null,
    };
  }
  async allPatrols(filter: PatrolFilter) {
    return this.matching(filter);
  }
}

let patrolSerial = 0;

/** A recorded patrol: two hours from `startedAt`, no findings unless given. */
export function patrol(
  overrides: Partial<PatrolRecord> & Pick<PatrolRecord, 'area' | 'startedAt'>,
): PatrolRecord {
  patrolSerial += 1;
  const kind = overrides.kind ?? 'bureau';
  return {
    patrolId: `patrol_${String(patrolSerial).padStart(6, '0')}`,
    patrolNo: `XC-${overrides.area}-${overrides.startedAt.slice(0, 10).replace(/-/g, '')}-${String(patrolSerial % 100).padStart(2, '0')}`,
    kind,
    district: AREA_DISTRICT[overrides.area],
    endedAt: new Date(Date.parse(overrides.startedAt) + 2 * 3600_000).toISOString(),
    officers: ['王五', '赵六'],
    places: [],
    focus: ['basic_farmland'],
    findings: [],
    recordedBy: kind === 'bureau' ? `bureau:${overrides.area}` : 'brigade',
    recordedAt: overrides.startedAt,
    ...overrides,
  };
}

/** Cases by area, answering `casesOfAreaCreatedBetween` as the area index does. */
export class MemoryCaseHistory implements CaseHistoryReader {
  readonly cases: CaseRecord[] = [];
  reads = 0;

  async casesOfAreaCreatedBetween(area: AreaId, from: string, to: string) {
    this.reads += 1;
    return this.cases
      .filter(
        (record) =>
          record.area === area &&
          Date.parse(record.createdAt) >= Date.parse(from) &&
          Date.parse(record.createdAt) < Date.parse(to),
      )
      .map(clone);
  }
}

export class MemoryReportStore implements ReportStore, SatelliteScoreStore {
  readonly reports = new Map<string, StoredReport>();
  readonly satellite = new Map<string, SatelliteScore>();
  watermark: string | undefined;
  /** Fails the next `mark` calls (a function dying after handing its notices over). */
  failMarks = 0;

  private key = (unit: ReportUnit, month: string) => `${month}|${unit}`;

  async getReport(unit: ReportUnit, month: string) {
    const report = this.reports.get(this.key(unit, month));
    return report && clone(report);
  }
  async listMonth(month: string) {
    return [...this.reports.values()].filter((report) => report.month === month).map(clone);
  }
  async submit(submission: ReportSubmission) {
    const key = this.key(submission.unit, submission.month);
    const existing = this.reports.get(key);
    if (existing?.submittedAt !== undefined) throw new ConditionFailedError();
    this.reports.set(key, { ...existing, ...clone(submission) });
  }
  async mark(unit: ReportUnit, month: string, mark: ReportMark, at: string) {
    if (this.failMarks > 0) {
      this.failMarks -= 1;
      throw new Error('table unavailable');
    }
    const key = this.key(unit, month);
    const existing = this.reports.get(key) ?? { unit, month };
    if (existing[mark] !== undefined) return false;
    this.reports.set(key, { ...existing, [mark]: at });
    return true;
  }
  async sweptThrough() {
    return this.watermark;
  }
  async advanceSweptThrough(month: string) {
    if (this.watermark === undefined || this.watermark < month) this.watermark = month;
  }
  async putSatelliteScore(entry: SatelliteScore) {
    this.satellite.set(`${entry.year}|${entry.area}`, clone(entry));
  }
  async satelliteScores(year: number) {
    return [...this.satellite.values()].filter((entry) => entry.year === year).map(clone);
  }
}

export class MemoryDeploymentSettings implements DeploymentSettings {
  firstStarted: string | undefined;
  async firstStartedOn(today: string) {
    this.firstStarted ??= today;
    return this.firstStarted;
  }
}
