/**
 * Notices that are not a case's assignment, escalation or reminder (patrol periods, reports,
 * urges, reopened and merged cases, a disabled feedback endpoint): whoever decides one renders it
 * in full and hands it to the notifier as a `notice` message, which sends it once per `key`.
 */
import type { NoticeMessage, Notification } from '../domain/model.js';
import { notificationId } from './notify-case.js';

/** The queue that carries a notice: its bureau's, or the brigade's for every other target. */
export function noticeQueueTarget(target: string): string {
  return /^bureau:[a-z]+$/.test(target) ? target : 'brigade';
}

/**
 * The message for one notice. `key` must name everything that makes the notice unique (kind,
 * target and what it is about: `patrol_shortfall|bureau:meili|2026-W49|brigade`…): the notifier
 * sends each key once, however often the message is delivered or the decision is taken again.
 */
export function noticeMessage(
  key: string,
  notification: Omit<Notification, 'id' | 'at'>,
  at: string,
): NoticeMessage {
  return {
    type: 'notice',
    key,
    target: noticeQueueTarget(notification.target),
    notification: { id: notificationId(key), at, ...notification },
  };
}
