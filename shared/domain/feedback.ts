/**
 * Telling the source what happened (contract section 9), as pure rules.
 *
 * Feedback events are DERIVED from case events: a case event of a listed type becomes one feedback
 * event per tip it concerns (every tip of the case, or only the tip the event names), each with its
 * own delivery id (the Standard Webhooks `webhook-id`, stable across retries) computed from the case,
 * the event's place in the case and the tip. A case event added later gets its feedback with one
 * line in FEEDBACK_OF_EVENT. The case store records the deliveries in the same transaction as the
 * case change that made them (shared/adapters/dynamo-feedback-store.ts), so the two cannot diverge.
 *
 * A delivery then runs through: pending ──2xx──► succeeded
 *                                       ──410──► disabled (the source's endpoint is disabled)
 *                                       ──else─► pending again after the schedule's next wait,
 *                                                failed after its last attempt
 *                                pending ──no endpoint configured──► skipped
 * and any settled delivery can be sent once more by hand (`manual`).
 */
import { formatShanghai } from './calendar.js';
import { deriveWebhookId } from './ids.js';
import type { CaseEvent, CaseRecord, Source, TipRef } from './model.js';

export const FEEDBACK_TYPES = [
  'tip.routed',
  'tip.triaged',
  'tip.merged',
  'case.acknowledged',
  'case.inspected',
  'case.extended',
  'case.returned',
  'case.closed',
  'case.reopened',
] as const;
export type FeedbackType = (typeof FEEDBACK_TYPES)[number];

/** What one case event tells the sources: the type, which tips, and the data beyond the ids. */
export interface FeedbackRule {
  type: FeedbackType;
  /** `all`: every tip of the case; `event`: only the tip the event names (`event.tipId`). */
  tips: 'all' | 'event';
  data: Record<string, unknown>;
}

function closeDueAt(record: CaseRecord): string | null {
  return record.deadlines.find((d) => d.kind === 'close')?.dueAt ?? null;
}

const routedOrTriaged = (record: CaseRecord, tips: FeedbackRule['tips']): FeedbackRule =>
  record.area
    ? {
        type: 'tip.routed',
        tips,
        data: { area: record.area, areaName: record.areaName, dueAt: closeDueAt(record) },
      }
    : { type: 'tip.triaged', tips, data: {} };

/**
 * Which case events the sources hear about, and how. The data is read from the event and from the
 * case as it stands when the event is recorded. Events not listed (comments, amendments, breaches,
 * urges, callbacks, extension requests …) send nothing.
 */
export const FEEDBACK_OF_EVENT: Readonly<
  Record<string, (event: CaseEvent, record: CaseRecord) => FeedbackRule | undefined>
> = {
  created: (_event, record) => routedOrTriaged(record, 'event'),
  // A case leaving triage (or moving to another area) is dispatched again (派单): tip.routed.
  reassign: (_event, record) => routedOrTriaged(record, 'all'),
  acknowledge: (event) => ({ type: 'case.acknowledged', tips: 'all', data: { at: event.at } }),
  inspect: (event) => ({ type: 'case.inspected', tips: 'all', data: { finding: event.finding } }),
  approve_extension: (event) => ({
    type: 'case.extended',
    tips: 'all',
    data: { dueAt: event.dueAt, reason: event.reason },
  }),
  return: (event) => ({
    type: 'case.returned',
    tips: 'all',
    data: { reason: event.reason, legalBasis: event.legalBasis },
  }),
  close: (event) => ({
    type: 'case.closed',
    tips: 'all',
    data: { outcome: event.outcome, reply: event.reply ?? null, resolution: event.resolution ?? 'resolved' },
  }),
  // A withdrawal that closed the case (contract 9); one only recorded tells nobody.
  withdrawn: (event) =>
    event.closed === true
      ? {
          type: 'case.closed',
          tips: 'all',
          data: { outcome: 'withdrawn', reply: null, resolution: null },
        }
      : undefined,
  reopened: (event) => ({ type: 'case.reopened', tips: 'all', data: { dueAt: event.dueAt } }),
  // Issue 14 (并单): the tip that joined this case, only.
  tip_merged: () => ({ type: 'tip.merged', tips: 'event', data: {} }),
};

/** One feedback event before its sequence number is known (the store counts per tip). */
export interface FeedbackDraft {
  deliveryId: string;
  source: Source;
  tipId: string;
  externalId: string;
  caseId: string;
  caseNo: string;
  type: FeedbackType;
  /** When the case event happened (`timestamp` of the body). */
  timestamp: string;
  data: Record<string, unknown>;
  /** The case event's index among the case's events. */
  eventIndex: number;
}

/**
 * The feedback of the case's events from index `from` on, in event order and, per event, in the
 * order of the case's tips. Deterministic: the same case gives the same drafts and delivery ids.
 */
