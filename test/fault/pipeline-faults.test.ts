/**
 * Fault injection across the pipeline (issue 7), deterministic per seed: throttling and lost
 * responses from the store, conditional-write races between two routers, SNS failures, a crash
 * between writing a case and sending its assignment, consumers killed mid-batch, duplicate
 * submissions. SQS is simulated with visibility timeouts, receive counts and a DLQ on a virtual
 * clock. Whatever happens: N tips in → exactly N cases, each notified exactly once, and whatever
 * landed in a DLQ is recovered by redrive.
 */
import { describe, expect, it } from 'vitest';
import { getJurisdiction } from '../../shared/config/jurisdiction/load.js';
import { WorkingCalendar } from '../../shared/domain/calendar.js';
import { createCaseRules } from '../../shared/domain/case-rules.js';
import type { Notification, Source, WorkMessage } from '../../shared/domain/model.js';
import { parseTipMessage } from '../../shared/domain/tip-message.js';
import { parseWorkMessage } from '../../shared/domain/work-message.js';
import { errorResponse } from '../../shared/http/error-responses.js';
import { acceptTipDelivery } from '../../shared/http/intake.js';
import type { AssignmentQueue, CaseStore, Notifier, TipQueue } from '../../shared/ports/index.js';
import type { NotificationClaims } from '../../shared/ports/notification-claims.js';
import { notifyWork } from '../../shared/usecases/notify-case.js';
import { routeIncomingTip } from '../../shared/usecases/route-tip.js';
import {
  make12336Tip,
  make12345Tip,
  makeCityManagementTip,
  TEST_SECRETS,
  webhookHeaders,
} from '../fixtures/tips.js';
import { FakeVault, MemoryCaseStore, MemoryNotificationClaims } from '../support/memory-ports.js';
import { SimQueue } from '../support/sim-sqs.js';

/** mulberry32: a small seeded generator, so every failure replays exactly. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class Throttled extends Error {
  override name = 'ThrottlingException';
}
class LostResponse extends Error {
  override name = 'TimeoutError';
}
class Killed extends Error {
  override name = 'Killed';
}

interface FaultRates {
  throttle: number;
  lostResponse: number;
  snsFailure: number;
  crashBeforeAssignment: number;
  killMidBatch: number;
}

const WRITES = new Set([
  'createCase',
  'recordAmendment',
  'putCase',
  'nextCaseSequence',
  'claim',
  'markSent',
  'release',
]);

/** Wraps a store (cases, claims) so calls fail as DynamoDB calls do: throttled before, or done but the answer lost. */
function faultyStore<Store extends object>(inner: Store, random: () => number, rates: FaultRates): Store {
  return new Proxy(inner, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      return async (...args: unknown[]) => {
        if (random() < rates.throttle) throw new Throttled('Rate exceeded');
        const result = await value.apply(target, args);
        if (WRITES.has(String(property)) && random() < rates.lostResponse)
          throw new LostResponse('socket hang up');
        return result;
      };
    },
  });
}

