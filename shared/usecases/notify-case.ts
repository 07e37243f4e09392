/**
 * The notifier's use case: everything a newly assigned case must tell the outside world
 * (assignment, joint-enforcement notices, special reports), and the escalations and reminders the
 * sweeper hands over, each sent once however often the message is delivered.
 *
 * Each notification is claimed (keyed by case, kind, target and deadline) before it is sent and
 * marked sent after. A failed send gives the claim back and fails the message, so SQS retries it;
 * notifications already sent are skipped on the retry. A claim left unsent — its answer lost, its
 * sender killed — is taken back at once by the same delivery's retry, by another delivery after a
 * lease. The one window no claim can close (sent, then killed before recording it) is kept to a
 * single write, retried in place.
 */
import { createHash } from 'node:crypto';
import type { AssignmentMessage, CaseSnapshot, Notification, WorkMessage } from '../domain/model.js';
import {
  assignmentNotification,
  escalationNotifications,
  jointEnforcementNotifications,
  notificationKey,
  reminderNotification,
  specialReportNotifications,
} from '../domain/notifications.js';
import type { CaseStore, Clock, Notifier } from '../ports/index.js';
import type { NotificationClaims } from '../ports/notification-claims.js';

export interface NotifyDeps {
  /** Cases are only read: an assignment from the router even carries its case. */
  store: Pick<CaseStore, 'getCase'>;
  claims: NotificationClaims;
  notifier: Notifier;
  clock: Clock;
  /** How long a claim protects a send in progress before another delivery may take it over. */
  claimLeaseMs?: number;
  /** Waits between attempts to record a sent notification (tests pass a no-op). */
  sleep?: (ms: number) => Promise<void>;
}

/** Which delivery is doing the work: the SQS message id, stable across its redeliveries. */
export interface Delivery {
  claimant?: string;
}

const COMPLETION_BACKOFF_MS = [100, 400, 1600];
const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export interface NotifyOutcome {
  sent: Notification[];
  skipped: string[];
  /** Claimed by another delivery and not yet recorded as sent: the message must be tried again. */
  held: string[];
  /** Sent, but recording it failed even after retries: a later redelivery might send it again. */
  unrecorded: string[];
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
  record: CaseSnapshot,
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
  record: CaseSnapshot,
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
  record: CaseSnapshot,
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
export async function notifyWork(
  message: WorkMessage,
  deps: NotifyDeps,
  delivery: Delivery = {},
): Promise<NotifyOutcome> {
  if (message.type === 'notice') {
    // Rendered in full by whoever decided it; only the once-only send is left to do.
    const outcome = await sendOnce(
      [{ key: message.key, notification: message.notification }],
      deps,
      delivery,
    );
    if (outcome.held.length > 0) throw new NotificationsHeldError(outcome);
    return outcome;
  }
  // An assignment from the router carries the case it was written as; anything else reads it.
  const record =
    message.type === 'assignment' && message.snapshot?.caseId === message.caseId
      ? message.snapshot
      : await deps.store.getCase(message.caseId);
  if (!record) throw new CaseNotFoundError(message.caseId);
  const now = deps.clock.now();
  const at = now.toISOString();
  const planned =
    message.type === 'assignment'
      ? plannedNotifications(record, at, message)
      : message.type === 'escalation'
        ? plannedEscalations(record, at, message.deadline)
        : plannedReminders(record, at, message.deadline);
  const outcome = await sendOnce(
    planned.map((notification) => ({
      key: notificationKey(record.caseId, notification.kind, notification.target, notification.deadline),
      notification,
    })),
    deps,
    delivery,
  );
  if (outcome.held.length > 0) throw new NotificationsHeldError(outcome);
  return outcome;
}

/** Fails the message (so SQS retries it) while another delivery holds some of its notifications. */
export class NotificationsHeldError extends Error {
  constructor(readonly outcome: NotifyOutcome) {
    super(`${outcome.held.length} notification(s) are being sent by another delivery; retrying later`);
    this.name = 'NotificationsHeldError';
  }
}

async function sendOnce(
  planned: ReadonlyArray<{ key: string; notification: Notification }>,
  deps: NotifyDeps,
  delivery: Delivery,
): Promise<NotifyOutcome> {
  const now = deps.clock.now();
  const outcome: NotifyOutcome = { sent: [], skipped: [], held: [], unrecorded: [] };
  for (const { key, notification } of planned) {
    const claimed = await deps.claims.claim(
      key,
      notification.id,
      now,
      deps.claimLeaseMs ?? 5 * 60_000,
      delivery.claimant,
    );
    if (claimed === 'sent') {
      outcome.skipped.push(key);
      continue;
    }
    if (claimed === 'held') {
      // Another delivery is sending it, or died doing so: look again after the visibility timeout.
      outcome.held.push(key);
      continue;
    }
    try {
      await deps.notifier.send(notification, { key, claimant: delivery.claimant });
    } catch (error) {
      // Best effort: if the release is lost too, this delivery's retry takes its own claim back.
      await deps.claims.release(key).catch(() => undefined);
      throw error;
    }
    // Sent: from here on, failing the message would make its retry send again. So the completion is
    // retried in place, and if it still fails the claim stays with this delivery, which is finished.
    if (!(await recordSent(key, now, deps))) outcome.unrecorded.push(key);
    outcome.sent.push(notification);
  }
  return outcome;
}

async function recordSent(key: string, now: Date, deps: NotifyDeps): Promise<boolean> {
  const sleep = deps.sleep ?? defaultSleep;
  for (let attempt = 0; ; attempt++) {
    try {
      await deps.claims.markSent(key, now);
      return true;
    } catch {
      const wait = COMPLETION_BACKOFF_MS[attempt];
      if (wait === undefined) return false;
      await sleep(wait);
    }
  }
}
