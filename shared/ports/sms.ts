/**
 * The SMS channel and what the notifier needs around it: the officers to reach (ContactDirectory),
 * a direct e-mail channel where SNS e-mail is not wanted (EmailChannel), and the records of each
 * SMS and its delivery receipt (SmsDeliveryLog).
 *
 * A channel is one provider, chosen per environment: Amazon SNS (global regions), Alibaba Cloud
 * SMS or Tencent Cloud SMS (China regions, where SNS sends no SMS), or the local run's fake. Every
 * channel is given the template and variables (shared/domain/sms-templates.ts) and the text they
 * make, and uses what it needs: SNS sends the text, the domestic providers the template.
 */
import type { Contacts } from '../domain/contacts.js';
import type { Notification } from '../domain/model.js';
import type { SmsVariable } from '../domain/sms-templates.js';

export type SmsChannelName = 'sns' | 'aliyun' | 'tencent' | 'fake';

export interface SmsMessage {
  /**
   * Ours, one per (notification, phone) and stable across retries: the claim key of this SMS. The
   * domestic providers echo it in their receipts (Alibaba Cloud `OutId`, Tencent `SessionContext`).
   */
  readonly reference: string;
  /** E.164. */
  readonly phone: string;
  /** Which template (`assignment`, `assignment_triage`, `<kind>_general`, …). */
  readonly template: string;
  /** The template's variables in its order. */
  readonly variables: readonly SmsVariable[];
  /** The whole text as the officer reads it, signature first. */
  readonly text: string;
}

/**
 * `accepted`: the provider took it (a receipt may follow). `rejected`: the provider refused it for
 * good (a wrong number, a template it does not know, a variable too long): sending it again would
 * not help, so it is recorded as failed and alarmed instead of retried. A failure that may pass (the
 * network, throttling, an empty balance, credentials not yet stored) is thrown, and the message is
 * retried by its queue.
 */
export type SmsSendResult =
  | { readonly status: 'accepted'; readonly providerMessageId?: string }
  | { readonly status: 'rejected'; readonly code: string; readonly detail: string };

/** An SMS the provider has not confirmed yet. */
export interface PendingSms {
  readonly reference: string;
  readonly phone: string;
  readonly providerMessageId?: string;
  readonly sentAt: string;
}

export interface SmsReceipt {
  /** Ours, when the provider returns it; else matched by providerMessageId. */
  readonly reference?: string;
  readonly providerMessageId?: string;
  readonly status: 'delivered' | 'failed';
  /** The provider's or carrier's code for a failure (e.g. `MK:0001`, `DELIVRD`). */
  readonly code?: string;
  readonly at?: string;
}

export interface SmsChannel {
  readonly name: SmsChannelName;
  send(message: SmsMessage): Promise<SmsSendResult>;
  /**
   * Receipts for SMS still pending, where the provider offers them (Alibaba Cloud: per message;
   * Tencent: those pulled since the last call). Absent where it does not (SNS: delivery status logs
   * and CloudWatch metrics instead).
   */
  fetchReceipts?(pending: readonly PendingSms[]): Promise<SmsReceipt[]>;
}

/** Where each target's officers are looked up (the table; later managed from the console). */
export interface ContactDirectory {
  contactsOf(target: string): Promise<Contacts | undefined>;
}

/** E-mail straight to the target's addresses (SES or an SMTP relay) instead of SNS topics. */
export interface EmailChannel {
  readonly name: 'ses' | 'smtp';
  send(notification: Notification, to: readonly string[]): Promise<void>;
}

export type SmsDeliveryStatus = 'accepted' | 'pending' | 'delivered' | 'failed' | 'unconfirmed';

/** What is recorded of one SMS: never the number, only its reference and masked form. */
export interface SmsDeliveryRecord {
  /** The notification record (claim key) this SMS belongs to. */
  readonly parentKey: string;
  readonly notificationId: string;
  readonly caseId?: string;
  readonly kind: string;
  readonly target: string;
  readonly channel: SmsChannelName;
  readonly template: string;
  readonly phoneRef: string;
  readonly phoneMasked: string;
  readonly status: SmsDeliveryStatus;
  readonly providerMessageId?: string;
  readonly code?: string;
  readonly detail?: string;
}

export interface SmsDeliveryLog {
  /**
   * Marks the SMS claimed under `reference` as sent (never claimable again) with what the provider
   * answered, on its own record and on its notification's record (`sms.<phoneRef>`); a `pending`
   * one is also listed for the receipt check, with its number.
   */
  recordSent(reference: string, record: SmsDeliveryRecord, at: Date, phone: string): Promise<void>;
  /** SMS sent in the last `days` days (Asia/Shanghai) still waiting for their receipt. */
  listPending(now: Date, days: number): Promise<Array<PendingSms & { unconfirmed: boolean }>>;
  /**
   * The receipt (or its absence) of one SMS: `delivered` and `failed` end its wait, `unconfirmed`
   * marks it while a late receipt may still come.
   */
  recordOutcome(
    pending: PendingSms,
    outcome: { status: 'delivered' | 'failed' | 'unconfirmed'; code?: string; at: Date },
  ): Promise<void>;
}
