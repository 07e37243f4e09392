/**
 * How one notification reaches people: published as before (SNS topics in the cloud, the outbox on
 * a local run), e-mailed straight to the target's addresses where SNS e-mail is not wanted, and
 * sent as an SMS to each of the target's officers' phones through the environment's SMS channel.
 *
 * The notifier's use case (notify-case.ts) claims the notification as a whole before it calls
 * this and marks it sent after. Once a notification has more than one part, each part is claimed
 * too, under the notification's key (`<key>|broadcast`, `<key>|email`, `<key>|sms|<phoneRef>`), so
 * a retry after one failed part sends only what did not go out: each (notification, phone) gets at
 * most one SMS however often the message is delivered. A notification with a single part is sent
 * exactly as before, under its own claim.
 *
 * An SMS the provider refuses for good (a wrong number, a template it does not have) is recorded
 * as failed on the SMS's and the notification's records and reported, not retried; a failure that
 * may pass is thrown, so the queue retries the message.
 */
import { maskPhone, phoneRef, phonesFor } from '../domain/contacts.js';
import type { Notification } from '../domain/model.js';
import { type SmsLimits, smsTemplateFor } from '../domain/sms-templates.js';
import type { Clock, Notifier, NotifyContext } from '../ports/index.js';
import type { NotificationClaims } from '../ports/notification-claims.js';
import type {
  ContactDirectory,
  EmailChannel,
  SmsChannel,
  SmsDeliveryLog,
  SmsDeliveryRecord,
} from '../ports/sms.js';

/** What a delivery reports of each SMS (for logs and metrics; never the number). */
export type SmsEvent =
  | { type: 'sent'; record: SmsDeliveryRecord; clipped: boolean }
  | { type: 'rejected'; record: SmsDeliveryRecord }
  | { type: 'unrecorded'; reference: string; error: Error };

export interface DeliveryDeps {
  /** The notification as published until now: SNS topics (cloud) or the outbox (local run). */
  broadcast?: Notifier;
  /** E-mail to the target's addresses (SES, SMTP relay) where SNS e-mail is not wanted. */
  email?: EmailChannel;
  sms?: {
    channel: SmsChannel;
    limits: SmsLimits;
    /** The channel reports delivery receipts later: SMS start `pending`, not `accepted`. */
    receipts: boolean;
  };
  /** Needed as soon as there is an SMS or e-mail channel. */
  contacts?: ContactDirectory;
  claims: NotificationClaims;
  deliveries: SmsDeliveryLog;
  clock: Clock;
  claimLeaseMs?: number;
  report?: (event: SmsEvent) => void;
  /** Waits between attempts to record a sent SMS (tests pass a no-op). */
  sleep?: (ms: number) => Promise<void>;
}

interface Part {
  readonly name: string;
  run(key: string): Promise<void>;
}

/** A notification's parts claimed one by one are held by another delivery: retry the message later. */
export class DeliveryPartHeldError extends Error {
  constructor(readonly key: string) {
    super(`Part ${key} is being sent by another delivery; retrying later`);
    this.name = 'DeliveryPartHeldError';
  }
}

const RECORD_BACKOFF_MS = [100, 400, 1600];
const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function deliveringNotifier(deps: DeliveryDeps): Notifier {
  if ((deps.sms || deps.email) && !deps.contacts) {
    throw new Error('An SMS or e-mail channel needs a contact directory');
  }
  return {
    async send(notification: Notification, context: NotifyContext = {}) {
      const key = context.key ?? notification.id;
      const parts = await partsOf(notification, deps);
      if (parts.length === 0) return;
      if (parts.length === 1) {
        // One part: the notification's own claim is the part's.
        await (parts[0] as Part).run(key);
        return;
      }
      for (const part of parts) await sendPartOnce(`${key}|${part.name}`, notification, part, deps, context);
    },
  };
}

