/**
 * The notifier's use case: everything a newly assigned case must tell the outside world
 * (assignment, joint-enforcement notices, special reports), and the escalations and reminders the
 * sweeper hands over, each sent at most once however often
 * the message is delivered. A failed send gives its claim back and fails the message, so SQS
 * retries it; notifications already sent are skipped on the retry.
 */
import { createHash } from 'node:crypto';
import type { AssignmentMessage, CaseRecord, Notification, WorkMessage } from '../domain/model.js';
import {
  assignmentNotification,
  escalationNotifications,
  jointEnforcementNotifications,
  notificationKey,
  reminderNotification,
  specialReportNotifications,
} from '../domain/notifications.js';
import type { CaseStore, Clock, Notifier } from '../ports/index.js';

export interface NotifyDeps {
  store: CaseStore;
  notifier: Notifier;
  clock: Clock;
  /** How long a claim protects a send in progress before a redelivery may take it over. */
  claimLeaseMs?: number;
}

export interface NotifyOutcome {
  sent: Notification[];
  skipped: string[];
}

export class CaseNotFoundError extends Error {
  constructor(caseId: string) {
    super(`Case ${caseId} does not exist`);
    this.name = 'CaseNotFoundError';
  }
}

/** A stable id per notification key: receivers can de-duplicate even across a crash window. */
export function notificationId(key: string): string {
  return `ntf_${createHash('sha256').update(key).digest('base64url').slice(0, 22)}`;
}

/** Every notification a freshly assigned (or reassigned) case sends. */
export function plannedNotifications(
  record: CaseRecord,
  at: string,
  message: AssignmentMessage,
): Notification[] {
  const envelopeFor = (kind: Notification['kind'], target: string) => ({
    id: notificationId(notificationKey(record.caseId, kind, target)),
    at,
  });
  const assignment = assignmentNotification(record, envelopeFor('assignment', message.target));
  return [
    // The message names its target: after a reassignment the old message must not notify the new bureau.
    ...(assignment.target === message.target ? [assignment] : []),
    ...jointEnforcementNotifications(record, (target) => envelopeFor('joint_enforcement', target)),
    ...specialReportNotifications(record, (target) => envelopeFor('special_report', target)),
  ];
}

/** The escalations of one breached deadline. */
export function plannedEscalations(
  record: CaseRecord,
  at: string,
  deadline: Notification['deadline'] & string,
): Notification[] {
  return escalationNotifications(record, deadline, (target) => ({
    id: notificationId(notificationKey(record.caseId, 'escalation', target, deadline)),
    at,
  }));
}

/**
 * The reminder before one deadline, unless the deadline was met (or the case closed) since the
 * sweeper queued it: a stale reminder would only confuse.
 */
export function plannedReminders(
  record: CaseRecord,
  at: string,
  deadline: Notification['deadline'] & string,
): Notification[] {
  const target = record.area === null ? 'brigade' : record.bureau;
  const reminder = reminderNotification(record, deadline, {
    id: notificationId(notificationKey(record.caseId, 'reminder', target, deadline)),
    at,
  });
  return reminder ? [reminder] : [];
}

/**
 * Sends what one bureau-queue message asks for: a case's assignment notices, a breach's
 * escalations, or the reminder before a deadline.
 */
export async function notifyWork(message: WorkMessage, deps: NotifyDeps): Promise<NotifyOutcome> {
  const record = await deps.store.getCase(message.caseId);
  if (!record) throw new CaseNotFoundError(message.caseId);
  const now = deps.clock.now();
  const at = now.toISOString();
  const planned =
    message.type === 'assignment'
      ? plannedNotifications(record, at, message)
      : message.type === 'escalation'
        ? plannedEscalations(record, at, message.deadline)
        : plannedReminders(record, at, message.deadline);
  return sendOnce(record, planned, now, deps);
}

async function sendOnce(
  record: CaseRecord,
  planned: Notification[],
  now: Date,
  deps: NotifyDeps,
): Promise<NotifyOutcome> {
  const outcome: NotifyOutcome = { sent: [], skipped: [] };
  for (const notification of planned) {
    const key = notificationKey(record.caseId, notification.kind, notification.target, notification.deadline);
    const claimed = await deps.store.claimNotification(
      key,
      notification.id,
      now,
      deps.claimLeaseMs ?? 5 * 60_000,
    );
    if (!claimed) {
      outcome.skipped.push(key);
      continue;
    }
    try {
      await deps.notifier.send(notification);
    } catch (error) {
      await deps.store.releaseNotification(key);
      throw error;
    }
    await deps.store.completeNotification(key, now);
    outcome.sent.push(notification);
  }
  return outcome;
}
