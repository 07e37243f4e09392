/**
 * The notices of the monthly reports (contract sections 5 and 8), rendered in full with their
 * once-only keys: the submission's copies (`monthly_report` to the town and the brigade; the city
 * report's to the bureau's leadership and the city inspection detachment), the reminder before the
 * due date and the overdue notices. Pure text building in the words of the patrol rules; the
 * analysis a bureau typed goes only into the e-mail, cleaned like every outgoing text.
 */

import { AREA_NAMES, BRIGADE_NAME, bureauName, periodLabel, principalName } from './labels.js';
import type { LedgerEntry } from './ledger.js';
import { LEDGER_REASON_LABELS } from './ledger.js';
import type { AreaId, Audience, Notification } from './model.js';
import type { MonthlyFigures } from './monthly-report.js';
import { reportRef } from './monthly-report.js';
import { clip, SMS_MAX_CHARS, shortShanghaiTime } from './notifications.js';
import { safeText } from './text-hygiene.js';

export interface PlannedNotice {
  key: string;
  notification: Omit<Notification, 'id' | 'at'>;
}

const monthName = (month: string) => periodLabel({ kind: 'month', id: month });

function notice(
  kind: Notification['kind'],
  audience: Audience,
  target: string,
  report: string,
  text: { subject: string; sms: string; email: string },
): PlannedNotice {
  return {
    key: `${kind}|${target}|${report}`,
    notification: {
      audience,
      target,
      kind,
      report,
      subject: safeText(text.subject),
      sms: clip(safeText(text.sms), SMS_MAX_CHARS),
      email: safeText(text.email, { multiline: true }),
    },
  };
}

const rate = (value: number | null) =>
  value === null ? '—（本月无核查属实的违法行为）' : `${Math.round(value * 1000) / 10}%`;

/** The figures of a bureau's month as e-mail lines. */
export function figureLines(figures: MonthlyFigures): string[] {
  const { patrols, cases, deadlines } = figures;
  return [
    `巡查：${patrols.total}次（达标周数${patrols.weeksMet}/${patrols.weeks}，有发现${patrols.withFindings}次）`,
    `新发案件：${cases.new}起（巡查发现${cases.bySource.patrol}起，12336举报${cases.bySource['12336']}起，12345热线${cases.bySource['12345']}起，数字城管${cases.bySource['city-management']}起）`,
    `核查属实：${cases.violationsConfirmed}起；制止：${cases.stopped}起；告知镇政府：${cases.townNotified}起；办结：${cases.closed}起`,
    `涉及面积：${cases.areaMu}亩`,
    `办理时限：按时${deadlines.met}个，超时${deadlines.breached}个`,
    `巡查发现率：${rate(figures.patrolDiscoveryRate)}`,
  ];
}

/** `monthly_report` to `town:<area>` (抄报所在镇人民政府) and to the brigade, once each. */
export function monthlyReportNotices(args: {
  area: AreaId;
  month: string;
  figures: MonthlyFigures;
  zeroReport: boolean;
  analysis: string | null;
  submittedAt: string;
}): PlannedNotice[] {
  const { area, month, figures } = args;
  const bureau = bureauName(area);
  const ref = reportRef(area, month);
  const zero = args.zeroReport ? '（零报告）' : '';
  const subject = `【巡查月报】${bureau}${monthName(month)}巡查月报${zero}`;
  const sms = args.zeroReport
    ? `${bureau}已报送${monthName(month)}巡查月报（零报告）：巡查${figures.patrols.total}次，未发现违法用地。`
    : `${bureau}已报送${monthName(month)}巡查月报：巡查${figures.patrols.total}次，新发案件${figures.cases.new}起，制止${figures.cases.stopped}起。`;
  const email = (recipient: string) =>
    [
      `${recipient}：`,
      `${bureau}于${shortShanghaiTime(args.submittedAt)}报送${monthName(month)}巡查月报${zero}。`,
      ...figureLines(figures),
      `情况分析：${args.analysis ? clip(args.analysis, 2000) : '（未填写）'}`,
      '详细数据请登录系统查看或下载报表。',
    ].join('\n');
  return [
    notice('monthly_report', 'town', `town:${area}`, ref, {
      subject,
      sms,
      email: email(`${AREA_NAMES[area]}人民政府`),
    }),
    notice('monthly_report', 'brigade', 'brigade', ref, { subject, sms, email: email(BRIGADE_NAME) }),
  ];
}

