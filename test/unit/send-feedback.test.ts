/**
 * The feedback sender (contract 9) against in-memory ports: every attempt recorded with the same
 * webhook-id, the Standard Webhooks schedule with jitter and Retry-After, a 410 disabling the
 * endpoint and telling the brigade once, hand retries, the relay; and the fault tests: a sender that
 * stops after a delivery and before recording it sends at most one duplicate, and nothing is lost
 * when the receiver is down for the whole schedule. The signature verifies with `standardwebhooks`.
 */
import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { signFeedback } from '../../shared/adapters/webhook-transport.js';
import {
  assignSequences,
  DEFAULT_RETRY_POLICY,
  type FeedbackDelivery,
  feedbackDrafts,
  parseRetryAfter,
  STANDARD_WEBHOOKS_SCHEDULE_S,
} from '../../shared/domain/feedback.js';
import type { NoticeMessage, Source } from '../../shared/domain/model.js';
import { listDeliveries, retryDelivery } from '../../shared/usecases/deliveries.js';
import { ConflictError, ForbiddenError } from '../../shared/usecases/errors.js';
import { type FeedbackSenderDeps, relayFeedback, sendFeedback } from '../../shared/usecases/send-feedback.js';
import { caseRecord } from '../support/case-record.js';
import { MemoryDeliveryStore, MemoryFeedbackQueue, ScriptedTransport } from '../support/memory-feedback.js';
import { ManualClock, MemoryAssignmentQueue } from '../support/memory-ports.js';

const START = new Date('2026-12-01T02:00:00.000Z');
/** The sender's first look: a second after the case event recorded the delivery. */
const FIRST = new Date(START.getTime() + 1_000);
const SECRET = `whsec_${Buffer.from('a-feedback-secret-for-the-tests-012345').toString('base64')}`;

function deliveriesOf(tips = 1): FeedbackDelivery[] {
  const record = caseRecord({
    tips: Array.from({ length: tips }, (_, n) => ({
      tipId: `tip_${String(n).repeat(26)}`,
      source: '12345' as Source,
      externalId: `GD${n}`,
      receivedAt: '2026-11-28T10:00:00+08:00',
    })),
    events: [{ type: 'acknowledge', at: START.toISOString(), by: 'bureau:shajiabang' }],
  });
  return assignSequences(feedbackDrafts(record), new Map(), START.toISOString()).deliveries;
}

function setup(options: { endpoint?: boolean; deliveries?: FeedbackDelivery[] } = {}) {
  const deliveries = new MemoryDeliveryStore();
  for (const delivery of options.deliveries ?? deliveriesOf()) deliveries.add(delivery);
  const queue = new MemoryFeedbackQueue();
  const transport = new ScriptedTransport();
  const notices = new MemoryAssignmentQueue();
  const clock = new ManualClock(FIRST);
  const deps: FeedbackSenderDeps = {
    deliveries,
    queue,
    transport,
    notices,
    clock,
    endpoints: async () =>
      options.endpoint === false ? undefined : { url: 'https://12345.example/feedback', secrets: [SECRET] },
    policy: DEFAULT_RETRY_POLICY,
    random: () => 0.5,
  };
  const id = [...deliveries.deliveries.keys()][0]!;
  const stored = () => deliveries.deliveries.get(id)!;
  return { deps, deliveries, queue, transport, notices, clock, id, stored };
}

/** Runs the relay and the sender until nothing is queued, advancing the clock to each next attempt. */
async function runSchedule(s: ReturnType<typeof setup>, rounds: number) {
  for (let round = 0; round < rounds; round++) {
    await relayFeedback(s.deps);
    for (const id of s.queue.take()) await sendFeedback(id, s.deps);
    const next = s.stored().nextAttemptAt;
    if (s.stored().status !== 'pending' || !next) return;
    s.clock.set(new Date(Date.parse(next) + 3 * 60_000).toISOString());
  }
}

