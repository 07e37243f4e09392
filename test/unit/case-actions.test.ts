import { describe, expect, it } from 'vitest';
import { allowedCaseEvents } from '../../shared/domain/case-actions.js';
import { applyCaseEvent, type CaseEventBody, type EventContext } from '../../shared/domain/case-events.js';
import type { CaseRecord, Principal } from '../../shared/domain/model.js';
import { caseRecord } from '../support/case-record.js';

const brigade: Principal = { kind: 'brigade' };
const bureau: Principal = { kind: 'bureau', area: 'shajiabang' };
const otherBureau: Principal = { kind: 'bureau', area: 'guli' };
const partner: Principal = { kind: 'partner', department: 'planning' };
const NOW = new Date('2026-11-28T03:00:00Z');

const context: EventContext = {
  now: NOW,
  stopDeadline: (from) => ({
    kind: 'stop',
    dueAt: '2026-12-03T23:59:59+08:00',
    metAt: null,
    breachedAt: from,
  }),
  notifyTownDeadline: () => ({
    kind: 'notify_town',
    dueAt: '2026-12-04T23:59:59+08:00',
    metAt: null,
    breachedAt: null,
  }),
  area: () => ({ name: '古里镇', district: 'district-1' }),
};

function advance(record: CaseRecord, ...bodies: CaseEventBody[]): CaseRecord {
  return bodies.reduce((current, body) => {
    const decision = applyCaseEvent(current, body, bureau, context);
    if (!decision.ok) throw new Error(decision.message);
    return {
      ...decision.record,
      deadlines: decision.record.deadlines.map((d) => ({ ...d, breachedAt: null })),
    };
  }, record);
}

/** The events of contract section 3; those of sections 9 and 10 are checked on their own below. */
const LATER = ['split', 'merge', 'request_extension', 'approve_extension', 'reject_extension', 'return'];
const core = (events: string[]) => events.filter((type) => !LATER.includes(type));

describe('allowed case events', () => {
  it('offers a bureau the next steps of the enforcement path, one state at a time', () => {
    const assigned = caseRecord();
    expect(core(allowedCaseEvents(assigned, bureau, NOW))).toEqual([
      'acknowledge',
      'inspect',
      'close',
      'comment',
    ]);
    const acknowledged = advance(assigned, { type: 'acknowledge' });
    expect(core(allowedCaseEvents(acknowledged, bureau, NOW))).toEqual(['inspect', 'close', 'comment']);
    const confirmed = advance(acknowledged, { type: 'inspect', finding: 'violation_confirmed' });
    expect(core(allowedCaseEvents(confirmed, bureau, NOW))).toEqual(['stop', 'close', 'comment']);
    const stopped = advance(confirmed, { type: 'stop', result: 'stopped' });
    expect(core(allowedCaseEvents(stopped, bureau, NOW))).toEqual(['close', 'comment']);
    const closed = advance(stopped, { type: 'close', outcome: '已拆除' });
    expect(core(allowedCaseEvents(closed, bureau, NOW))).toEqual(['comment']);
  });

  it('allows 告知镇政府 only after a failed stop', () => {
    const failed = advance(
      caseRecord(),
      { type: 'inspect', finding: 'violation_confirmed' },
      { type: 'stop', result: 'failed' },
    );
    expect(core(allowedCaseEvents(failed, bureau, NOW))).toEqual(['stop', 'notify_town', 'close', 'comment']);
  });

  it('allows 告知镇政府 once the stop deadline has passed', () => {
    const confirmed = advance(caseRecord(), { type: 'inspect', finding: 'violation_confirmed' });
    const late = new Date('2026-12-05T00:00:00Z');
    expect(allowedCaseEvents(confirmed, bureau, late)).toContain('notify_town');
    expect(allowedCaseEvents(confirmed, bureau, NOW)).not.toContain('notify_town');
  });

  it('offers no stop after an inspection that found nothing', () => {
    const clean = advance(caseRecord(), { type: 'inspect', finding: 'no_violation' });
    expect(core(allowedCaseEvents(clean, bureau, NOW))).toEqual(['close', 'comment']);
  });

  it('gives the brigade reassignment, and triage only reassignment, close and comments', () => {
    expect(core(allowedCaseEvents(caseRecord(), brigade, NOW))).toEqual([
      'acknowledge',
      'inspect',
      'close',
      'reassign',
      'comment',
    ]);
    const triage = caseRecord({
      status: 'triage',
      area: null,
      areaName: null,
      district: null,
      bureau: 'brigade',
    });
    expect(core(allowedCaseEvents(triage, brigade, NOW))).toEqual(['close', 'reassign', 'comment']);
  });

  it('offers extensions to the bureau, and returns and merges to the brigade, before inspection', () => {
    expect(allowedCaseEvents(caseRecord(), bureau, NOW)).toContain('request_extension');
    expect(allowedCaseEvents(caseRecord(), bureau, NOW)).not.toContain('return');
    expect(allowedCaseEvents(caseRecord(), brigade, NOW)).toEqual(
      expect.arrayContaining(['return', 'merge']),
    );
    const inspected = advance(caseRecord(), { type: 'inspect', finding: 'violation_confirmed' });
    expect(allowedCaseEvents(inspected, brigade, NOW)).not.toContain('return');
  });

  it('offers nothing to partners or to another area’s bureau', () => {
    expect(core(allowedCaseEvents(caseRecord(), partner, NOW))).toEqual([]);
    expect(core(allowedCaseEvents(caseRecord(), otherBureau, NOW))).toEqual([]);
  });

  it('agrees with the state machine for every event type and state it lists', () => {
    const states = [
      caseRecord(),
      advance(caseRecord(), { type: 'acknowledge' }),
      advance(caseRecord(), { type: 'inspect', finding: 'violation_confirmed' }),
      advance(caseRecord(), { type: 'close', outcome: '办结' }),
    ];
    const bodies: CaseEventBody[] = [
      { type: 'acknowledge' },
      { type: 'inspect', finding: 'violation_confirmed' },
      { type: 'stop', result: 'stopped' },
      { type: 'notify_town' },
      { type: 'close', outcome: '已整改' },
      { type: 'reassign', area: 'guli' },
      { type: 'comment', note: '备注' },
    ];
    for (const record of states)
      for (const principal of [brigade, bureau, partner]) {
        const allowed = allowedCaseEvents(record, principal, NOW);
        for (const body of bodies)
          expect(allowed.includes(body.type), `${record.status} ${body.type}`).toBe(
            applyCaseEvent(record, body, principal, context).ok,
          );
      }
  });
});
