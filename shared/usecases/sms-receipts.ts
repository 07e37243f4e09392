/**
 * The delivery receipts of SMS sent through a provider that offers them (Alibaba Cloud, Tencent
 * Cloud): run on a schedule, it asks the provider about every SMS still pending, records each
 * receipt on the SMS's and its notification's records, and marks `unconfirmed` an SMS with no
 * receipt after `unconfirmedAfterMs`, so that a message the carrier never delivered is seen (and
 * alarmed) instead of passing for sent. A late receipt still counts.
 */
import type { Clock } from '../ports/index.js';
import type { PendingSms, SmsChannel, SmsDeliveryLog, SmsReceipt } from '../ports/sms.js';

export interface ReceiptDeps {
  channel: SmsChannel;
  deliveries: SmsDeliveryLog;
  clock: Clock;
  /** How long an SMS may wait for its receipt before it is reported unconfirmed (default 30 min). */
  unconfirmedAfterMs?: number;
  /** How many days of sent SMS are checked (default 2: carriers report within 72 hours at most). */
  days?: number;
}

export interface ReceiptOutcome {
  pending: number;
  delivered: number;
  failed: PendingSms[];
  unconfirmed: PendingSms[];
}

export const DEFAULT_UNCONFIRMED_AFTER_MS = 30 * 60_000;
export const DEFAULT_RECEIPT_DAYS = 2;

export async function checkSmsReceipts(deps: ReceiptDeps): Promise<ReceiptOutcome> {
  const now = deps.clock.now();
  const pending = await deps.deliveries.listPending(now, deps.days ?? DEFAULT_RECEIPT_DAYS);
  const outcome: ReceiptOutcome = { pending: pending.length, delivered: 0, failed: [], unconfirmed: [] };
  if (pending.length === 0 || !deps.channel.fetchReceipts) return outcome;
  const receipts = await deps.channel.fetchReceipts(pending);
  const byReference = new Map<string, SmsReceipt>();
  const byProviderId = new Map<string, SmsReceipt>();
  for (const receipt of receipts) {
    if (receipt.reference) byReference.set(receipt.reference, receipt);
    if (receipt.providerMessageId) byProviderId.set(receipt.providerMessageId, receipt);
  }
  const waitMs = deps.unconfirmedAfterMs ?? DEFAULT_UNCONFIRMED_AFTER_MS;
  for (const sms of pending) {
    const receipt =
      byReference.get(sms.reference) ??
      (sms.providerMessageId ? byProviderId.get(sms.providerMessageId) : undefined);
    if (receipt) {
      await deps.deliveries.recordOutcome(sms, {
        status: receipt.status,
        ...(receipt.code ? { code: receipt.code } : {}),
        at: receipt.at ? new Date(receipt.at) : now,
      });
      if (receipt.status === 'delivered') outcome.delivered++;
      else outcome.failed.push(sms);
      continue;
    }
    if (!sms.unconfirmed && now.getTime() - Date.parse(sms.sentAt) > waitMs) {
      await deps.deliveries.recordOutcome(sms, { status: 'unconfirmed', at: now });
      outcome.unconfirmed.push(sms);
    }
  }
  return outcome;
}