/** The brigade's consolidated report: one `monthly_report` to `leadership` and one to `superior`. */
export function cityReportNotices(args: {
  month: string;
  totals: MonthlyFigures;
  submittedBureaus: number;
  bureaus: number;
  analysis: string | null;
  submittedAt: string;
}): PlannedNotice[] {
  const ref = reportRef('city', args.month);
  const subject = `【巡查月报】${BRIGADE_NAME}${monthName(args.month)}全市巡查汇总月报`;
  const sms = `${BRIGADE_NAME}已报送${monthName(args.month)}全市巡查汇总月报：巡查${args.totals.patrols.total}次，新发案件${args.totals.cases.new}起，制止${args.totals.cases.stopped}起。`;
  const email = (recipient: string) =>
    [
      `${recipient}：`,
      `${BRIGADE_NAME}于${shortShanghaiTime(args.submittedAt)}报送${monthName(args.month)}全市巡查汇总月报。`,
      `各分局月报：${args.submittedBureaus}/${args.bureaus}份已报送。`,
      '各分局合计：',
      ...figureLines(args.totals),
      `情况分析：${args.analysis ? clip(args.analysis, 2000) : '（未填写）'}`,
      '各分局明细请登录系统查看或下载报表。',
    ].join('\n');
  return [
    notice('monthly_report', 'leadership', 'leadership', ref, {
      subject,
      sms,
      email: email(principalName('leadership')),
    }),
    notice('monthly_report', 'superior', 'superior', ref, {
      subject,
      sms,
      email: email(principalName('superior')),
    }),
  ];
}

/** One `report_reminder` to the bureau, two working days before the due date. */
export function reportReminderNotice(area: AreaId, month: string, dueAt: string): PlannedNotice {
  const bureau = bureauName(area);
  const ref = reportRef(area, month);
  return notice('report_reminder', 'bureau', `bureau:${area}`, ref, {
    subject: `【月报提醒】${bureau}${monthName(month)}巡查月报尚未报送`,
    sms: `${bureau}：${monthName(month)}巡查月报（含零报告）须于${shortShanghaiTime(dueAt)}前报送大队，请及时报送。`,
    email: [
      `${bureau}：`,
      `${monthName(month)}巡查月报尚未报送，报送时限为${shortShanghaiTime(dueAt)}。`,
      '本月无新发案件的，请报送零报告。逾期未报送的，将记入巡查台账。',
    ].join('\n'),
  });
}

/** `report_overdue` to the brigade and to the bureau, once each. */
export function reportOverdueNotices(area: AreaId, month: string, dueAt: string): PlannedNotice[] {
  const bureau = bureauName(area);
  const ref = reportRef(area, month);
  const subject = `【月报逾期】${bureau}${monthName(month)}巡查月报逾期未报送`;
  const sms = `${bureau}${monthName(month)}巡查月报逾期未报送（时限${shortShanghaiTime(dueAt)}），已记入巡查台账。`;
  const email = (recipient: string) =>
    [
      `${recipient}：`,
      `${bureau}${monthName(month)}巡查月报至报送时限${shortShanghaiTime(dueAt)}仍未报送，已记入巡查台账（${LEDGER_REASON_LABELS.report_overdue}）。`,
      '请尽快补报。',
    ].join('\n');
  return [
    notice('report_overdue', 'brigade', 'brigade', ref, { subject, sms, email: email(BRIGADE_NAME) }),
    notice('report_overdue', 'bureau', `bureau:${area}`, ref, { subject, sms, email: email(bureau) }),
  ];
}

/** The ledger's `late_report` entry of an overdue report (shown, never counted toward the veto). */
export function lateReportEntry(area: AreaId, month: string, dueAt: string, recordedAt: string): LedgerEntry {
  return {
    entryId: `report#${reportRef(area, month)}`,
    year: Number(dueAt.slice(0, 4)),
    bureau: `bureau:${area}`,
    kind: 'late_report',
    reason: 'report_overdue',
    reasonLabel: LEDGER_REASON_LABELS.report_overdue,
    detail: `${monthName(month)}巡查月报未在报送时限（${shortShanghaiTime(dueAt)}）前报送`,
    report: reportRef(area, month),
    dueAt,
    chief: 'unknown',
    officer: 'unknown',
    recordedAt,
  };
}