async function simulate(seed: number, tipCount: number, rates: FaultRates) {
  const random = rng(seed);
  let virtualNow = Date.parse('2026-11-28T02:00:00Z');
  const clock = { now: () => virtualNow };
  const dateClock = { now: () => new Date(virtualNow) };
  const queueOptions = { visibilityMs: 30_000, maxReceiveCount: 5, withDlq: true };
  const intakeQueue = new SimQueue('intake', clock, queueOptions);
  const workQueues = new Map<string, SimQueue>();
  const workQueue = (target: string) => {
    const existing = workQueues.get(target);
    if (existing) return existing;
    const queue = new SimQueue(target, clock, queueOptions);
    workQueues.set(target, queue);
    return queue;
  };

  const memory = new MemoryCaseStore();
  const store = faultyStore<CaseStore>(memory, random, rates);
  const claims = faultyStore<NotificationClaims>(new MemoryNotificationClaims(), random, rates);
  const sent: Notification[] = [];
  const notifier: Notifier = {
    async send(notification) {
      if (random() < rates.snsFailure) throw new Error('SNS: InternalError');
      sent.push(notification);
    },
  };
  const tipQueue: TipQueue = {
    async enqueue(tip) {
      if (random() < rates.throttle) throw new Throttled('SQS throttled');
      intakeQueue.send(JSON.stringify(tip));
    },
  };
  const assignmentQueue: AssignmentQueue = {
    async send(message: WorkMessage) {
      // The case is written; dying here is the crash the router must survive.
      if (random() < rates.crashBeforeAssignment) throw new Killed('crashed before the assignment left');
      workQueue(message.target).send(JSON.stringify(message));
    },
  };
  const rules = createCaseRules({ jurisdiction: getJurisdiction(), calendar: new WorkingCalendar() });

  // Sources: each tip is submitted until it gets a 202 (as hotline systems retry), and a third of
  // them are submitted twice more later on (retries after a lost response).
  const sources: Source[] = ['12336', '12345', 'city-management'];
  const bodies = Array.from({ length: tipCount }, (_, i) => {
    const source = sources[i % 3]!;
    const now = new Date(virtualNow);
    const body =
      source === '12336'
        ? make12336Tip({ reportId: `fault-${seed}-${i}` }, now)
        : source === '12345'
          ? make12345Tip({ orderNo: `fault-${seed}-${i}` }, now)
          : makeCityManagementTip({ case: { caseNo: `fault-${seed}-${i}` } }, now);
    return { source, raw: JSON.stringify(body) };
  });
  const submit = async ({ source, raw }: { source: Source; raw: string }) => {
    for (let attempt = 0; attempt < 50; attempt++) {
      try {
        return await acceptTipDelivery(
          {
            source,
            rawBody: raw,
            headers: webhookHeaders(TEST_SECRETS[source], raw, { now: new Date(virtualNow) }),
          },
          { secrets: (s) => [TEST_SECRETS[s]], queue: tipQueue, vault: new FakeVault(), clock: dateClock },
        );
      } catch (error) {
        const status = errorResponse(error).statusCode;
        if (status !== 429 && status !== 503) throw error;
      }
    }
    throw new Error('intake never accepted the tip');
  };
  const tipIds = new Set<string>();
  for (const body of bodies) tipIds.add((await submit(body)).tipId);
  for (const body of bodies.filter((_, i) => i % 3 === 0)) await submit(body);

  /** One Lambda invocation over one batch: partial failures, or killed outright (nothing deleted). */
  const consume = async (queue: SimQueue, handle: (body: string, messageId: string) => Promise<unknown>) => {
    const batch = queue.receive(10);
    if (batch.length === 0) return;
    const killAt = random() < rates.killMidBatch ? Math.floor(random() * batch.length) : -1;
    const succeeded: string[] = [];
    for (const [index, message] of batch.entries()) {
      if (index === killAt) return; // the process died: Lambda deletes nothing of this batch
      try {
        await handle(message.body, message.id);
        succeeded.push(message.id);
      } catch {
        // reported in batchItemFailures: left for redelivery
      }
    }
    for (const id of succeeded) queue.delete(id);
  };
  const route = (body: string) =>
    routeIncomingTip(parseTipMessage(body), { store, queue: assignmentQueue, clock: dateClock, rules });
  const notify = (body: string, messageId: string) =>
    notifyWork(
      parseWorkMessage(body),
      { store, claims, notifier, clock: dateClock, claimLeaseMs: 60_000, sleep: async () => undefined },
      { claimant: messageId },
    );

  let redriven = 0;
  for (let step = 0; step < 5000; step++) {
    // Two routers at once: duplicate deliveries race on the conditional writes.
    await Promise.all([consume(intakeQueue, route), consume(intakeQueue, route)]);
    await Promise.all([...workQueues.values()].map((queue) => consume(queue, notify)));
    virtualNow += 5_000;
    const all = [intakeQueue, ...workQueues.values()];
    const pending = all.reduce((sum, queue) => sum + queue.depth, 0);
    if (pending === 0) {
      // What reached a DLQ is recovered the way an operator would: `npm run redrive`.
      const moved = all.reduce((sum, queue) => sum + queue.redrive(), 0);
      redriven += moved;
      if (moved === 0) break;
    }
  }
  return {
    memory,
    sent,
    tipIds,
    redriven,
    leftover: [intakeQueue, ...workQueues.values()].reduce(
      (sum, queue) => sum + queue.depth + (queue.dlq?.depth ?? 0),
      0,
    ),
  };
}

const HARSH: FaultRates = {
  throttle: 0.05,
  lostResponse: 0.05,
  snsFailure: 0.1,
  crashBeforeAssignment: 0.1,
  killMidBatch: 0.1,
};

describe('pipeline under injected faults', () => {
  it.each([1, 2, 3, 4, 5, 6, 7, 8])(
    'seed %i: N tips in, exactly N cases, each notified exactly once',
    async (seed) => {
      const { memory, sent, tipIds, leftover } = await simulate(seed, 60, HARSH);
      expect(leftover).toBe(0);
      // Exactly one case per distinct tip, each anchored by its tip.
      expect(memory.cases.size).toBe(tipIds.size);
      expect(new Set([...memory.tips.values()].map((tip) => tip.caseId)).size).toBe(tipIds.size);
      // Every case got its assignment, once; no notification of any kind went out twice.
      const keys = sent.map((n) => `${n.caseId}|${n.kind}|${n.target}|${n.deadline ?? ''}`);
      expect(new Set(keys).size).toBe(keys.length);
      for (const record of memory.cases.values()) {
        expect(sent.filter((n) => n.caseId === record.caseId && n.kind === 'assignment')).toHaveLength(1);
        for (const partner of record.partners) {
          expect(
            sent.filter((n) => n.caseId === record.caseId && n.target === `partner:${partner}`),
          ).toHaveLength(1);
        }
      }
    },
    60_000,
  );

  it('recovers messages that exhausted their receives through redrive', async () => {
    // Faults frequent enough that some messages fail five times in a row and park in a DLQ.
    const { memory, tipIds, redriven, leftover } = await simulate(42, 30, {
      ...HARSH,
      throttle: 0.3,
      crashBeforeAssignment: 0.3,
    });
    expect(redriven).toBeGreaterThan(0);
    expect(leftover).toBe(0);
    expect(memory.cases.size).toBe(tipIds.size);
  }, 60_000);

  it('without faults makes no retries at all (the harness itself adds nothing)', async () => {
    const { memory, sent, tipIds, redriven } = await simulate(7, 30, {
      throttle: 0,
      lostResponse: 0,
      snsFailure: 0,
      crashBeforeAssignment: 0,
      killMidBatch: 0,
    });
    expect(redriven).toBe(0);
    expect(memory.cases.size).toBe(tipIds.size);
    expect(sent.filter((n) => n.kind === 'assignment')).toHaveLength(tipIds.size);
  });
});