export function feedbackDrafts(record: CaseRecord, from = 0): FeedbackDraft[] {
  const drafts: FeedbackDraft[] = [];
  for (let index = Math.max(0, from); index < record.events.length; index++) {
    const event = record.events[index]!;
    const rule = FEEDBACK_OF_EVENT[event.type]?.(event, record);
    if (!rule) continue;
    const tips: TipRef[] =
      rule.tips === 'all' ? record.tips : record.tips.filter((tip) => tip.tipId === event.tipId);
    for (const tip of tips) {
      drafts.push({
        deliveryId: deriveWebhookId(record.caseId, String(index), event.type, event.at, tip.tipId),
        source: tip.source,
        tipId: tip.tipId,
        externalId: tip.externalId,
        caseId: record.caseId,
        caseNo: record.caseNo,
        type: rule.type,
        timestamp: event.at,
        data: rule.data,
        eventIndex: index,
      });
    }
  }
  return drafts;
}

export const DELIVERY_STATUSES = ['pending', 'succeeded', 'failed', 'disabled', 'skipped'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** The body every attempt sends, byte for byte the same (contract 9). */
export interface FeedbackPayload {
  type: FeedbackType;
  timestamp: string;
  data: { tipId: string; externalId: string; caseId: string; caseNo: string; sequence: number } & Record<
    string,
    unknown
  >;
}

/** One request to the source's endpoint (or one the sender could not finish recording). */
export interface DeliveryAttempt {
  attempt: number;
  at: string;
  /** `interrupted`: the sender stopped before recording the answer; the request may have arrived. */
  status: 'succeeded' | 'failed' | 'interrupted';
  responseCode?: number;
  latencyMs?: number;
  /** `timeout`, `connection_refused`, `network` … when no answer came. */
  error?: string;
  /** The Retry-After the source asked for (429/503), in seconds. */
  retryAfterS?: number;
  /** Sent by hand (`POST /v1/deliveries/{id}/retry`). */
  manual?: true;
}

export interface FeedbackDelivery {
  /** Also the `webhook-id` of every attempt. */
  deliveryId: string;
  source: Source;
  tipId: string;
  externalId: string;
  caseId: string;
  caseNo: string;
  type: FeedbackType;
  sequence: number;
  payload: FeedbackPayload;
  /** The payload as the JSON text every attempt sends and signs, fixed when the delivery is made. */
  body: string;
  status: DeliveryStatus;
  attempts: DeliveryAttempt[];
  /** Attempts of the retry schedule so far (hand retries and interrupted attempts not counted). */
  scheduledAttempts: number;
  /** Pending: not before this instant. */
  nextAttemptAt: string | null;
  /** Pending: when the relay must look at it again (see dueForRelay); null once settled. */
  relayAt: string | null;
  /** An attempt under way: others leave the delivery alone until `leaseUntil`. */
  inFlight?: { attempt: number; startedAt: string; leaseUntil: string } | null;
  /** The next attempt is a hand retry: one attempt, even to a disabled endpoint. */
  manual?: boolean;
  createdAt: string;
  updatedAt: string;
  /** Optimistic-locking counter. */
  version: number;
}

/** The delivery of a draft once its tip's sequence number is known. */
export function newDelivery(draft: FeedbackDraft, sequence: number, now: string): FeedbackDelivery {
  const payload: FeedbackPayload = {
    type: draft.type,
    timestamp: draft.timestamp,
    data: {
      tipId: draft.tipId,
      externalId: draft.externalId,
      caseId: draft.caseId,
      caseNo: draft.caseNo,
      sequence,
      ...draft.data,
    },
  };
  return {
    deliveryId: draft.deliveryId,
    source: draft.source,
    tipId: draft.tipId,
    externalId: draft.externalId,
    caseId: draft.caseId,
    caseNo: draft.caseNo,
    type: draft.type,
    sequence,
    payload,
    body: JSON.stringify(payload),
    status: 'pending',
    attempts: [],
    scheduledAttempts: 0,
    nextAttemptAt: now,
    relayAt: now,
    createdAt: now,
    updatedAt: now,
    version: 1,
  };
}

/**
 * Sequence numbers for drafts, counting on from each tip's last one (`last`, absent: 0), in draft
 * order. Returns the deliveries and each tip's new last number.
 */
export function assignSequences(
  drafts: readonly FeedbackDraft[],
  last: ReadonlyMap<string, number>,
  now: string,
): { deliveries: FeedbackDelivery[]; counters: Map<string, { from: number; to: number }> } {
  const counters = new Map<string, { from: number; to: number }>();
  const deliveries = drafts.map((draft) => {
    const counter = counters.get(draft.tipId) ?? {
      from: last.get(draft.tipId) ?? 0,
      to: last.get(draft.tipId) ?? 0,
    };
    counter.to += 1;
    counters.set(draft.tipId, counter);
    return newDelivery(draft, counter.to, now);
  });
  return { deliveries, counters };
}

/** The Standard Webhooks retry schedule: the waits after the 1st … 9th failed attempt. */
export const STANDARD_WEBHOOKS_SCHEDULE_S: readonly number[] = [
  5,
  5 * 60,
  30 * 60,
  2 * 3600,
  5 * 3600,
  10 * 3600,
  14 * 3600,
  20 * 3600,
  24 * 3600,
];

export interface RetryPolicy {
  /** Waits in seconds after each failed attempt; its length + 1 attempts in all. */
  scheduleS: readonly number[];
  /** Each wait is spread over ± this fraction of itself, so retries of many deliveries do not line up. */
  jitter: number;
  /** A Retry-After longer than this is cut to it. */
  maxRetryAfterS: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  scheduleS: STANDARD_WEBHOOKS_SCHEDULE_S,
  jitter: 0.2,
  maxRetryAfterS: 24 * 3600,
};

/** Each attempt gives up after this long without an answer (contract 9). */
export const ATTEMPT_TIMEOUT_MS = 15_000;
/** How long a started attempt keeps others away; past it the attempt counts as interrupted. */
export const ATTEMPT_LEASE_MS = 60_000;
/** SQS delays a message at most 15 minutes: longer waits are the relay's. */
export const MAX_QUEUE_DELAY_S = 900;
/** A delivery the relay queued is left alone this long, so the next relay run does not queue it twice. */
export const RELAY_LEASE_MS = 5 * 60_000;
/** After a delayed message is due, how long the relay waits before assuming it was lost. */
export const RELAY_GRACE_MS = 2 * 60_000;

/** What one attempt came back with: an HTTP answer, or why none came. */
export type AttemptResult =
  | { responseCode: number; latencyMs: number; retryAfterS?: number }
  | { error: string; latencyMs: number };

export interface AttemptOutcome {
  delivery: FeedbackDelivery;
  /** A 410: disable the source's endpoint (and tell the brigade once). */
  disableEndpoint: boolean;
  /** A hand retry got through: the endpoint works again. */
  enableEndpoint: boolean;
  /** Queue the next attempt with this delay (seconds); absent: the relay brings it back (or none). */
  queueDelayS?: number;
}

const addMs = (iso: string, ms: number) => new Date(Date.parse(iso) + ms).toISOString();

/** The wait before the next attempt after `failures` scheduled failures, or undefined: no more. */
export function retryWaitS(
  failures: number,
  policy: RetryPolicy,
  random: () => number,
  retryAfterS?: number,
): number | undefined {
  const base = policy.scheduleS[failures - 1];
  if (base === undefined) return undefined;
  const jittered = base * (1 - policy.jitter + 2 * policy.jitter * random());
  const asked = retryAfterS === undefined ? 0 : Math.min(retryAfterS, policy.maxRetryAfterS);
  return Math.max(jittered, asked);
}

/** Records an attempt's result on the delivery (whose `inFlight` is this attempt) and decides what follows. */
export function afterAttempt(
  delivery: FeedbackDelivery,
  result: AttemptResult,
  now: string,
  policy: RetryPolicy,
  random: () => number = Math.random,
): AttemptOutcome {
  const manual = delivery.manual === true;
  const attemptNo = delivery.inFlight?.attempt ?? delivery.attempts.length + 1;
  const ok = 'responseCode' in result && result.responseCode >= 200 && result.responseCode < 300;
  const attempt: DeliveryAttempt = {
    attempt: attemptNo,
    at: delivery.inFlight?.startedAt ?? now,
    status: ok ? 'succeeded' : 'failed',
    latencyMs: Math.round(result.latencyMs),
    ...('responseCode' in result
      ? {
          responseCode: result.responseCode,
          ...(result.retryAfterS !== undefined ? { retryAfterS: result.retryAfterS } : {}),
        }
      : { error: result.error }),
    ...(manual ? { manual: true as const } : {}),
  };
  const base: FeedbackDelivery = {
    ...delivery,
    attempts: [...delivery.attempts, attempt],
    scheduledAttempts: delivery.scheduledAttempts + (manual ? 0 : 1),
    inFlight: null,
    manual: false,
    updatedAt: now,
    version: delivery.version + 1,
  };
  const settled = (status: DeliveryStatus): FeedbackDelivery => ({
    ...base,
    status,
    nextAttemptAt: null,
    relayAt: null,
  });
  if (ok) return { delivery: settled('succeeded'), disableEndpoint: false, enableEndpoint: manual };
  if ('responseCode' in result && result.responseCode === 410)
    return { delivery: settled('disabled'), disableEndpoint: true, enableEndpoint: false };
  const retryAfter =
    'responseCode' in result && (result.responseCode === 429 || result.responseCode === 503)
      ? result.retryAfterS
      : undefined;
  const wait = manual ? undefined : retryWaitS(base.scheduledAttempts, policy, random, retryAfter);
  if (wait === undefined)
    return { delivery: settled('failed'), disableEndpoint: false, enableEndpoint: false };
  const nextAttemptAt = addMs(now, wait * 1000);
  const queued = wait <= MAX_QUEUE_DELAY_S;
  return {
    delivery: {
      ...base,
      status: 'pending',
      nextAttemptAt,
      relayAt: queued ? addMs(nextAttemptAt, RELAY_GRACE_MS) : nextAttemptAt,
    },
    disableEndpoint: false,
    enableEndpoint: false,
    ...(queued ? { queueDelayS: Math.max(0, Math.ceil(wait)) } : {}),
  };
}

export type ClaimDecision =
  | { claim: true; delivery: FeedbackDelivery }
  | { claim: false; why: 'settled' | 'not_yet' | 'in_flight' };

/**
 * Whether the sender may make an attempt now, and the delivery as it records the start: `inFlight`
 * set (others keep away until the lease ends), the relay's look moved past the lease. An attempt
 * whose lease ran out without a result is recorded as `interrupted` (the sender stopped after the
 * request, perhaps after the source got it): so a crash costs at most one duplicate, same webhook-id.
 */
export function claimAttempt(delivery: FeedbackDelivery, now: string): ClaimDecision {
  if (delivery.status !== 'pending') return { claim: false, why: 'settled' };
  if (delivery.inFlight && delivery.inFlight.leaseUntil > now) return { claim: false, why: 'in_flight' };
  // A message may come before its time (the relay and a delayed message both brought it): skip;
  // the one that is due brings it back.
  if (delivery.nextAttemptAt && Date.parse(delivery.nextAttemptAt) > Date.parse(now) + 1_000)
    return { claim: false, why: 'not_yet' };
  const attempts = [...delivery.attempts];
  if (delivery.inFlight) {
    attempts.push({
      attempt: delivery.inFlight.attempt,
      at: delivery.inFlight.startedAt,
      status: 'interrupted',
      error: '发送程序在记录对方应答前中断',
      ...(delivery.manual ? { manual: true as const } : {}),
    });
  }
  const leaseUntil = addMs(now, ATTEMPT_LEASE_MS);
  return {
    claim: true,
    delivery: {
      ...delivery,
      attempts,
      inFlight: { attempt: attempts.length + 1, startedAt: now, leaseUntil },
      relayAt: leaseUntil,
      updatedAt: now,
      version: delivery.version + 1,
    },
  };
}

/** Settles a pending delivery without an attempt: no endpoint configured, or the endpoint disabled. */
export function settleUnsent(
  delivery: FeedbackDelivery,
  status: 'skipped' | 'disabled',
  now: string,
): FeedbackDelivery {
  return {
    ...delivery,
    status,
    inFlight: null,
    manual: false,
    nextAttemptAt: null,
    relayAt: null,
    updatedAt: now,
    version: delivery.version + 1,
  };
}

/** The relay queued the delivery: it is not queued again before RELAY_LEASE_MS. */
export function relayed(delivery: FeedbackDelivery, now: string): FeedbackDelivery {
  return { ...delivery, relayAt: addMs(now, RELAY_LEASE_MS), updatedAt: now, version: delivery.version + 1 };
}

/** A hand retry (`POST /v1/deliveries/{id}/retry`): one more attempt as soon as possible. */
export function manualRetry(delivery: FeedbackDelivery, now: string): FeedbackDelivery {
  return {
    ...delivery,
    status: 'pending',
    manual: true,
    inFlight: null,
    nextAttemptAt: now,
    relayAt: now,
    updatedAt: now,
    version: delivery.version + 1,
  };
}

/**
 * `Retry-After` as seconds from `now`: delta-seconds or an HTTP date; undefined when absent or
 * unreadable (then the schedule alone decides).
 */
export function parseRetryAfter(value: string | null | undefined, now: Date): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d{1,10}$/.test(trimmed)) return Number(trimmed);
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, Math.ceil((at - now.getTime()) / 1000));
}

/** When the source's endpoint was disabled, and by which delivery's 410. */
export interface EndpointDisabled {
  source: Source;
  disabledAt: string;
  deliveryId: string;
  responseCode: number;
}

/** The key under which the brigade is told once that an endpoint was disabled. */
export const deliveryDisabledNoticeKey = (incident: EndpointDisabled): string =>
  `delivery_disabled|brigade|${incident.source}|${incident.disabledAt}`;

/** `2026-11-30 14:05` style time for texts, from any instant. */
export const feedbackTime = (iso: string): string => formatShanghai(iso).slice(0, 16).replace('T', ' ');
