/**
 * The feedback sender (contract 9): one attempt per queue message, the relay that queues what is
 * due, and what a delivery's outcome sets off. The delivery record says where each delivery stands;
 * every step is a versioned write on it, so a repeated or concurrent message makes no second attempt:
 *
 * 1. claim the attempt (in flight until a lease ends) — a claim whose lease ran out without a result
 *    is recorded as `interrupted` and sent again: a crash costs at most one duplicate, same webhook-id;
 * 2. one signed request (15 s timeout);
 * 3. record the attempt (status, latency, response code) and what follows: succeeded; disabled on a
 *    410 (the endpoint is disabled and the brigade told once); or the schedule's next wait — queued
 *    with an SQS delay when it is at most 15 minutes, left to the relay otherwise; failed after the
 *    last attempt.
 *
 * The relay runs on a timer (every minute in the cloud): it queues every pending delivery whose
 * relay instant has passed — new ones, long waits, and any whose message or sender was lost.
 */
import {
  ATTEMPT_TIMEOUT_MS,
  afterAttempt,
  claimAttempt,
  type DeliveryStatus,
  type EndpointDisabled,
  type FeedbackDelivery,
  type RetryPolicy,
  relayed,
  settleUnsent,
} from '../domain/feedback.js';
import { deliveryDisabledNotice } from '../domain/feedback-notices.js';
import type { DeliveryStore, FeedbackEndpoints, FeedbackQueue, WebhookTransport } from '../ports/feedback.js';
import type { AssignmentQueue, Clock } from '../ports/index.js';
import { noticeMessage } from './notices.js';

export interface FeedbackSenderDeps {
  deliveries: DeliveryStore;
  queue: FeedbackQueue;
  endpoints: FeedbackEndpoints;
  transport: WebhookTransport;
  /** The notifier's queues: the brigade hears of a disabled endpoint through them. */
  notices: AssignmentQueue;
  clock: Clock;
  policy: RetryPolicy;
  random?: () => number;
  timeoutMs?: number;
}

export type SendOutcome =
  | { outcome: 'missing' }
  | { outcome: 'not_now'; why: 'settled' | 'not_yet' | 'in_flight' | 'lost_race' }
  | { outcome: 'unsent'; status: 'skipped' | 'disabled' }
  | { outcome: 'attempted'; delivery: FeedbackDelivery; recorded: boolean };

/** One attempt of one delivery, if it is due and nobody else is making it. */
export async function sendFeedback(deliveryId: string, deps: FeedbackSenderDeps): Promise<SendOutcome> {
  // A lost claim may only mean the relay marked the delivery queued meanwhile (its lease write
  // follows its message): read it again rather than drop the message, or the delivery would wait
  // out the relay's lease. Another sender's claim shows on the next read as in flight.
  for (let attempt = 1; ; attempt++) {
    const outcome = await trySendFeedback(deliveryId, deps);
    if (outcome.outcome !== 'not_now' || outcome.why !== 'lost_race' || attempt >= CLAIM_ATTEMPTS)
      return outcome;
  }
}

/** How often a sender reads a delivery again after losing its claim to a concurrent write. */
const CLAIM_ATTEMPTS = 3;

async function trySendFeedback(deliveryId: string, deps: FeedbackSenderDeps): Promise<SendOutcome> {
  const delivery = await deps.deliveries.getDelivery(deliveryId);
  if (!delivery) return { outcome: 'missing' };
  if (delivery.status !== 'pending') return { outcome: 'not_now', why: 'settled' };
  const now = deps.clock.now();
  const nowIso = now.toISOString();

  const endpoint = await deps.endpoints(delivery.source);
  if (!endpoint) return settle(delivery, 'skipped', nowIso, deps);
  // A hand retry goes out even to a disabled endpoint: it is how the brigade tries it again.
  const disabled = delivery.manual ? undefined : await deps.deliveries.endpointDisabled(delivery.source);
  if (disabled) {
    // The delivery whose 410 disabled it, back after the sender stopped before recording it: the
    // brigade's notice may not have left (its key sends it once in any case).
    if (disabled.deliveryId === delivery.deliveryId) await tellBrigade(disabled, deps);
    return settle(delivery, 'disabled', nowIso, deps);
  }

  const claim = claimAttempt(delivery, nowIso);
  if (!claim.claim) return { outcome: 'not_now', why: claim.why };
  if (!(await deps.deliveries.putDelivery(claim.delivery, delivery.version)))
    return { outcome: 'not_now', why: 'lost_race' };

  const result = await deps.transport.deliver({
    endpoint,
    webhookId: delivery.deliveryId,
    body: delivery.body,
    timeoutMs: deps.timeoutMs ?? ATTEMPT_TIMEOUT_MS,
  });
  const outcome = afterAttempt(
    claim.delivery,
    result,
    deps.clock.now().toISOString(),
    deps.policy,
    deps.random ?? Math.random,
  );

  // Told before the attempt is recorded: should the sender stop in between, the repeated attempt
  // finds the endpoint disabled already and the notice's key sends it once.
  if (outcome.disableEndpoint) {
    const incident = await deps.deliveries.disableEndpoint({
      source: delivery.source,
      disabledAt: nowIso,
      deliveryId: delivery.deliveryId,
      responseCode: 410,
    });
    await tellBrigade(incident, deps);
  }
  if (outcome.enableEndpoint) await deps.deliveries.enableEndpoint(delivery.source);

  const recorded = await deps.deliveries.putDelivery(outcome.delivery, claim.delivery.version);
  if (recorded && outcome.queueDelayS !== undefined)
    await deps.queue.send(delivery.deliveryId, outcome.queueDelayS);
  return { outcome: 'attempted', delivery: outcome.delivery, recorded };
}

async function tellBrigade(incident: EndpointDisabled, deps: FeedbackSenderDeps): Promise<void> {
  const notice = deliveryDisabledNotice(incident);
  await deps.notices.send(noticeMessage(notice.key, notice.notification, incident.disabledAt));
}

async function settle(
  delivery: FeedbackDelivery,
  status: Extract<DeliveryStatus, 'skipped' | 'disabled'>,
  now: string,
  deps: FeedbackSenderDeps,
): Promise<SendOutcome> {
  const written = await deps.deliveries.putDelivery(settleUnsent(delivery, status, now), delivery.version);
  return written ? { outcome: 'unsent', status } : { outcome: 'not_now', why: 'lost_race' };
}

export interface RelayOutcome {
  queued: string[];
}

/** Queues every pending delivery whose relay instant has passed (at most `limit` per run). */
export async function relayFeedback(
  deps: Pick<FeedbackSenderDeps, 'deliveries' | 'queue' | 'clock'>,
  options: { limit?: number } = {},
): Promise<RelayOutcome> {
  const now = deps.clock.now();
  const nowIso = now.toISOString();
  const queued: string[] = [];
  for (const deliveryId of await deps.deliveries.dueDeliveries(now, options.limit ?? 200)) {
    const delivery = await deps.deliveries.getDelivery(deliveryId);
    if (delivery?.status !== 'pending' || (delivery.relayAt && delivery.relayAt > nowIso)) continue;
    // Sent first: should the write below fail, the delivery is queued twice, which the claim absorbs.
    await deps.queue.send(deliveryId);
    await deps.deliveries.putDelivery(relayed(delivery, nowIso), delivery.version);
    queued.push(deliveryId);
  }
  return { queued };
}
