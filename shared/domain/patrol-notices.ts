/**
 * What the sweeper's patrol decisions say (contract sections 5 and 7): the `patrol_reminder` on the
 * last working day of a period still short, the `patrol_shortfall` notices of a period decided
 * short (to the brigade, and to the unit when the unit is a bureau or a leader), and the ledger's
 * admonishment of a bureau decided short. Each notice comes with its once-only key. Pure text.
 */

import { AREA_NAMES, periodLabel, principalName } from './labels.js';
import { LEDGER_REASON_LABELS, type LedgerEntry, UNKNOWN_PERSON } from './ledger.js';
import type { Audience, Notification } from './model.js';
import { clip, SMS_MAX_CHARS, shortShanghaiTime } from './notifications.js';
import type { ComplianceRow, UnitOutcome } from './patrol-compliance.js';
import type { Period } from './periods.js';
import { safeText } from './text-hygiene.js';

export type PatrolNotice = { key: string; notification: Omit<Notification, 'id' | 'at'> };

const audienceOf = (target: string): Audience =>
  target === 'brigade' ? 'brigade' : target.startsWith('leader:') ? 'leader' : 'bureau';

/** `分局每周巡查：已完成1次，应不少于2次`, naming the bureau checked on a supervision row. */
function rowLine(row: ComplianceRow): string {
  const about = row.requirement === 'supervision_monthly' && row.area ? `（${AREA_NAMES[row.area]}）` : '';
  return `${row.requirementLabel}${about}：已完成${row.done}次，应不少于${row.required}次`;
}

const shortRows = (outcome: UnitOutcome) => outcome.rows.filter((row) => row.status !== 'met');

const span = (period: Period) => `${period.firstDay}至${period.lastDay}`;

function notice(
  key: string,
  target: string,
  fields: Pick<Notification, 'kind' | 'unit' | 'period' | 'subject' | 'sms' | 'email'>,
): PatrolNotice {
  return {
    key,
    notification: {
      audience: audienceOf(target),
      target,
      kind: fields.kind,
      unit: fields.unit,
      period: fields.period,
      subject: safeText(fields.subject),
      sms: clip(safeText(fields.sms), SMS_MAX_CHARS),
      email: safeText(fields.email, { multiline: true }),
    },
  };
}

/**
 * The reminder to a unit still below its requirement on the last working day of the period, at
 * 09:00: once per unit and period. `decidesAt` is when the period will be decided.
 */
export function patrolReminderNotice(outcome: UnitOutcome, period: Period, decidesAt: string): PatrolNotice {
  const unitName = principalName(outcome.unit);
  const label = periodLabel(period);
  const rows = shortRows(outcome);
  const only = rows.length === 1 ? rows[0] : undefined;
  const sms = only
    ? `【常熟国土】提醒：${label}${only.requirementLabel}已完成${only.done}次，应不少于${only.required}次，今天是本期最后一个工作日，请抓紧落实。`
    : `【常熟国土】提醒：${label}巡查尚有${rows.length}项未达标，今天是本期最后一个工作日，请抓紧落实。`;
  return notice(`patrol_reminder|${outcome.unit}|${period.id}`, outcome.unit, {
    kind: 'patrol_reminder',
    unit: outcome.unit,
    period: period.id,
    subject: `【巡查提醒】${unitName}${label}巡查尚未达标`,
    sms,
    email: [
      `${unitName}：`,
      `${label}（${span(period)}）巡查尚未达到巡查制度规定的频次：`,
      ...rows.map((row) => `  ${rowLine(row)}`),
      `今天是本期最后一个工作日。至${shortShanghaiTime(decidesAt)}仍未达标的，将认定为未落实巡查责任${outcome.unit.startsWith('bureau:') ? '，记入问责台账（诫勉谈话）' : ''}。`,
      '请及时开展巡查，并将巡查情况录入巡查台账。',
    ].join('\n'),
  });
}

/**
 * The notices of a unit decided short: one to the brigade and one to the unit itself (the brigade's
 * own shortfall is one notice), each once per unit and period.
 */
export function patrolShortfallNotices(outcome: UnitOutcome, period: Period): PatrolNotice[] {
  const unitName = principalName(outcome.unit);
  const label = periodLabel(period);
  const rows = shortRows(outcome);
  const only = rows.length === 1 ? rows[0] : undefined;
  const bureau = outcome.unit.startsWith('bureau:');
  const what = only
    ? `${only.requirementLabel}${only.done}次，少于规定的${only.required}次`
    : `巡查有${rows.length}项未达到规定频次`;
  const email = [
    `${unitName}${label}（${span(period)}）巡查未达到巡查制度规定的频次：`,
    ...rows.map((row) => `  ${rowLine(row)}`),
    `宽限期已满，认定为未落实巡查责任${bureau ? '，已记入问责台账（诫勉谈话）' : ''}。`,
  ].join('\n');
  const targets = outcome.unit === 'brigade' ? ['brigade'] : ['brigade', outcome.unit];
  return targets.map((target) =>
    notice(`patrol_shortfall|${target}|${outcome.unit}|${period.id}`, target, {
      kind: 'patrol_shortfall',
      unit: outcome.unit,
      period: period.id,
      subject: `【巡查未达标】${unitName}${label}巡查次数不足`,
      sms: `【常熟国土】${unitName}${label}${what}，认定为未落实巡查责任${bureau ? '，已记入问责台账' : ''}。`,
      email,
    }),
  );
}

/**
 * The ledger's admonishment (诫勉谈话) of a bureau decided short (contract section 12): once per
 * bureau and period (`patrol#<unit>#<period>`); other units write none.
 */
export function patrolShortfallLedgerEntry(
  outcome: UnitOutcome,
  period: Period,
  decidesAt: string,
  recordedAt: string,
): LedgerEntry | undefined {
  if (outcome.status !== 'short' || !outcome.unit.startsWith('bureau:')) return undefined;
  const rows = shortRows(outcome);
  return {
    entryId: `patrol#${outcome.unit}#${period.id}`,
    // The Shanghai calendar year of the period's end.
    year: Number(period.lastDay.slice(0, 4)),
    bureau: outcome.unit,
    kind: 'admonishment',
    reason: 'patrol_shortfall',
    reasonLabel: LEDGER_REASON_LABELS.patrol_shortfall,
    detail: `${principalName(outcome.unit)}${periodLabel(period)}${rows.map(rowLine).join('；')}`,
    unit: outcome.unit,
    period: period.id,
    dueAt: decidesAt,
    chief: UNKNOWN_PERSON,
    officer: UNKNOWN_PERSON,
    recordedAt,
  };
}
