/**
 * The Chinese names of landline's codes (contract section 11): what people read in an SMS, an
 * e-mail, a report, a ledger or the console says 非法占用土地, 第三片区, 梅李镇国土分局, never
 * `illegal_occupation`, `district-3`, `bureau:meili`. JSON keeps the codes; these are the one
 * catalog of their names. Pure constants and lookups.
 */
import {
  AREA_DISTRICT,
  type AreaId,
  type CaseStatus,
  type DeadlineKind,
  type DistrictId,
  isAreaId,
  isDistrictId,
  type PartnerDepartment,
  type Severity,
  type Source,
  type ViolationType,
} from './model.js';
import type { Period } from './periods.js';

export const AREA_NAMES: Readonly<Record<AreaId, string>> = {
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

export const DISTRICT_NAMES: Readonly<Record<DistrictId, string>> = {
  'district-1': '第一片区',
  'district-2': '第二片区',
  'district-3': '第三片区',
  'district-4': '第四片区',
  'district-5': '第五片区',
};

export const VIOLATION_TYPE_LABELS: Readonly<Record<ViolationType, string>> = {
  plan_violation: '违反土地利用总体规划',
  illegal_occupation: '非法占用土地',
  illegal_approval: '非法批准征收、使用土地',
  illegal_transfer: '非法转让土地',
  farmland_destruction: '破坏耕地（基本农田）',
  farmer_rights: '侵害农民土地权益',
  state_asset_loss: '国有土地资产流失',
  other: '其他违法行为',
};

export const PARTNER_LABELS: Readonly<Record<PartnerDepartment, string>> = {
  planning: '城乡规划局',
  urban_management: '城管执法局',
  housing: '住建局',
  police: '公安局',
};

export const SOURCE_LABELS: Readonly<Record<Source | 'patrol', string>> = {
  '12336': '12336国土资源违法举报',
  '12345': '12345政务服务热线',
  'city-management': '数字城管',
  patrol: '巡查发现',
};

export const STATUS_LABELS: Readonly<Record<CaseStatus, string>> = {
  triage: '待分派',
  assigned: '待签收',
  acknowledged: '已签收',
  inspected: '已现场核查',
  stopping: '制止中',
  town_notified: '已告知镇政府',
  closed: '已办结',
};

export const SEVERITY_LABELS: Readonly<Record<Severity, string>> = { normal: '一般', major: '重大/突发' };

export const DEADLINE_NAME: Readonly<Record<DeadlineKind, string>> = {
  acknowledge: '签收',
  inspect: '现场核查',
  stop: '制止',
  notify_town: '告知镇政府',
  close: '办结',
};

/** The case events by their names in the patrol rules and hotline practice. */
export const EVENT_LABELS: Readonly<Record<string, string>> = {
  created: '立案',
  acknowledge: '签收',
  acknowledged: '签收',
  inspect: '现场核查',
  inspected: '现场核查',
  stop: '制止',
  stopped: '制止',
  notify_town: '告知镇政府',
  town_notified: '告知镇政府',
  close: '办结',
  closed: '办结',
  reassign: '改派',
  reassigned: '改派',
  comment: '备注',
  amended: '来源补充更正',
  request_extension: '申请延期',
  approve_extension: '批准延期',
  reject_extension: '驳回延期',
  return: '退单',
  returned: '退单',
  urged: '催办',
  callback: '回访',
  reopened: '重办',
  withdrawn: '撤单',
  tip_merged: '并单',
  merge: '并单',
  merged: '并单',
  split: '拆分',
  deadline_breached: '超时',
  deadlines_recomputed: '时限重算',
};

/** `梅李镇国土分局` for `meili`; the brigade's name for `brigade`. */
export function bureauName(area: AreaId): string {
  return `${AREA_NAMES[area]}国土分局`;
}

export const BRIGADE_NAME = '国土资源监察大队';

/**
 * The Chinese name of a principal or notification target: `bureau:meili` → 梅李镇国土分局,
 * `leader:district-3` → 第三片区责任领导, `town:meili` → 梅李镇人民政府… Unknown codes come back
 * unchanged (they are ids, which may appear).
 */
export function principalName(id: string): string {
  if (id === 'brigade') return BRIGADE_NAME;
  if (id === 'leadership') return '局领导';
  if (id === 'superior') return '市国土资源监察支队';
  const [kind, value = ''] = id.split(':');
  if (kind === 'bureau' && isAreaId(value)) return bureauName(value);
  if (kind === 'town' && isAreaId(value)) return `${AREA_NAMES[value]}人民政府`;
  if (kind === 'leader' && isDistrictId(value)) return `${DISTRICT_NAMES[value]}责任领导`;
  if (kind === 'partner' && value in PARTNER_LABELS) return PARTNER_LABELS[value as PartnerDepartment];
  if (kind === 'source') return SOURCE_LABELS[value as Source] ?? id;
  return id;
}

/** `2026年第49周`, `2026年11月`, `2026年第四季度`, `2026年度`. */
export function periodLabel(period: Pick<Period, 'kind' | 'id'>): string {
  const year = period.id.slice(0, 4);
  switch (period.kind) {
    case 'week':
      return `${year}年第${Number(period.id.slice(6))}周`;
    case 'month':
      return `${year}年${Number(period.id.slice(5))}月`;
    case 'quarter':
      return `${year}年第${['一', '二', '三', '四'][Number(period.id.slice(6)) - 1]}季度`;
    case 'year':
      return `${year}年度`;
  }
}

/** The district of an area, by name: `第三片区`. */
export const districtNameOfArea = (area: AreaId): string => DISTRICT_NAMES[AREA_DISTRICT[area]];

// ---------------------------------------------------------------------------------------------
// More codes people meet in explanations, the case JSON and the console.

/** What an inspection found (`inspect` event, `finding`). */
export const FINDING_LABELS: Readonly<Record<'violation_confirmed' | 'no_violation', string>> = {
  violation_confirmed: '违法属实',
  no_violation: '未发现违法',
};

/** How a stop went (`stop` event, `result`). */
export const STOP_RESULT_LABELS: Readonly<Record<'stopped' | 'failed', string>> = {
  stopped: '已制止',
  failed: '制止无效',
};

/** The ledger's entry kinds (contract 12). */
export const LEDGER_KIND_LABELS: Readonly<Record<'admonishment' | 'criticism' | 'late_report', string>> = {
  admonishment: '诫勉谈话',
  criticism: '通报批评',
  late_report: '月报迟报',
};

/** The fields of a tip's location, as a routing explanation names them. */
export const LOCATION_FIELD_LABELS: Readonly<
  Record<'town' | 'region' | 'street' | 'community' | 'address' | 'text', string>
> = {
  town: '所属镇字段',
  region: '所属区域字段',
  street: '街道字段',
  community: '社区（村）字段',
  address: '地址',
  text: '问题描述',
};

/** How a case was routed (`routing.method`). */
export const ROUTING_METHOD_LABELS: Readonly<Record<string, string>> = {
  town_field: '依据所属镇字段',
  street_field: '依据街道字段',
  community_field: '依据社区（村）字段',
  address_town: '依据地址或问题描述中的镇名',
  former_town: '依据原乡镇名',
  village: '依据村（社区）名',
  coordinates: '依据坐标',
  none: '未找到地名',
  outside_city: '位于常熟市以外',
  conflict: '地名互相矛盾',
  reassigned: '监察大队改派',
};

/** Coordinate reference systems (`location.point.crs`), without their Latin abbreviations. */
export const CRS_LABELS: Readonly<Record<'wgs84' | 'gcj02' | 'bd09' | 'cgcs2000', string>> = {
  wgs84: '卫星定位坐标',
  gcj02: '国测局坐标',
  bd09: '百度地图坐标',
  cgcs2000: '2000国家大地坐标',
};

/** The source's urgency flag. */
export const URGENCY_LABELS: Readonly<Record<'normal' | 'urgent', string>> = {
  normal: '一般',
  urgent: '紧急',
};

const WEEKDAY_LABELS = ['星期日', '星期一', '星期二', '星期三', '星期四', '星期五', '星期六'] as const;

/**
 * The wall clock of an instant in Asia/Shanghai (UTC+8 all year), as the UTC fields of a Date. Kept
 * free of the calendar module so a browser bundle of this catalog stays small.
 */
const shanghaiWallClock = (instant: string | Date): Date =>
  new Date((typeof instant === 'string' ? Date.parse(instant) : instant.getTime()) + 8 * 3600_000);

/** `2026年11月28日（星期六）` for an instant or a `YYYY-MM-DD` date, in Asia/Shanghai. */
export function dateLabel(instantOrDate: string): string {
  const wall = /^\d{4}-\d{2}-\d{2}$/.test(instantOrDate)
    ? new Date(`${instantOrDate}T00:00:00Z`)
    : shanghaiWallClock(instantOrDate);
  const weekday = WEEKDAY_LABELS[wall.getUTCDay()];
  return `${wall.getUTCFullYear()}年${wall.getUTCMonth() + 1}月${wall.getUTCDate()}日（${weekday}）`;
}

/** `2026年11月30日23:59` for an instant, in Asia/Shanghai. */
export function dateTimeLabel(instant: string | Date): string {
  const wall = shanghaiWallClock(instant);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${wall.getUTCFullYear()}年${wall.getUTCMonth() + 1}月${wall.getUTCDate()}日${pad(wall.getUTCHours())}:${pad(wall.getUTCMinutes())}`;
}

/** `第三片区` for `district-3`; unknown codes come back unchanged. */
export const districtName = (district: string): string =>
  isDistrictId(district) ? DISTRICT_NAMES[district] : district;

/** The status of a monthly report (contract section 8), as people read it. */
export const REPORT_STATUS_LABELS: Readonly<
  Record<'open' | 'draft' | 'submitted' | 'overdue' | 'late', string>
> = {
  open: '本月未结束',
  draft: '待报送',
  submitted: '已按时报送',
  overdue: '逾期未报送',
  late: '逾期补报',
};

/** 回访 satisfaction (contract 9). */
export const SATISFACTION_LABELS: Readonly<Record<string, string>> = {
  satisfied: '满意',
  basically_satisfied: '基本满意',
  dissatisfied: '不满意',
};

/** How a closed case answered the appeal (contract 9, `case.closed`). */
export const RESOLUTION_LABELS: Readonly<Record<string, string>> = {
  resolved: '已解决',
  partially_resolved: '部分解决',
  unresolved: '未解决',
};

/** What each feedback event tells the source, in hotline terms (contract 9). */
export const FEEDBACK_TYPE_LABELS: Readonly<Record<string, string>> = {
  'tip.routed': '已受理派单',
  'tip.triaged': '待监察大队分派',
  'tip.merged': '已并单',
  'case.acknowledged': '已签收',
  'case.inspected': '已现场核查',
  'case.extended': '已批准延期',
  'case.returned': '已退单',
  'case.closed': '已办结',
  'case.reopened': '已重办',
};

/** The state of one feedback delivery (GET /v1/deliveries). */
export const DELIVERY_STATUS_LABELS: Readonly<Record<string, string>> = {
  pending: '待推送',
  succeeded: '已送达',
  failed: '推送失败',
  disabled: '接口已停用',
  skipped: '未配置接口',
};
