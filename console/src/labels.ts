/**
 * Every word of the console that names a code of the API, in the terms of the patrol rules and the
 * hotline practice. JSON keeps its codes (contract section 11); people read these. A code without a
 * word here is shown as "其他" rather than as Latin text.
 */
import { principalOfGroup } from '../../shared/domain/access.js';
import {
  AREA_NAMES as CATALOG_AREA_NAMES,
  DISTRICT_NAMES as CATALOG_DISTRICT_NAMES,
  DEADLINE_NAME,
  DELIVERY_STATUS_LABELS,
  EVENT_LABELS,
  FEEDBACK_TYPE_LABELS,
  FINDING_LABELS,
  LEDGER_KIND_LABELS,
  PARTNER_LABELS,
  principalName,
  REPORT_STATUS_LABELS,
  RESOLUTION_LABELS,
  ROUTING_METHOD_LABELS,
  SATISFACTION_LABELS,
  SEVERITY_LABELS,
  SOURCE_LABELS,
  STATUS_LABELS,
  STOP_RESULT_LABELS,
  VIOLATION_TYPE_LABELS,
} from '../../shared/domain/labels.js';
import {
  AREA_DISTRICT,
  type AreaId,
  type CaseStatus,
  type DeadlineKind,
  type DistrictId,
  type PartnerDepartment,
  principalId,
  type ViolationType,
} from '../../shared/domain/model.js';

// The server's catalog (shared/domain/labels.ts) names every code the API and the notifications
// use; the console takes those words as they are, so a page and an SMS never name a thing twice.

export const AREA_NAMES: Readonly<Record<AreaId, string>> = CATALOG_AREA_NAMES;

export const AREA_DISTRICTS: Readonly<Record<AreaId, DistrictId>> = AREA_DISTRICT;

export const AREAS = Object.keys(AREA_NAMES) as AreaId[];

export const DISTRICT_NAMES: Readonly<Record<DistrictId, string>> = CATALOG_DISTRICT_NAMES;

export const DEPARTMENT_NAMES: Readonly<Record<PartnerDepartment, string>> = PARTNER_LABELS;

export const VIOLATION_TYPE_NAMES: Readonly<Record<ViolationType, string>> = VIOLATION_TYPE_LABELS;

export const STATUS_NAMES: Readonly<Record<CaseStatus, string>> = STATUS_LABELS;

export const DEADLINE_NAMES: Readonly<Record<DeadlineKind, string>> = DEADLINE_NAME;

export const SOURCE_NAMES: Readonly<Record<string, string>> = SOURCE_LABELS;

export const SEVERITY_NAMES: Readonly<Record<string, string>> = SEVERITY_LABELS;

/** What the timeline calls each event: the catalog's names. */
export const EVENT_NAMES: Readonly<Record<string, string>> = EVENT_LABELS;

export const ACTION_NAMES: Record<string, string> = {
  acknowledge: '签收',
  inspect: '现场核查',
  stop: '制止',
  notify_town: '告知镇政府',
  request_extension: '申请延期',
  close: '办结',
  reassign: '改派',
  approve_extension: '批准延期',
  reject_extension: '驳回延期',
  return: '退单',
  merge: '并单',
  split: '拆分',
  comment: '添加备注',
};

export const FINDING_NAMES: Readonly<Record<string, string>> = FINDING_LABELS;

export const STOP_RESULT_NAMES: Readonly<Record<string, string>> = STOP_RESULT_LABELS;

export const RESOLUTION_NAMES: Readonly<Record<string, string>> = RESOLUTION_LABELS;

export const ROUTING_METHOD_NAMES: Readonly<Record<string, string>> = ROUTING_METHOD_LABELS;

export const PATROL_KIND_NAMES: Record<string, string> = {
  bureau: '分局巡查',
  brigade: '大队巡查',
  spot_check: '大队抽查',
  supervision: '大队督查',
  leader: '局领导巡查',
};

export const FOCUS_NAMES: Record<string, string> = {
  town_planning: '城镇规划区',
  basic_farmland: '基本农田保护区',
  development_zone: '开发区',
  industrial_cluster: '工业集中区',
  urban_rural_fringe: '城乡结合部',
};

