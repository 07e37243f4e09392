/**
 * The `supplement` notice (补充件, contract sections 5 and 10): a bureau's case gained a tip about the
 * same site, from the router (并单) or from the brigade's `merge`. Pure text building in the words of
 * hotline practice; like every notification, never the reporter.
 */
import { DEADLINE_NAME, PARTNER_LABELS, SEVERITY_LABELS, SOURCE_LABELS } from './labels.js';
import type { MergedTipContent } from './merging.js';
import type { CaseSnapshot, Deadline, Notification, PartnerDepartment, Source } from './model.js';
import { clip, SMS_MAX_CHARS, shortShanghaiTime } from './notifications.js';
import { safeText } from './text-hygiene.js';

const SOURCE_SHORT: Record<Source, string> = {
  '12336': '12336',
  '12345': '12345热线',
  'city-management': '数字城管',
};

/** The once-only key of the supplement for one tip joining one case. */
export const supplementKey = (caseId: string, tipId: string): string => `supplement|${caseId}|${tipId}`;

export interface SupplementFacts {
  tipId: string;
  source: Source;
  externalId: string;
  content: MergedTipContent;
  reason: string;
  becameMajor: boolean;
  newPartners: readonly PartnerDepartment[];
  tightened: readonly Deadline[];
  /** Set when the brigade merged another case into this one: that case's number. */
  fromCaseNo?: string;
}

const placeOf = (record: Pick<CaseSnapshot, 'areaName'>) => record.areaName ?? '待分派';

/** The supplement to the case's bureau (the brigade for a case in triage) for one joining tip. */
export function supplementNotification(
  record: CaseSnapshot,
  facts: SupplementFacts,
): Omit<Notification, 'id' | 'at'> {
  const place = placeOf(record);
  const target = record.area ? record.bureau : 'brigade';
  const first = [...record.deadlines]
    .filter((deadline) => !deadline.metAt && !deadline.breachedAt)
    .sort((a, b) => Date.parse(a.dueAt) - Date.parse(b.dueAt))[0];
  const due = first ? `请于${shortShanghaiTime(first.dueAt)}前${DEADLINE_NAME[first.kind]}` : '请一并处置';
  const how = facts.fromCaseNo ? `监察大队将案件${facts.fromCaseNo}并入本案` : '系统已将其并入本案（并单）';
  const sms = facts.becameMajor
    ? `【常熟国土】案件${record.caseNo}（${place}）并入${SOURCE_SHORT[facts.source]}新举报后升为重大/突发，${due}。`
    : `【常熟国土】案件${record.caseNo}（${place}）收到${SOURCE_SHORT[facts.source]}对同一地块的举报，已并入本案，请一并处置。`;
  const lines = [
    `案件${record.caseNo}收到一条描述同一违法地块的举报，${how}，不另行立案、不重复交办。`,
    '',
    `来源：${SOURCE_LABELS[facts.source]}（原编号${facts.externalId}）`,
    `受理时间：${shortShanghaiTime(facts.content.receivedAt)}`,
    `并单依据：${facts.reason}`,
    facts.content.title ? `标题：${clip(facts.content.title, 200)}` : undefined,
    `举报内容：${clip(facts.content.description, 500)}`,
    facts.content.location.address ? `地点：${clip(facts.content.location.address, 200)}` : undefined,
    facts.becameMajor ? `因这条举报，案件升为${SEVERITY_LABELS.major}，按重大案件处置并专报。` : undefined,
    facts.newPartners.length > 0
      ? `新增协同部门：${facts.newPartners.map((partner) => PARTNER_LABELS[partner]).join('、')}（另行告知）。`
      : undefined,
    ...facts.tightened.map(
      (deadline) => `${DEADLINE_NAME[deadline.kind]}时限提前至${shortShanghaiTime(deadline.dueAt)}。`,
    ),
    '',
    '如认为不是同一违法行为，请报监察大队拆分。',
    '举报人信息依法保密，如需查看请登录系统（每次查看均留痕）。',
  ];
  return {
    audience: record.area ? 'bureau' : 'brigade',
    target,
    caseId: record.caseId,
    kind: 'supplement',
    subject: safeText(`【并单补充】案件${record.caseNo}（${place}）新增同一地块举报`),
    sms: clip(safeText(sms), SMS_MAX_CHARS),
    email: safeText(lines.filter((line): line is string => line !== undefined).join('\n'), {
      multiline: true,
    }),
  };
}
