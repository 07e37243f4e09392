/**
 * The notices of contract section 9, in the words of hotline practice: an urge (催办) and a case
 * reopened after a dissatisfied callback (重办) to the case's bureau, and a source's feedback
 * endpoint disabled after a 410 to the brigade. Each comes with its once-only key (kind, target and
 * what it is about). Pure text building; the texts quote what the source wrote about the case, never
 * the reporter, and go through the one hygiene rule.
 */

import { deliveryDisabledNoticeKey, type EndpointDisabled, feedbackTime } from './feedback.js';
import type { FollowUpMessage } from './follow-ups.js';
import { BRIGADE_NAME, SATISFACTION_LABELS, SOURCE_LABELS, STATUS_LABELS } from './labels.js';
import type { CaseEvent, CaseRecord, Notification } from './model.js';
import { clip, SMS_MAX_CHARS, shortShanghaiTime } from './notifications.js';
import { safeText } from './text-hygiene.js';

export type NoticeDraft = { key: string; notification: Omit<Notification, 'id' | 'at'> };

function finish(fields: Omit<Notification, 'id' | 'at'>): Omit<Notification, 'id' | 'at'> {
  return {
    ...fields,
    subject: safeText(fields.subject),
    sms: clip(safeText(fields.sms), SMS_MAX_CHARS),
    email: safeText(fields.email, { multiline: true }),
  };
}

/** Who handles the case now: its bureau, or the brigade while it waits in triage. */
function handler(record: CaseRecord): { audience: 'bureau' | 'brigade'; target: string } {
  return record.area === null
    ? { audience: 'brigade', target: 'brigade' }
    : { audience: 'bureau', target: record.bureau };
}

const place = (record: CaseRecord) => record.areaName ?? '待分派';

function closeDue(record: CaseRecord): string {
  const close = record.deadlines.find((d) => d.kind === 'close');
  return close ? shortShanghaiTime(close.dueAt) : '—';
}

/** One `urge` to whoever handles the case, once per urge (its followUpId). */
export function urgeNotice(record: CaseRecord, message: FollowUpMessage, urged: CaseEvent): NoticeDraft {
  const { audience, target } = handler(record);
  const source = SOURCE_LABELS[message.source];
  const note = typeof urged.note === 'string' && urged.note ? clip(urged.note, 500) : '（无）';
  return {
    key: `urge|${target}|${record.caseId}|${String(urged.followUpId)}`,
    notification: finish({
      audience,
      target,
      caseId: record.caseId,
      kind: 'urge',
      source: message.source,
      subject: `【催办】案件${record.caseNo}（${place(record)}）${source}催办`,
      sms: `【常熟国土】催办：${source}对案件${record.caseNo}催办，请加快办理。`,
      email: [
        `${source}于${feedbackTime(message.at)}对案件${record.caseNo}催办（来源编号${message.externalId}），请加快办理并按时办结。`,
        `催办说明：${note}`,
        `案件状态：${STATUS_LABELS[record.status]}`,
        `办结时限：${closeDue(record)}`,
        '举报人信息依法保密，如需查看请登录系统（每次查看均留痕）。',
      ].join('\n'),
    }),
  };
}

/** One `reopen` to the bureau when a dissatisfied callback reopened the case (重办). */
export function reopenNotice(record: CaseRecord, message: FollowUpMessage, reopened: CaseEvent): NoticeDraft {
  const { audience, target } = handler(record);
  const source = SOURCE_LABELS[message.source];
  const due = typeof reopened.dueAt === 'string' ? shortShanghaiTime(reopened.dueAt) : closeDue(record);
  const comment = message.note ? clip(message.note, 500) : '（无）';
  return {
    key: `reopen|${target}|${record.caseId}|${String(reopened.followUpId)}`,
    notification: finish({
      audience,
      target,
      caseId: record.caseId,
      kind: 'reopen',
      source: message.source,
      subject: `【重办】案件${record.caseNo}（${place(record)}）回访不满意，请重新办理`,
      sms: `【常熟国土】重办：案件${record.caseNo}回访不满意，请于${due}前重新办结。`,
      email: [
        `${source}于${feedbackTime(message.at)}回访案件${record.caseNo}（来源编号${message.externalId}），群众评价：${SATISFACTION_LABELS[message.satisfaction ?? ''] ?? '不满意'}。`,
        `回访意见：${comment}`,
        `案件已重新打开（状态：${STATUS_LABELS[record.status]}），请于${due}前重新办结并答复。`,
        '举报人信息依法保密，如需查看请登录系统（每次查看均留痕）。',
      ].join('\n'),
    }),
  };
}

/** One `delivery_disabled` to the brigade per disabling of a source's feedback endpoint (contract 9). */
export function deliveryDisabledNotice(incident: EndpointDisabled): NoticeDraft {
  const source = SOURCE_LABELS[incident.source];
  return {
    key: deliveryDisabledNoticeKey(incident),
    notification: finish({
      audience: 'brigade',
      target: 'brigade',
      kind: 'delivery_disabled',
      source: incident.source,
      subject: `【反馈中断】${source}办理情况反馈接口已停用`,
      sms: `【常熟国土】${source}反馈接口返回410已停用，办理情况暂停推送，请核实后重推。`,
      email: [
        `${feedbackTime(incident.disabledAt)}，${source}的办理情况反馈接口对推送 ${incident.deliveryId} 答复 ${incident.responseCode}（接口已不存在），系统已停止向其推送办理情况。`,
        '此后的推送记为“接口已停用”，不会丢失。',
        `请${BRIGADE_NAME}与该来源核实接口地址；核实后在“推送记录”中对任一推送点“重推”：重推成功即恢复推送，其余停用期间的推送可逐条重推。`,
      ].join('\n'),
    }),
  };
}