export const REQUIREMENT_NAMES: Record<string, string> = {
  bureau_weekly: '分局每周巡查',
  brigade_monthly: '大队每月巡查',
  supervision_monthly: '大队每月督查分局',
  leader_quarterly: '局领导每季度巡查',
};

export const COMPLIANCE_STATUS_NAMES: Record<string, string> = {
  met: '达标',
  open: '进行中',
  short: '未达标',
};

export const REPORT_STATUS_NAMES: Readonly<Record<string, string>> = REPORT_STATUS_LABELS;

export const LEDGER_KIND_NAMES: Readonly<Record<string, string>> = LEDGER_KIND_LABELS;

/** Feedback deliveries to the sources (contract 9): their state and what each told the source. */
export const DELIVERY_STATUS_NAMES: Readonly<Record<string, string>> = DELIVERY_STATUS_LABELS;

export const FEEDBACK_TYPE_NAMES: Readonly<Record<string, string>> = FEEDBACK_TYPE_LABELS;

export const SATISFACTION_NAMES: Readonly<Record<string, string>> = SATISFACTION_LABELS;

export const LEDGER_REASON_NAMES: Record<string, string> = {
  deadline_breach: '未按期限办理',
  patrol_shortfall: '未落实巡查责任',
  report_overdue: '月报逾期未报送',
};

/** The quarterly assessment's items (contract 8), under the names their codes are likely to have. */
export const ASSESSMENT_ITEM_NAMES: Record<string, string> = {
  patrol_frequency: '巡查频次',
  patrols: '巡查频次',
  monthly_reports: '月报按时报送',
  reports_on_time: '月报按时报送',
  reports: '月报按时报送',
  deadlines: '按期办理',
  deadlines_met: '按期办理',
  patrol_discovery_rate: '巡查发现率',
  discovery_rate: '巡查发现率',
  discovery: '巡查发现率',
  ledger: '问责台账',
};

export const ROLE_NAMES: Record<string, string> = { chief: '负责人', officer: '执法人员' };

/** A code's word in `names`, or `fallback` (never the Latin code itself). */
export function label(
  names: Record<string, string>,
  code: string | null | undefined,
  fallback = '其他',
): string {
  if (code === null || code === undefined || code === '') return fallback;
  return names[code] ?? fallback;
}

export type PrincipalKind = 'brigade' | 'bureau' | 'partner' | 'leader' | 'source' | 'system' | 'unknown';

export interface ParsedPrincipal {
  kind: PrincipalKind;
  /** The area, department or district after the colon. */
  value?: string;
}

export function parsePrincipalId(id: string): ParsedPrincipal {
  if (id === 'brigade') return { kind: 'brigade' };
  if (id === 'system') return { kind: 'system' };
  const [kind, value] = id.split(':');
  if ((kind === 'bureau' || kind === 'partner' || kind === 'leader' || kind === 'source') && value)
    return { kind, value };
  return { kind: 'unknown' };
}

/** `bureau:meili` → 梅李镇国土分局, `leader:district-3` → 第三片区责任领导 … (the catalog's names). */
export function principalLabel(id: string | null | undefined): string {
  if (!id) return '—';
  if (id === 'system') return '系统';
  const name = principalName(id);
  if (name !== id) return name;
  // A code the catalog does not know reads as a kind of unit, never as Latin text.
  switch (parsePrincipalId(id).kind) {
    case 'bureau':
      return '国土分局';
    case 'partner':
      return '协作部门';
    case 'leader':
      return '局领导';
    case 'source':
      return '来源系统';
    default:
      return '其他单位';
  }
}

/** Where a case came from: its first tip's source, or a patrol finding (no tips). */
export function caseSourceOf(record: { tips: Array<{ source: string }>; source?: string }): string {
  return record.tips[0]?.source ?? record.source ?? 'patrol';
}

/** `brigade`, `bureau-meili` … → the principal id; undefined unless exactly one group is landline's. */
export function principalOfGroups(groups: unknown): string | undefined {
  const found = new Set<string>();
  for (const group of Array.isArray(groups) ? groups : []) {
    const principal = typeof group === 'string' ? principalOfGroup(group) : undefined;
    if (principal) found.add(principalId(principal));
  }
  return found.size === 1 ? [...found][0] : undefined;
}
