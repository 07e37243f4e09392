import { describe, expect, it } from 'vitest';
import { applyCaseEvent, type CaseEventBody, type EventContext } from '../../shared/domain/case-events.js';
import type { CaseRecord, Principal } from '../../shared/domain/model.js';
import { caseRecord } from '../support/case-record.js';

const brigade: Principal = { kind: 'brigade' };
const bureau: Principal = { kind: 'bureau', area: 'shajiabang' };
const context = (now = '2026-11-28T03:00:00Z'): EventContext => ({
  now: new Date(now),
  stopDeadline: (from) => ({ kind: 'stop', dueAt: `stop-after-${from}`, metAt: null, breachedAt: null }),
  notifyTownDeadline: (from) => ({
    kind: 'notify_town',
    dueAt: `notify-after-${from}`,
    metAt: null,
    breachedAt: null,
  }),
  area: (area) => ({ name: area === 'guli' ? '古里镇' : area, district: 'district-1' }),
});

function run(record: CaseRecord, ...events: Array<[CaseEventBody, Principal?]>) {
  let current = record;
  for (const [body, principal] of events) {
    const decision = applyCaseEvent(current, body, principal ?? bureau, context());
    if (!decision.ok) return decision;
    current = decision.record;
  }
  return { ok: true as const, record: current };
}

const deadline = (record: CaseRecord, kind: string) => record.deadlines.find((d) => d.kind === kind);

describe('case state machine', () => {
  it('walks the full enforcement path, meeting each deadline with its event', () => {
    const result = run(
      caseRecord(),
      [{ type: 'acknowledge' }],
      [{ type: 'inspect', finding: 'violation_confirmed' }],
      [{ type: 'stop', result: 'failed' }],
      [{ type: 'notify_town' }],
      [{ type: 'close', outcome: '已拆除' }],
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.record.status).toBe('closed');
    for (const kind of ['acknowledge', 'inspect', 'notify_town', 'close']) {
      expect(deadline(result.record, kind)?.metAt).toBe('2026-11-28T03:00:00.000Z');
    }
    expect(deadline(result.record, 'stop')).toMatchObject({ metAt: null });
    expect(result.record.events.map((e) => e.type)).toEqual([
      'created',
      'acknowledge',
      'inspect',
      'stop',
      'notify_town',
      'close',
    ]);
    expect(result.record.version).toBe(6);
  });

  it('opens the stop deadline only when a violation is confirmed', () => {
    const confirmed = run(caseRecord(), [{ type: 'inspect', finding: 'violation_confirmed' }]);
    const none = run(caseRecord(), [{ type: 'inspect', finding: 'no_violation' }]);
    expect(confirmed.ok && deadline(confirmed.record, 'stop')?.dueAt).toBe(
      'stop-after-2026-11-28T03:00:00.000Z',
    );
    expect(none.ok && deadline(none.record, 'stop')).toBeUndefined();
    // An inspection proves receipt too.
    expect(confirmed.ok && deadline(confirmed.record, 'acknowledge')?.metAt).toBeTruthy();
  });

  it.each<[string, CaseRecord, CaseEventBody]>([
    ['stop before any inspection', caseRecord(), { type: 'stop', result: 'stopped' }],
    [
      'notify_town without a failed or overdue stop',
      caseRecord({ status: 'inspected' }),
      { type: 'notify_town' },
    ],
    ['acknowledge twice', caseRecord({ status: 'acknowledged' }), { type: 'acknowledge' }],
    ['anything but comment after close', caseRecord({ status: 'closed' }), { type: 'acknowledge' }],
    ['act on a triage case', caseRecord({ status: 'triage' }), { type: 'acknowledge' }],
  ])('refuses %s with invalid_transition', (_name, record, body) => {
    const decision = applyCaseEvent(record, body, brigade, context());
    expect(decision).toMatchObject({ ok: false, reason: 'invalid_transition' });
  });

  it('refuses stop after no violation was found', () => {
    const result = run(
      caseRecord(),
      [{ type: 'inspect', finding: 'no_violation' }],
      [{ type: 'stop', result: 'stopped' }],
    );
    expect(result).toMatchObject({ ok: false, reason: 'invalid_transition' });
  });

  it('allows notify_town once the stop deadline has passed unmet', () => {
    const record = caseRecord({
      status: 'inspected',
      events: [{ type: 'inspect', at: '', by: 'bureau:shajiabang', finding: 'violation_confirmed' }],
      deadlines: [{ kind: 'stop', dueAt: '2026-11-28T00:00:00+08:00', metAt: null, breachedAt: null }],
    });
    expect(applyCaseEvent(record, { type: 'notify_town' }, bureau, context()).ok).toBe(true);
  });

  it('accepts comments even on closed cases', () => {
    const decision = applyCaseEvent(
      caseRecord({ status: 'closed' }),
      { type: 'comment', note: '回访' },
      bureau,
      context(),
    );
    expect(decision.ok).toBe(true);
  });

  it('forbids other bureaus, partners and sources, and reassignment by a bureau', () => {
    const record = caseRecord();
    const partner: Principal = { kind: 'partner', department: 'planning' };
    expect(
      applyCaseEvent(record, { type: 'acknowledge' }, { kind: 'bureau', area: 'guli' }, context()),
    ).toMatchObject({ reason: 'forbidden' });
    expect(applyCaseEvent(record, { type: 'comment', note: 'x' }, partner, context())).toMatchObject({
      reason: 'forbidden',
    });
    expect(applyCaseEvent(record, { type: 'reassign', area: 'guli' }, bureau, context())).toMatchObject({
      reason: 'forbidden',
    });
  });

  it('reassigns a triage case and keeps both routing decisions', () => {
    const triage = caseRecord({
      status: 'triage',
      area: null,
      areaName: null,
      district: null,
      bureau: 'brigade',
    });
    const decision = applyCaseEvent(
      triage,
      { type: 'reassign', area: 'guli', note: '电话核实在古里' },
      brigade,
      context(),
    );
    expect(decision.ok).toBe(true);
    if (!decision.ok) return;
    expect(decision.reassignedTo).toBe('bureau:guli');
    expect(decision.record).toMatchObject({
      status: 'assigned',
      area: 'guli',
      areaName: '古里镇',
      bureau: 'bureau:guli',
    });
    expect(decision.record.routing.method).toBe('reassigned');
    expect(decision.record.routing.previous).toEqual([
      expect.objectContaining({ area: null, method: 'town_field' }),
    ]);
  });
});
