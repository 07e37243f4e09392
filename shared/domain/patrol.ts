/**
 * Patrols (巡查, contract section 7): the vocabulary shared by recording, compliance, reports and
 * the assessment. Pure types and configuration defaults.
 */
import type { AreaId, DistrictId, ViolationType } from './model.js';

export const PATROL_KINDS = ['bureau', 'brigade', 'spot_check', 'supervision', 'leader'] as const;
export type PatrolKind = (typeof PATROL_KINDS)[number];

export const PATROL_KIND_LABELS: Readonly<Record<PatrolKind, string>> = {
  bureau: '分局巡查',
  brigade: '大队巡查',
  spot_check: '大队抽查',
  supervision: '大队督查',
  leader: '领导巡查',
};

export const FOCUS_TYPES = [
  'town_planning',
  'basic_farmland',
  'development_zone',
  'industrial_cluster',
  'urban_rural_fringe',
] as const;
export type FocusType = (typeof FOCUS_TYPES)[number];

export const FOCUS_LABELS: Readonly<Record<FocusType, string>> = {
  town_planning: '城镇规划区',
  basic_farmland: '基本农田保护区',
  development_zone: '开发区',
  industrial_cluster: '工业集中区',
  urban_rural_fringe: '城乡结合部',
};

/** A place named on a patrol, with what the gazetteer made of it. */
export interface PatrolPlace {
  name: string;
  /** The area the gazetteer puts it in, when it knows the name. */
  area: AreaId | null;
  /** The gazetteer's own name and kind for it (`珍北村`, `village`), when matched. */
  matched: string | null;
  kind?: string;
}

export interface PatrolFinding {
  description: string;
  address?: string;
  violationType: ViolationType;
  party?: string;
  measures?: string;
  stopped?: boolean;
  photos?: string[];
  /** The case the finding became. */
  caseId: string;
  caseNo?: string;
}

/** A recorded patrol, as stored and as `GET /v1/patrols` answers it. */
export interface PatrolRecord {
  patrolId: string;
  /** `XC-<area>-<yyyymmdd of startedAt>-<2-digit serial>`. */
  patrolNo: string;
  clientId?: string;
  kind: PatrolKind;
  area: AreaId;
  district: DistrictId;
  startedAt: string;
  endedAt: string;
  officers: string[];
  route?: string;
  places: PatrolPlace[];
  focus: FocusType[];
  /** GeoJSON LineString as sent, plus its WGS-84 coordinates when another CRS was given. */
  track?: { type: 'LineString'; coordinates: number[][]; crs?: string; wgs84?: number[][] };
  findings: PatrolFinding[];
  note?: string;
  /** The principal that recorded it (`bureau:meili`, `brigade`, `leader:district-3`). */
  recordedBy: string;
  /** The person, where the token or sign-in names one. */
  recordedByName?: string;
  recordedAt: string;
}

export type PatrolRequirementId =
  | 'bureau_weekly'
  | 'brigade_monthly'
  | 'supervision_monthly'
  | 'leader_quarterly';

/** What each requirement is called in the patrol rules (巡查制度), for texts people read. */
export const PATROL_REQUIREMENT_LABELS: Readonly<Record<PatrolRequirementId, string>> = {
  bureau_weekly: '分局每周巡查',
  brigade_monthly: '大队每月巡查抽查',
  supervision_monthly: '大队每月督查分局巡查工作',
  leader_quarterly: '片区责任领导每季度巡查',
};

/** How often each unit must patrol (configuration; contract section 7's defaults). */
export interface PatrolRequirements {
  /** `bureau` patrols of its own area per ISO week, per bureau. */
  bureauWeekly: number;
  /** `brigade` or `spot_check` patrols per calendar month, by the brigade. */
  brigadeMonthly: number;
  /** `supervision` patrols of each bureau per calendar month, by the brigade. */
  supervisionMonthly: number;
  /** `leader` patrols in the district per quarter, per district's leaders. */
  leaderQuarterly: number;
  /** Working days after a period's end before it is decided. */
  graceWorkingDays: number;
  /** Working days after a patrol ended during which it may still be recorded. */
  lateEntryWorkingDays: number;
}

export const DEFAULT_PATROL_REQUIREMENTS: PatrolRequirements = {
  bureauWeekly: 2,
  brigadeMonthly: 2,
  supervisionMonthly: 1,
  leaderQuarterly: 1,
  graceWorkingDays: 2,
  lateEntryWorkingDays: 2,
};
