/**
 * What each notification says (contract section 5). Pure text building: no reporter data ever
 * enters here, because the case record given to these functions carries the reporter only sealed,
 * and nothing below reads it.
 */

import {
  BRIGADE_NAME,
  districtName,
  PARTNER_LABELS,
  principalName,
  SEVERITY_LABELS,
  VIOLATION_TYPE_LABELS,
} from './labels.js';
import {
  type CaseSnapshot,
  DEADLINE_LABELS,
  type Deadline,
  type DeadlineKind,
  type Notification,
  type NotificationKind,
} from './model.js';
import { safeText } from './text-hygiene.js';

export const SMS_MAX_CHARS = 70;

/** "11月30日23:59" in Shanghai time, from any ISO instant. */
export function shortShanghaiTime(iso: string): string {
  const shanghai = new Date(new Date(iso).getTime() + 8 * 3600_000);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${shanghai.getUTCMonth() + 1}月${shanghai.getUTCDate()}日${pad(shanghai.getUTCHours())}:${pad(shanghai.getUTCMinutes())}`;
}

/** Cuts to at most `max` characters (code points), marking the cut. */
export function clip(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

function firstOpenDeadline(record: CaseSnapshot): Deadline | undefined {
  return [...record.deadlines]
    .filter((d) => !d.metAt && !d.breachedAt)
    .sort((a, b) => Date.parse(a.dueAt) - Date.parse(b.dueAt))[0];
}

function placeOf(record: CaseSnapshot): string {
  return record.areaName ?? '待分派';
}

function deadlineLines(record: CaseSnapshot): string {
  return record.deadlines
    .map(
      (d) => `  ${DEADLINE_LABELS[d.kind]}：${shortShanghaiTime(d.dueAt)}${d.provisional ? '（暂定）' : ''}`,
    )
    .join('\n');
}

function caseSummary(record: CaseSnapshot): string {
  const lines = [
    `案件编号：${record.caseNo}`,
    `系统编号：${record.caseId}`,
    `属地：${placeOf(record)}${record.district ? `（${districtName(record.district)}）` : ''}`,
    `承办单位：${record.area === null ? BRIGADE_NAME : principalName(record.bureau)}`,
    `违法类型：${VIOLATION_TYPE_LABELS[record.violationType] ?? VIOLATION_TYPE_LABELS.other}`,
    `严重程度：${SEVERITY_LABELS[record.severity] ?? SEVERITY_LABELS.normal}`,
    record.title ? `标题：${record.title}` : undefined,
    `问题描述：${clip(record.description, 500)}`,
    record.location.address ? `地点：${clip(record.location.address, 200)}` : undefined,
    `分派依据：${record.routing.explanation}`,
    '时限：',
    deadlineLines(record),
    '举报人信息依法保密，如需查看请登录系统（每次查看均留痕）。',
  ];
  return lines.filter((line): line is string => line !== undefined).join('\n');
}

interface Envelope {
  id: string;
  at: string;
}

function build(
  record: CaseSnapshot,
  envelope: Envelope,
  fields: Pick<Notification, 'audience' | 'target' | 'kind' | 'subject' | 'sms' | 'email'> & {
    deadline?: DeadlineKind;
  },
): Notification {
  // Field order as in contract section 5, so outbox lines read the same way as the documentation.
  return {
    id: envelope.id,
    at: envelope.at,
    audience: fields.audience,
    target: fields.target,
    caseId: record.caseId,
    kind: fields.kind,
    ...(fields.deadline ? { deadline: fields.deadline } : {}),
    // Every text goes through the one hygiene rule last, whatever part of the case it quotes.
    subject: safeText(fields.subject),
    sms: clip(safeText(fields.sms), SMS_MAX_CHARS),
    email: safeText(fields.email, { multiline: true }),
  };
}

/** The assignment to the case's bureau, or to the brigade when the case waits in triage. */
export function assignmentNotification(record: CaseSnapshot, envelope: Envelope): Notification {
  const first = firstOpenDeadline(record);
  const due = first ? `请于${shortShanghaiTime(first.dueAt)}前${DEADLINE_LABELS[first.kind]}` : '请及时处理';
  if (record.area === null) {
    return build(record, envelope, {
      audience: 'brigade',
      target: 'brigade',
      kind: 'assignment',
      subject: `【待分派】案件${record.caseNo}无法确定属地，请研判分派`,
      sms: `【常熟国土】待分派案件${record.caseNo}无法确定属地，${due}并分派。`,
      email: `案件${record.caseNo}无法自动确定属地，请监察大队研判后改派至属地国土分局。\n\n${caseSummary(record)}`,
    });
  }
  return build(record, envelope, {
    audience: 'bureau',
    target: record.bureau,
    kind: 'assignment',
    subject: `【交办】案件${record.caseNo}（${placeOf(record)}）`,
    sms: `【常熟国土】新交办案件${record.caseNo}（${placeOf(record)}），${due}。`,
    email: `请${principalName(record.bureau)}接收以下案件并按时限处置。\n\n${caseSummary(record)}`,
  });
}

/** One joint-enforcement notice per partner department of the case. */
export function jointEnforcementNotifications(
  record: CaseSnapshot,
  envelopeFor: (target: string) => Envelope,
): Notification[] {
  return record.partners.map((department) => {
    const target = `partner:${department}`;
    const why = record.partnerReasons[department] ?? '';
    return build(record, envelopeFor(target), {
      audience: 'partner',
      target,
      kind: 'joint_enforcement',
      subject: `【联合执法】案件${record.caseNo}（${placeOf(record)}）`,
      sms: `【常熟国土】联合执法告知：案件${record.caseNo}（${placeOf(record)}）请${PARTNER_LABELS[department] ?? '协办部门'}协同处置。`,
      email: `请${PARTNER_LABELS[department] ?? '协办部门'}协同处置以下案件。${why ? `\n抄送原因：${why}` : ''}\n\n${caseSummary(record)}`,
    });
  });
}

/** A major case is reported at once to its town government and to the brigade. */
export function specialReportNotifications(
  record: CaseSnapshot,
  envelopeFor: (target: string) => Envelope,
): Notification[] {
  if (record.severity !== 'major') return [];
  const reasons = record.severityReasons.join('；');
  const targets: Array<{ audience: Notification['audience']; target: string }> = [
    { audience: 'brigade', target: 'brigade' },
  ];
  if (record.area) targets.unshift({ audience: 'town', target: `town:${record.area}` });
  return targets.map(({ audience, target }) =>
    build(record, envelopeFor(target), {
      audience,
      target,
      kind: 'special_report',
      subject: `【专报】重大/突发案件${record.caseNo}（${placeOf(record)}）`,
      sms: `【常熟国土】专报：重大/突发案件${record.caseNo}（${placeOf(record)}），请即关注。`,
      email: `重大、突发违法用地案件专报。${reasons ? `\n认定原因：${reasons}` : ''}\n\n${caseSummary(record)}`,
    }),
  );
}

/** The once-only key of a notification: case, kind, target and (for escalations) deadline kind. */
export function notificationKey(
  caseId: string,
  kind: NotificationKind,
  target: string,
  deadline?: DeadlineKind,
): string {
  return [caseId, kind, target, deadline].filter(Boolean).join('|');
}

/**
 * A breached deadline escalates to the brigade and the bureau; a breached `stop` or `notify_town`
 * also to the town government (contract 5).
 */
export function escalationNotifications(
  record: CaseSnapshot,
  kind: DeadlineKind,
  envelopeFor: (target: string) => Envelope,
): Notification[] {
  const deadline = record.deadlines.find((d) => d.kind === kind);
  const due = deadline ? shortShanghaiTime(deadline.dueAt) : '';
  const what = `${DEADLINE_LABELS[kind]}时限（${due}）`;
  const targets: Array<{ audience: Notification['audience']; target: string }> = [
    { audience: 'brigade', target: 'brigade' },
  ];
  if (record.area) targets.push({ audience: 'bureau', target: record.bureau });
  if (record.area && (kind === 'stop' || kind === 'notify_town'))
    targets.push({ audience: 'town', target: `town:${record.area}` });
  return targets.map(({ audience, target }) =>
    build(record, envelopeFor(target), {
      audience,
      target,
      kind: 'escalation',
      deadline: kind,
      subject: `【超时督办】案件${record.caseNo}（${placeOf(record)}）${DEADLINE_LABELS[kind]}超时`,
      sms: `【常熟国土】督办：案件${record.caseNo}（${placeOf(record)}）已超过${what}，请立即处置。`,
      email: `案件${record.caseNo}已超过${what}未完成，依巡查制度予以督办。\n\n${caseSummary(record)}`,
    }),
  );
}

/**
 * The reminder before an open deadline, to the bureau that must meet it (the brigade for a triage
 * case): once per (case, deadline).
 */
export function reminderNotification(
  record: CaseSnapshot,
  kind: DeadlineKind,
  envelope: Envelope,
): Notification | undefined {
  const deadline = record.deadlines.find((d) => d.kind === kind);
  if (!deadline || deadline.metAt || deadline.breachedAt || record.status === 'closed') return undefined;
  const due = shortShanghaiTime(deadline.dueAt);
  const what = `${DEADLINE_LABELS[kind]}时限${due}${deadline.provisional ? '（暂定）' : ''}`;
  const triage = record.area === null;
  return build(record, envelope, {
    audience: triage ? 'brigade' : 'bureau',
    target: triage ? 'brigade' : record.bureau,
    kind: 'reminder',
    deadline: kind,
    subject: `【时限提醒】案件${record.caseNo}（${placeOf(record)}）${DEADLINE_LABELS[kind]}将于${due}到期`,
    sms: `【常熟国土】提醒：案件${record.caseNo}（${placeOf(record)}）${what}即将到期，请按时处置。`,
    email: `案件${record.caseNo}的${what}即将到期，逾期将予督办并记入问责台账。\n\n${caseSummary(record)}`,
  });
}
