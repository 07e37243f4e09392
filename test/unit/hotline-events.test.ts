/**
 * The case events of contract section 9: extensions (the close deadline moves only on approval),
 * returns before inspection, and the reply and resolution of a close. Pure state machine; the API's
 * use case maps a refused field to 400 naming it.
 */
import { describe, expect, it } from 'vitest';
import {
  applyCaseEvent,
  type CaseEventBody,
  caseEventBodySchema,
  type EventContext,
} from '../../shared/domain/case-events.js';
import { InvalidTransitionError } from '../../shared/domain/errors.js';
import type { CaseRecord, Principal } from '../../shared/domain/model.js';
import { recordCaseEvent } from '../../shared/usecases/act-on-case.js';
import { ForbiddenError, ValidationError } from '../../shared/usecases/errors.js';
import { caseRecord } from '../support/case-record.js';
import { ManualClock, MemoryAssignmentQueue, MemoryCaseStore } from '../support/memory-ports.js';

const brigade: Principal = { kind: 'brigade' };
const bureau: Principal = { kind: 'bureau', area: 'shajiabang' };
const context = (now = '2026-12-01T03:00:00Z'): EventContext => ({
  now: new Date(now),
  stopDeadline: (from) => ({ kind: 'stop', dueAt: `stop-after-${from}`, metAt: null, breachedAt: null }),
  notifyTownDeadline: (from) => ({ kind: 'notify_town', dueAt: from, metAt: null, breachedAt: null }),
  area: () => ({ name: '古里镇', district: 'district-1' }),
});

function run(record: CaseRecord, ...steps: Array<[CaseEventBody | Record<string, unknown>, Principal]>) {
  let current = record;
  for (const [raw, principal] of steps) {
    const body = caseEventBodySchema.parse(raw);
    const decision = applyCaseEvent(current, body, principal, context());
    if (!decision.ok) return decision;
    current = decision.record;
  }
  return { ok: true as const, record: current };
}

const close = (record: CaseRecord) => record.deadlines.find((d) => d.kind === 'close')!;
const LATER = '2027-01-08T17:00:00+08:00';

describe('extensions (延期)', () => {
  it('moves the close deadline only when the brigade approves the bureau’s request', () => {
    const requested = run(caseRecord(), [
      { type: 'request_extension', dueAt: LATER, reason: '需补充测绘' },
      bureau,
    ]);
    expect(requested.ok).toBe(true);
    if (!requested.ok) return;
    expect(close(requested.record).dueAt).toBe('2026-12-18T23:59:59+08:00');
    expect(requested.record.events.at(-1)).toMatchObject({
      type: 'request_extension',
      dueAt: LATER,
      reason: '需补充测绘',
      currentDueAt: '2026-12-18T23:59:59+08:00',
    });
    const approved = run(requested.record, [{ type: 'approve_extension' }, brigade]);
    expect(approved.ok && close(approved.record)).toMatchObject({
      dueAt: LATER,
      metAt: null,
      breachedAt: null,
      remindedAt: null,
      provisional: false,
    });
    expect(approved.ok && approved.record.events.at(-1)).toMatchObject({
      type: 'approve_extension',
      dueAt: LATER,
      reason: '需补充测绘',
      previousDueAt: '2026-12-18T23:59:59+08:00',
    });
    const rejected = run(requested.record, [{ type: 'reject_extension', note: '理由不足' }, brigade]);
    expect(rejected.ok && close(rejected.record).dueAt).toBe('2026-12-18T23:59:59+08:00');
  });

  it('refuses a second request while one is pending, and a decision without a request', () => {
    const request = { type: 'request_extension', dueAt: LATER, reason: 'r' };
    expect(run(caseRecord(), [request, bureau], [request, bureau])).toMatchObject({
      ok: false,
      reason: 'invalid_transition',
    });
    expect(run(caseRecord(), [{ type: 'approve_extension' }, brigade])).toMatchObject({
      ok: false,
      reason: 'invalid_transition',
    });
    // Decided: a new request may follow.
    expect(
      run(caseRecord(), [request, bureau], [{ type: 'reject_extension' }, brigade], [request, bureau]).ok,
    ).toBe(true);
  });

  it('asks for a dueAt later than the current close deadline, naming the field', () => {
    expect(
      run(caseRecord(), [
        { type: 'request_extension', dueAt: '2026-12-18T23:59:59+08:00', reason: 'r' },
        bureau,
      ]),
    ).toMatchObject({ ok: false, reason: 'invalid_field', path: 'dueAt' });
    expect(caseEventBodySchema.safeParse({ type: 'request_extension', dueAt: LATER }).success).toBe(false);
  });

  it('lets only the brigade decide, and nobody extend a met close deadline', () => {
    const requested = run(caseRecord(), [{ type: 'request_extension', dueAt: LATER, reason: 'r' }, bureau]);
    expect(requested.ok && run(requested.record, [{ type: 'approve_extension' }, bureau])).toMatchObject({
      ok: false,
      reason: 'forbidden',
    });
    const closed = run(caseRecord(), [{ type: 'close', outcome: '已办结' }, bureau]);
    expect(
      closed.ok && run(closed.record, [{ type: 'request_extension', dueAt: LATER, reason: 'r' }, bureau]),
    ).toMatchObject({ ok: false, reason: 'invalid_transition' });
  });
});