async function partsOf(notification: Notification, deps: DeliveryDeps): Promise<Part[]> {
  const parts: Part[] = [];
  const { broadcast, email, sms } = deps;
  if (broadcast) parts.push({ name: 'broadcast', run: () => broadcast.send(notification) });
  const contacts = email || sms ? await deps.contacts?.contactsOf(notification.target) : undefined;
  if (email && contacts && contacts.emails.length > 0) {
    parts.push({ name: 'email', run: () => email.send(notification, contacts.emails) });
  }
  if (sms) {
    for (const phone of new Set(phonesFor(contacts, notification.kind))) {
      parts.push({
        name: `sms|${phoneRef(phone)}`,
        run: (reference) => sendSms(notification, phone, reference, sms, deps),
      });
    }
  }
  return parts;
}

async function sendPartOnce(
  key: string,
  notification: Notification,
  part: Part,
  deps: DeliveryDeps,
  context: NotifyContext,
): Promise<void> {
  const now = deps.clock.now();
  const claimed = await deps.claims.claim(
    key,
    notification.id,
    now,
    deps.claimLeaseMs ?? 5 * 60_000,
    context.claimant,
  );
  if (claimed === 'sent') return;
  if (claimed === 'held') throw new DeliveryPartHeldError(key);
  try {
    await part.run(key);
  } catch (error) {
    await deps.claims.release(key).catch(() => undefined);
    throw error;
  }
  // An SMS part records itself as sent (with what the provider answered); the others are marked here.
  if (part.name.startsWith('sms|')) return;
  if (!(await retriedInPlace(() => deps.claims.markSent(key, now), deps))) {
    deps.report?.({ type: 'unrecorded', reference: key, error: new Error('marking the part sent failed') });
  }
}

/**
 * Runs a write that must not fail the message (what it records was already sent), retrying it in
 * place; false when it still failed.
 */
async function retriedInPlace(write: () => Promise<void>, deps: DeliveryDeps): Promise<boolean> {
  const sleep = deps.sleep ?? defaultSleep;
  for (let attempt = 0; ; attempt++) {
    try {
      await write();
      return true;
    } catch {
      const wait = RECORD_BACKOFF_MS[attempt];
      if (wait === undefined) return false;
      await sleep(wait);
    }
  }
}

async function sendSms(
  notification: Notification,
  phone: string,
  reference: string,
  sms: NonNullable<DeliveryDeps['sms']>,
  deps: DeliveryDeps,
): Promise<void> {
  const rendering = smsTemplateFor(notification.kind, notification.sms, sms.limits);
  const result = await sms.channel.send({
    reference,
    phone,
    template: rendering.template.key,
    variables: rendering.variables,
    text: notification.sms,
  });
  const record: SmsDeliveryRecord = {
    parentKey: reference.replace(/\|sms\|[^|]+$/, ''),
    notificationId: notification.id,
    ...(notification.caseId ? { caseId: notification.caseId } : {}),
    kind: notification.kind,
    target: notification.target,
    channel: sms.channel.name,
    template: rendering.template.key,
    phoneRef: phoneRef(phone),
    phoneMasked: maskPhone(phone),
    ...(result.status === 'accepted'
      ? {
          status: sms.receipts ? 'pending' : 'accepted',
          ...(result.providerMessageId ? { providerMessageId: result.providerMessageId } : {}),
        }
      : { status: 'failed', code: result.code, detail: result.detail }),
  };
  // Sent (or refused for good): from here on a thrown error would make the retry send it again, so
  // recording is retried in place and, should it still fail, only reported.
  const recorded = await retriedInPlace(
    () => deps.deliveries.recordSent(reference, record, deps.clock.now(), phone),
    deps,
  );
  if (!recorded) {
    deps.report?.({ type: 'unrecorded', reference, error: new Error('recording the SMS failed') });
  }
  deps.report?.(
    result.status === 'accepted'
      ? { type: 'sent', record, clipped: rendering.clipped }
      : { type: 'rejected', record },
  );
}