describe('the feedback sender', () => {
  it('sends 500, 500, then 200 with one webhook-id and the same body, recording three attempts', async () => {
    const s = setup();
    s.transport.answer(500, 500, 200);
    await runSchedule(s, 5);
    expect(s.transport.requests.map((r) => r.webhookId)).toEqual([s.id, s.id, s.id]);
    expect(new Set(s.transport.requests.map((r) => r.body)).size).toBe(1);
    expect(s.stored().status).toBe('succeeded');
    expect(s.stored().attempts.map((a) => [a.attempt, a.status, a.responseCode, a.latencyMs])).toEqual([
      [1, 'failed', 500, 12],
      [2, 'failed', 500, 12],
      [3, 'succeeded', 200, 12],
    ]);
  });

  it('still attempts a delivery whose relay lease was written between the sender’s read and its claim', async () => {
    const s = setup();
    s.transport.answer(200);
    // The relay queues the message first and writes its lease after; the sender reads in between.
    const realGet = s.deliveries.getDelivery.bind(s.deliveries);
    let raced = false;
    s.deliveries.getDelivery = async (deliveryId: string) => {
      const read = await realGet(deliveryId);
      if (!raced && read) {
        raced = true;
        const current = s.stored();
        s.deliveries.deliveries.set(deliveryId, { ...current, version: current.version + 1 });
      }
      return read;
    };
    await sendFeedback(s.id, s.deps);
    expect(s.transport.requests).toHaveLength(1);
    expect(s.stored().status).toBe('succeeded');
  });

  it('waits the schedule with jitter: 5 s after the first failure, queued with an SQS delay', async () => {
    const s = setup();
    s.transport.answer(503);
    await relayFeedback(s.deps);
    await sendFeedback(s.queue.take()[0]!, s.deps);
    expect(s.queue.sent).toEqual([{ deliveryId: s.id, delaySeconds: 5 }]);
    expect(s.stored().nextAttemptAt).toBe(new Date(FIRST.getTime() + 5_000).toISOString());
    // A message before its time changes nothing; the delayed one is the attempt.
    expect(await sendFeedback(s.id, s.deps)).toEqual({ outcome: 'not_now', why: 'not_yet' });
  });

  it('honours Retry-After on 429 and 503, and leaves waits over 15 minutes to the relay', async () => {
    const s = setup();
    s.transport.answer({ responseCode: 429, latencyMs: 5, retryAfterS: 3600 });
    await relayFeedback(s.deps);
    await sendFeedback(s.queue.take()[0]!, s.deps);
    expect(s.stored().attempts[0]).toMatchObject({ responseCode: 429, retryAfterS: 3600 });
    expect(s.stored().nextAttemptAt).toBe(new Date(FIRST.getTime() + 3_600_000).toISOString());
    expect(s.queue.sent).toEqual([]);
    s.clock.advance(3_600_000 - 1_000);
    expect((await relayFeedback(s.deps)).queued).toEqual([]);
    s.clock.advance(2_000);
    expect((await relayFeedback(s.deps)).queued).toEqual([s.id]);
    expect(parseRetryAfter('120', START)).toBe(120);
    expect(parseRetryAfter(new Date(START.getTime() + 30_000).toUTCString(), START)).toBe(30);
    expect(parseRetryAfter('soon', START)).toBeUndefined();
  });

  it('spreads each wait over ±20 %', async () => {
    for (const [random, wait] of [
      [0, 4],
      [1, 6],
    ] as const) {
      const s = setup();
      s.deps.random = () => random;
      s.transport.answer(500);
      await relayFeedback(s.deps);
      await sendFeedback(s.queue.take()[0]!, s.deps);
      expect(Date.parse(s.stored().nextAttemptAt!) - FIRST.getTime()).toBe(wait * 1000);
    }
  });

  it('disables the endpoint on 410 and tells the brigade once, even for several deliveries', async () => {
    const s = setup({ deliveries: deliveriesOf(3) });
    s.transport.answer(410, 410);
    const ids = [...s.deliveries.deliveries.keys()];
    // Two attempts in flight at once both get the 410.
    await Promise.all(ids.slice(0, 2).map((id) => sendFeedback(id, s.deps)));
    await sendFeedback(ids[2]!, s.deps);
    expect(s.transport.requests).toHaveLength(2);
    expect(ids.map((id) => s.deliveries.deliveries.get(id)!.status)).toEqual([
      'disabled',
      'disabled',
      'disabled',
    ]);
    const notices = s.notices.messages as NoticeMessage[];
    expect(new Set(notices.map((n) => n.key)).size).toBe(1);
    expect(notices[0]).toMatchObject({
      target: 'brigade',
      notification: { kind: 'delivery_disabled', audience: 'brigade', target: 'brigade', source: '12345' },
    });
    expect(notices[0]!.notification.caseId).toBeUndefined();
    expect(notices[0]!.notification.sms.length).toBeLessThanOrEqual(70);
  });

  it('sends a hand retry even to a disabled endpoint, and a success enables it again', async () => {
    const s = setup({ deliveries: deliveriesOf(2) });
    const [first, second] = [...s.deliveries.deliveries.keys()];
    s.transport.answer(410);
    await sendFeedback(first!, s.deps);
    await sendFeedback(second!, s.deps);
    expect(s.transport.requests).toHaveLength(1);
    const view = await retryDelivery({ kind: 'brigade' }, second!, s.deps);
    expect(view.status).toBe('pending');
    s.clock.advance(1_000);
    await relayFeedback(s.deps);
    await sendFeedback(s.queue.take()[0]!, s.deps);
    expect(s.deliveries.deliveries.get(second!)!.status).toBe('succeeded');
    expect(s.deliveries.deliveries.get(second!)!.attempts).toEqual([
      expect.objectContaining({ status: 'succeeded', responseCode: 200, manual: true }),
    ]);
    expect(s.deliveries.disabled.size).toBe(0);
  });

  it('marks a delivery to a source without an endpoint skipped, sending nothing', async () => {
    const s = setup({ endpoint: false });
    expect(await sendFeedback(s.id, s.deps)).toEqual({ outcome: 'unsent', status: 'skipped' });
    expect(s.transport.requests).toEqual([]);
    expect(s.stored().relayAt).toBeNull();
  });

  it('lists deliveries and retries them for the brigade only; a pending one is not retried', async () => {
    const s = setup();
    await expect(listDeliveries({ kind: 'bureau', area: 'guli' }, { limit: 10 }, s.deps)).rejects.toThrow(
      ForbiddenError,
    );
    await expect(retryDelivery({ kind: 'source', source: '12345' }, s.id, s.deps)).rejects.toThrow(
      ForbiddenError,
    );
    await expect(retryDelivery({ kind: 'brigade' }, s.id, s.deps)).rejects.toThrow(ConflictError);
    const page = await listDeliveries({ kind: 'brigade' }, { limit: 10, source: '12345' }, s.deps);
    expect(page.items.map((d) => [d.deliveryId, d.webhookId, d.status])).toEqual([[s.id, s.id, 'pending']]);
    expect(page.items[0]).not.toHaveProperty('version');
    expect(page.items[0]).not.toHaveProperty('body');
  });
});

