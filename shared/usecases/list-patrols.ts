/**
 * `GET /v1/patrols` (contract section 7): the patrols the caller may see, newest first: the brigade
 * every area's, a bureau its own area's, a leader its district's; one area when asked for (403 when
 * the caller may not read it). Partners and sources read no patrols.
 */
import { canReadArea } from '../domain/access.js';
import { type AreaId, areasOfDistrict, type Principal } from '../domain/model.js';
import type { PatrolKind, PatrolRecord } from '../domain/patrol.js';
import type { PatrolFilter, PatrolReader } from '../ports/patrols.js';
import { ForbiddenError } from './errors.js';

export interface PatrolListQuery {
  area?: AreaId;
  kind?: PatrolKind;
  /** `startedAt` in `[from, to)`, ISO instants. */
  from: string;
  to: string;
  limit: number;
  /** The store's cursor of the previous page. */
  cursor?: string;
}

export interface PatrolList {
  items: PatrolRecord[];
  cursor: string | null;
}

/** Refuses principals that read no patrols, before their query is even read. */
export function assertMayReadPatrols(principal: Principal): void {
  if (principal.kind !== 'brigade' && principal.kind !== 'bureau' && principal.kind !== 'leader')
    throw new ForbiddenError('只有国土分局、监察大队和片区责任领导可以查看巡查记录。');
}

/** The areas a principal's list covers: one area, or all of its scope (undefined: every area). */
export function patrolScope(
  principal: Principal,
  area: AreaId | undefined,
): Pick<PatrolFilter, 'area' | 'areas'> {
  assertMayReadPatrols(principal);
  if (area) {
    if (!canReadArea(principal, area)) throw new ForbiddenError('您无权查看该属地的巡查记录。');
    return { area };
  }
  if (principal.kind === 'bureau') return { area: principal.area };
  if (principal.kind === 'leader') return { areas: areasOfDistrict(principal.district) };
  return {};
}

export async function listPatrols(
  principal: Principal,
  query: PatrolListQuery,
  deps: { patrols: PatrolReader },
): Promise<PatrolList> {
  const filter: PatrolFilter = {
    ...patrolScope(principal, query.area),
    ...(query.kind ? { kinds: [query.kind] } : {}),
    from: query.from,
    to: query.to,
  };
  return deps.patrols.listPatrols(filter, query.limit, query.cursor);
}
