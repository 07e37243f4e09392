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
  /** Every patrol matching the filter (reports and compliance read whole periods), oldest first. */
  allPatrols(filter: PatrolFilter): Promise<PatrolRecord[]>;
}

/** The recording side (`POST /v1/patrols`). */
export interface PatrolStore extends PatrolReader {
  /**
   * Writes a new patrol and takes the next serial of its area and Shanghai day (`day`, yyyymmdd) in
   * one transaction, and returns the patrol as written. `build` makes the patrol for the serial it
   * is given; a serial is taken only with its patrol, so the day's numbers have no gaps. Fails with
   * ConditionFailedError when a patrol with this id exists already (a retry, or a concurrent one).
   */
  createPatrol(
    patrolId: string,
    area: AreaId,
    day: string,
    build: (serial: number) => PatrolRecord,
  ): Promise<PatrolRecord>;
}