describe('fault tests', () => {
  it('a sender stopping after a delivery and before recording it sends at most one duplicate', async () => {
    const s = setup();
    await relayFeedback(s.deps);
    const [message] = s.queue.take();
    // The claim is recorded, the request goes out, the result is never recorded: the sender stopped.
    s.deliveries.failPuts = 0;
    const original = s.deliveries.putDelivery.bind(s.deliveries);
    let puts = 0;
    s.deliveries.putDelivery = async (delivery, version) => {
      puts += 1;
      if (puts === 2) throw new Error('the sender stopped here');
      return original(delivery, version);
    };
    await expect(sendFeedback(message!, s.deps)).rejects.toThrow('stopped');
    expect(s.transport.requests).toHaveLength(1);
    // The same message again at once (a concurrent redelivery) finds the attempt in flight.
    expect(await sendFeedback(message!, s.deps)).toEqual({ outcome: 'not_now', why: 'in_flight' });
    // The lease runs out: the relay brings it back; the attempt is recorded as interrupted, sent once more.
    s.clock.advance(61_000);
    await relayFeedback(s.deps);
    for (const id of s.queue.take()) await sendFeedback(id, s.deps);
    // And any later message changes nothing.
    s.clock.advance(10 * 60_000);
    await relayFeedback(s.deps);
    for (const id of [...s.queue.take(), message!]) await sendFeedback(id, s.deps);
    expect(s.transport.requests.map((r) => r.webhookId)).toEqual([s.id, s.id]);
    expect(s.stored().status).toBe('succeeded');
    expect(s.stored().attempts.map((a) => a.status)).toEqual(['interrupted', 'succeeded']);
  });

  it('tells the brigade even when the sender stopped between disabling the endpoint and telling it', async () => {
    const s = setup();
    s.transport.answer(410);
    const send = s.notices.send.bind(s.notices);
    let failures = 1;
    s.notices.send = async (message) => {
      if (failures-- > 0) throw new Error('the queue is down');
      return send(message);
    };
    await expect(sendFeedback(s.id, s.deps)).rejects.toThrow('the queue is down');
    s.clock.advance(61_000);
    await relayFeedback(s.deps);
    for (const id of s.queue.take()) await sendFeedback(id, s.deps);
    expect((s.notices.messages as NoticeMessage[]).map((n) => n.notification.kind)).toEqual([
      'delivery_disabled',
    ]);
    expect(s.stored().status).toBe('disabled');
    expect(s.transport.requests).toHaveLength(1);
  });

  it('loses nothing when the receiver is down for the whole schedule: failed, then retried by hand', async () => {
    const s = setup();
    s.transport.answer(...Array.from({ length: 10 }, () => ({ error: 'connection_refused', latencyMs: 1 })));
    await runSchedule(s, 20);
    expect(s.stored().status).toBe('failed');
    expect(s.stored().attempts).toHaveLength(STANDARD_WEBHOOKS_SCHEDULE_S.length + 1);
    expect(s.stored().attempts.every((a) => a.error === 'connection_refused')).toBe(true);
    // The waits were the schedule's (random 0.5: no jitter).
    const times = s.stored().attempts.map((a) => Date.parse(a.at));
    const waits = times.slice(1).map((t, i) => (t - times[i]!) / 1000);
    for (const [i, wait] of waits.entries()) {
      const base = STANDARD_WEBHOOKS_SCHEDULE_S[i]!;
      expect(wait).toBeGreaterThanOrEqual(base);
      expect(wait).toBeLessThanOrEqual(base + 3 * 60 + 120);
    }
    await retryDelivery({ kind: 'brigade' }, s.id, s.deps);
    s.clock.advance(1_000);
    await runSchedule(s, 1);
    expect(s.stored().status).toBe('succeeded');
    expect(s.transport.requests.map((r) => r.webhookId)).toEqual(Array(11).fill(s.id));
  });
});

describe('the signature', () => {
  it('verifies with the standardwebhooks package, one signature per secret during a rotation', () => {
    const body = JSON.stringify({
      type: 'case.closed',
      timestamp: START.toISOString(),
      data: { sequence: 3 },
    });
    const now = new Date();
    const other = `whsec_${Buffer.from('the-next-secret-of-the-rotation-0123').toString('base64')}`;
    const signature = signFeedback([SECRET, other], 'msg_abc', now, body);
    const headers = {
      'webhook-id': 'msg_abc',
      'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
      'webhook-signature': signature,
    };
    expect(new Webhook(SECRET).verify(body, headers)).toEqual(JSON.parse(body));
    expect(new Webhook(other).verify(body, headers)).toEqual(JSON.parse(body));
    expect(signature.split(' ')).toHaveLength(2);
    expect(() => new Webhook(SECRET).verify(`${body} `, headers)).toThrow();
  });
});