describe('return (退单) and close', () => {
  it('returns a case before inspection (brigade only), closing it with outcome returned', () => {
    const body = { type: 'return', reason: '属规划部门职责', legalBasis: '《城乡规划法》第六十四条' };
    const returned = run(caseRecord({ status: 'acknowledged' }), [body, brigade]);
    expect(returned.ok && returned.record.status).toBe('closed');
    expect(returned.ok && returned.record.events.at(-1)).toMatchObject({ ...body, outcome: 'returned' });
    expect(returned.ok && close(returned.record).metAt).toBe('2026-12-01T03:00:00.000Z');
    expect(run(caseRecord(), [body, bureau])).toMatchObject({ ok: false, reason: 'forbidden' });
    const inspected = run(caseRecord(), [{ type: 'inspect', finding: 'no_violation' }, bureau]);
    expect(inspected.ok && run(inspected.record, [body, brigade])).toMatchObject({
      ok: false,
      reason: 'invalid_transition',
    });
    expect(caseEventBodySchema.safeParse({ type: 'return', reason: 'r' }).success).toBe(false);
  });

  it('closes with a reply and a resolution, resolved by default', () => {
    const plain = run(caseRecord(), [{ type: 'close', outcome: '已拆除' }, bureau]);
    expect(plain.ok && plain.record.events.at(-1)).toMatchObject({
      outcome: '已拆除',
      resolution: 'resolved',
    });
    const replied = run(caseRecord(), [
      { type: 'close', outcome: '已拆除', reply: '违建已拆除', resolution: 'partially_resolved' },
      bureau,
    ]);
    expect(replied.ok && replied.record.events.at(-1)).toMatchObject({
      reply: '违建已拆除',
      resolution: 'partially_resolved',
    });
    expect(caseEventBodySchema.safeParse({ type: 'close', outcome: 'x', resolution: 'done' }).success).toBe(
      false,
    );
  });
});

describe('the API use case', () => {
  const deps = () => {
    const store = new MemoryCaseStore();
    store.cases.set(caseRecord().caseId, caseRecord());
    return {
      store,
      queue: new MemoryAssignmentQueue(),
      clock: new ManualClock(new Date('2026-12-01T03:00:00Z')),
      eventContext: () => context(),
    };
  };

  it('answers a dueAt not after the deadline with validation_failed naming dueAt', async () => {
    const error = await recordCaseEvent(
      bureau,
      caseRecord().caseId,
      { type: 'request_extension', dueAt: '2026-12-01T00:00:00+08:00', reason: 'r' },
      deps(),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).details).toEqual([{ path: 'dueAt', message: '须晚于当前的办结时限' }]);
  });

  it('maps the other refusals as before', async () => {
    const d = deps();
    await expect(
      recordCaseEvent(bureau, caseRecord().caseId, { type: 'approve_extension' }, d),
    ).rejects.toThrow(ForbiddenError);
    await expect(
      recordCaseEvent(brigade, caseRecord().caseId, { type: 'approve_extension' }, d),
    ).rejects.toThrow(InvalidTransitionError);
  });
});
