/**
 * Every word of the console that names a code of the API, in the terms of the patrol rules and the
 * hotline practice. JSON keeps its codes (contract section 11); people read these. A code without a
 * word here is shown as "其他" rather than as Latin text.
 */
import { principalOfGroup } from '../../shared/domain/access.js';
import {
  type AreaId,
  type CaseStatus,
  DEADLINE_LABELS,
  type DeadlineKind,
  type DistrictId,
  type PartnerDepartment,
  principalId,
  type ViolationType,
} from '../../shared/domain/model.js';

export const AREA_NAMES: Record<AreaId, string> = {
  guli: '古里镇',
  shajiabang: '沙家浜镇',
  dongnan: '东南开发区',
  shanghu: '尚湖镇',
  xinzhuang: '辛庄镇',
  zhitang: '支塘镇',
  dongbang: '董浜镇',
  meili: '梅李镇',
  yushan: '虞山镇',
  resort: '虞山尚湖旅游度假区',
  bixi: '碧溪新区',
  haiyu: '海虞镇',
};

export const AREA_DISTRICTS: Record<AreaId, DistrictId> = {
  guli: 'district-1',
  shajiabang: 'district-1',
  dongnan: 'district-1',
  shanghu: 'district-2',
  xinzhuang: 'district-2',
  zhitang: 'district-3',
  dongbang: 'district-3',
  meili: 'district-3',
  yushan: 'district-4',
  resort: 'district-4',
  bixi: 'district-5',
  haiyu: 'district-5',
};

export const AREAS = Object.keys(AREA_NAMES) as AreaId[];

export const DISTRICT_NAMES: Record<DistrictId, string> = {
  'district-1': '第一片区',
  'district-2': '第二片区',
  'district-3': '第三片区',
  'district-4': '第四片区',
  'district-5': '第五片区',
};

export const DEPARTMENT_NAMES: Record<PartnerDepartment, string> = {
  planning: '城乡规划局',
  urban_management: '城管执法局',
  housing: '住建局',
  police: '公安局',
};

export const VIOLATION_TYPE_NAMES: Record<ViolationType, string> = {
  plan_violation: '违反土地利用总体规划',
  illegal_occupation: '非法占用土地',
  illegal_approval: '非法批准征占用土地',
  illegal_transfer: '非法出让/转让土地',
  farmland_destruction: '破坏基本农田',
  farmer_rights: '侵害农民利益',
  state_asset_loss: '国有土地资产重大损失',
  other: '其他',
};

export const STATUS_NAMES: Record<CaseStatus, string> = {
  triage: '待分派',
  assigned: '待签收',
  acknowledged: '已签收',
  inspected: '已核查',
  stopping: '制止中',
  town_notified: '已告知镇政府',
  closed: '已办结',
};

export const DEADLINE_NAMES: Record<DeadlineKind, string> = DEADLINE_LABELS;

export const SOURCE_NAMES: Record<string, string> = {
  '12336': '12336 违法举报',
  '12345': '12345 政务热线',
  'city-management': '数字城管',
  patrol: '巡查发现',
};

export const SEVERITY_NAMES: Record<string, string> = { normal: '一般', major: '重大' };

/** What the timeline calls each event. */
export const EVENT_NAMES: Record<string, string> = {
  created: '立案',
  amended: '来源更新举报内容',
  acknowledge: '签收',
  inspect: '现场核查',
  stop: '制止',
  notify_town: '告知镇政府',
  close: '办结',
  reassign: '改派',
  comment: '备注',
  deadline_breached: '期限超期',
  deadlines_recomputed: '期限按节假日安排重算',
  request_extension: '申请延期',
  approve_extension: '批准延期',
  reject_extension: '驳回延期',
  return: '退单',
  split: '拆分',
  merge: '并单',
  tip_merged: '并入新举报',
  urged: '催办',
  reopened: '重新办理',
  callback: '回访',
  withdrawn: '撤单',
};

/** What the action buttons say, in the order they are offered. */
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

export const FINDING_NAMES: Record<string, string> = {
  violation_confirmed: '确认违法',
  no_violation: '未发现违法',
};

export const STOP_RESULT_NAMES: Record<string, string> = { stopped: '已制止', failed: '制止无效' };

export const RESOLUTION_NAMES: Record<string, string> = {
  resolved: '已解决',
  partially_resolved: '部分解决',
  unresolved: '未解决',
};

export const ROUTING_METHOD_NAMES: Record<string, string> = {
  town_field: '来源写明的镇（街道）',
  street_field: '来源写明的街道',
  community_field: '来源写明的村（社区）',
  address_town: '地址中的镇（街道）名',
  former_town: '地址中的原乡镇名',
  village: '地址中的村（社区）名',
  coordinates: '坐标所在范围',
  reassigned: '大队改派',
  conflict: '信息相互矛盾，待大队分派',
  outside_city: '地点在本市以外，待大队分派',
  none: '无法判定属地，待大队分派',
};

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

export const REPORT_STATUS_NAMES: Record<string, string> = {
  open: '本月未结束',
  draft: '待报送',
  submitted: '已报送',
  overdue: '逾期未报',
  late: '逾期报送',
};

export const LEDGER_KIND_NAMES: Record<string, string> = {
  admonishment: '诫勉谈话',
  criticism: '通报批评',
  late_report: '报告逾期',
};

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

/** `bureau:meili` → 梅李镇国土分局, `leader:district-3` → 第三片区局领导 … */
export function principalLabel(id: string | null | undefined): string {
  if (!id) return '—';
  const { kind, value = '' } = parsePrincipalId(id);
  switch (kind) {
    case 'brigade':
      return '国土资源监察大队';
    case 'system':
      return '系统';
    case 'bureau':
      return `${label(AREA_NAMES, value, '未知')}国土分局`;
    case 'partner':
      return label(DEPARTMENT_NAMES, value, '协作部门');
    case 'leader':
      return `${label(DISTRICT_NAMES, value, '片区')}局领导`;
    case 'source':
      return label(SOURCE_NAMES, value, '来源系统');
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
