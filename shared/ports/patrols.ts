/** Where patrols are kept (contract section 7). */
import type { AreaId } from '../domain/model.js';
import type { PatrolKind, PatrolRecord } from '../domain/patrol.js';

export interface PatrolFilter {
  /** One area, or any of these areas (a leader's district); all areas when neither is given. */
  area?: AreaId;
  areas?: readonly AreaId[];
  kinds?: readonly PatrolKind[];
  /** `startedAt` in `[from, to)`, ISO instants. */
  from: string;
  to: string;
}

export interface PatrolPage {
  items: PatrolRecord[];
  cursor: string | null;
}

export interface PatrolReader {
  getPatrol(patrolId: string): Promise<PatrolRecord | undefined>;
  /** Newest first, one page. */
  listPatrols(filter: PatrolFilter, limit: number, cursor?: string): Promise<PatrolPage>;
  /** Every patrol matching the filter (reports and compliance read whole periods). */
  allPatrols(filter: PatrolFilter): Promise<PatrolRecord[]>;
}
