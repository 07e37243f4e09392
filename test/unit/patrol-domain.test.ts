/**
 * The pure rules of recording a patrol (contract section 7): the body's field rules, who may record
 * which kind where, the late-entry rule over holidays and 调休, the patrol number, the track in
 * WGS-84, places against the gazetteer, and a finding as a case.
 */
import * as gcoordModule from 'gcoord';
import { describe, expect, it } from 'vitest';
import { getJurisdiction } from '../../shared/config/jurisdiction/load.js';
import { WorkingCalendar } from '../../shared/domain/calendar.js';
import { DEFAULT_DEADLINE_POLICY } from '../../shared/domain/deadlines.js';
import {
  CASE_ID_PATTERN,
  deriveFindingAnchorId,
  derivePatrolId,
  PATROL_ID_PATTERN,
} from '../../shared/domain/ids.js';
import type { Principal } from '../../shared/domain/model.js';
import { findingCase } from '../../shared/domain/patrol-findings.js';
import {
  formatPatrolNo,
  futureEndIssue,
  isTooLate,
  lateEntryDeadline,
  patrolBodySchema,
  patrolRecordingRefusal,
  storedTrack,
} from '../../shared/domain/patrol-input.js';
import { resolvePatrolPlace } from '../../shared/domain/patrol-places.js';
import { zodIssuesToDetails } from '../../shared/domain/validation-details.js';

const calendar = new WorkingCalendar();

const body = (overrides: Record<string, unknown> = {}) => ({
  clientId: 'c-1',
  kind: 'bureau',
  area: 'meili',
  startedAt: '2026-11-30T09:00:00+08:00',
  endedAt: '2026-11-30T11:30:00+08:00',
  officers: ['王五', '赵六'],
  route: '珍门社区—珍北村—沈市村',
  places: ['珍北村', '沈市村'],
  focus: ['basic_farmland', 'urban_rural_fringe'],
  track: {
    type: 'LineString',
    coordinates: [
      [120.93, 31.68],
      [120.95, 31.69],
    ],
    crs: 'gcj02',
  },
  findings: [
    {
      description: '新建彩钢棚约200平方米',
      address: '梅李镇珍北村五组',
      violationType: 'illegal_occupation',
      party: '某物流公司',
      measures: '现场制止，下达停工通知',
      stopped: true,
      photos: ['https://example.org/f1.jpg'],
    },
  ],
  note: '…',
  ...overrides,
});

const failures = (value: unknown) => {
  const parsed = patrolBodySchema.safeParse(value);
  return parsed.success ? [] : zodIssuesToDetails(parsed.error.issues);
};

describe('the patrol body', () => {
  it("accepts the contract's example as it is", () => {
    expect(failures(body())).toEqual([]);
    const parsed = patrolBodySchema.parse(body({ focus: ['basic_farmland', 'basic_farmland'] }));
    expect(parsed.focus).toEqual(['basic_farmland']);
    expect(parsed.findings[0]!.stopped).toBe(true);
    expect(patrolBodySchema.parse(body({ findings: [{ description: '挖土' }] })).findings[0]!.stopped).toBe(
      false,
    );
  });

  it('names every failing field', () => {
    const paths = (value: unknown) => failures(value).map((detail) => detail.path);
    expect(paths(body({ kind: 'walk', area: 'nowhere' }))).toEqual(['kind', 'area']);
    expect(paths(body({ startedAt: '2026-11-30 09:00', officers: [] }))).toEqual(['startedAt', 'officers']);
    expect(paths(body({ officers: Array.from({ length: 21 }, (_, i) => `官${i}`) }))).toEqual(['officers']);
    expect(paths(body({ officers: ['  '] }))).toEqual(['officers.0']);
    expect(paths(body({ focus: ['farmland'] }))).toEqual(['focus.0']);
    expect(paths(body({ track: { type: 'Point', coordinates: [120, 31] } }))).toEqual([
      'track.type',
      'track.coordinates.0',
      'track.coordinates.1',
    ]);
    expect(paths(body({ track: { type: 'LineString', coordinates: [[120, 31]] } }))).toEqual([
      'track.coordinates',
    ]);
    expect(
      paths(
        body({
          track: {
            type: 'LineString',
            coordinates: [
              [120, 31],
              [200, 31],
            ],
            crs: 'wgs84',
          },
        }),
      ),
    ).toEqual(['track.coordinates.1']);
    expect(
      paths(
        body({
          track: {
            type: 'LineString',
            coordinates: [
              [120, 31],
              [121, 31],
            ],
            crs: 'utm',
          },
        }),
      ),
    ).toEqual(['track.crs']);
    expect(
      paths(body({ findings: [{ description: ' ', violationType: 'theft', photos: ['ftp://x'] }] })),
    ).toEqual(['findings.0.description', 'findings.0.violationType', 'findings.0.photos.0']);
  });

  it('wants endedAt after startedAt and at most 24 hours after it', () => {
    expect(failures(body({ endedAt: '2026-11-30T09:00:00+08:00' }))).toEqual([
      { path: 'endedAt', message: '须晚于startedAt' },
    ]);
    expect(failures(body({ endedAt: '2026-12-01T09:00:01+08:00' }))).toEqual([
      { path: 'endedAt', message: '不得晚于startedAt之后24小时' },
    ]);
    expect(failures(body({ endedAt: '2026-12-01T09:00:00+08:00' }))).toEqual([]);
  });

  it('never echoes a submitted value in a detail', () => {
    const text = JSON.stringify(failures(body({ kind: 'SECRET-KIND', officers: ['SECRET'.repeat(20)] })));
    expect(text).not.toContain('SECRET');
  });
});

describe('who records which patrol where', () => {
  const cases: Array<[Principal, string, string, boolean]> = [
    [{ kind: 'bureau', area: 'meili' }, 'bureau', 'meili', true],
    [{ kind: 'bureau', area: 'meili' }, 'bureau', 'guli', false],
    [{ kind: 'bureau', area: 'meili' }, 'spot_check', 'meili', false],
    [{ kind: 'brigade' }, 'brigade', 'guli', true],
    [{ kind: 'brigade' }, 'spot_check', 'haiyu', true],
    [{ kind: 'brigade' }, 'supervision', 'meili', true],
    [{ kind: 'brigade' }, 'bureau', 'meili', false],
    [{ kind: 'brigade' }, 'leader', 'meili', false],
    [{ kind: 'leader', district: 'district-3' }, 'leader', 'meili', true],
    [{ kind: 'leader', district: 'district-3' }, 'leader', 'guli', false],
    [{ kind: 'leader', district: 'district-3' }, 'bureau', 'meili', false],
    [{ kind: 'partner', department: 'police' }, 'bureau', 'meili', false],
    [{ kind: 'source', source: '12336' }, 'leader', 'meili', false],
  ];
  it.each(cases)('%j records %s of %s: %s', (principal, kind, area, allowed) => {
    expect(patrolRecordingRefusal(principal, kind as never, area as never) === undefined).toBe(allowed);
  });
});

describe('the clock and the late-entry rule', () => {
  it('takes endedAt up to 5 minutes ahead of the clock, not more', () => {
    const now = new Date('2026-11-30T03:30:00Z');
    expect(futureEndIssue('2026-11-30T11:35:00+08:00', now)).toBeUndefined();
    expect(futureEndIssue('2026-11-30T11:35:01+08:00', now)).toEqual({
      path: 'endedAt',
      message: '不得晚于当前时间5分钟以上',
    });
  });

  it('allows recording until 23:59:59 of the second working day after the patrol ended', () => {
    // Friday: Monday and Tuesday are the two working days.
    const ended = '2026-11-27T18:00:00+08:00';
    expect(lateEntryDeadline(ended, calendar, 2)).toBe('2026-12-01T23:59:59+08:00');
    expect(isTooLate(ended, new Date('2026-12-01T23:59:59+08:00'), calendar, 2)).toBe(false);
    expect(isTooLate(ended, new Date('2026-12-01T23:59:59.999+08:00'), calendar, 2)).toBe(false);
    expect(isTooLate(ended, new Date('2026-12-02T00:00:00+08:00'), calendar, 2)).toBe(true);
  });

  it('counts official holidays out and 调休 make-up days in', () => {
    // 2026 National Day holiday: 1-7 October; Saturday 10 October is a make-up working day.
    expect(lateEntryDeadline('2026-09-30T17:00:00+08:00', calendar, 2)).toBe('2026-10-09T23:59:59+08:00');
    expect(lateEntryDeadline('2026-10-09T17:00:00+08:00', calendar, 2)).toBe('2026-10-12T23:59:59+08:00');
    // A patrol ending after midnight counts from the Shanghai day it ended on.
    expect(lateEntryDeadline('2026-10-09T16:30:00Z', calendar, 1)).toBe('2026-10-12T23:59:59+08:00');
  });
});

describe('the patrol number', () => {
  it('is XC-<area>-<Shanghai day of startedAt>-<two-digit serial>', () => {
    expect(formatPatrolNo('meili', '2026-11-30T09:00:00+08:00', 1)).toBe('XC-meili-20261130-01');
    expect(formatPatrolNo('meili', '2026-11-29T16:30:00Z', 12)).toBe('XC-meili-20261130-12');
    expect(formatPatrolNo('resort', '2026-12-31T23:59:00+08:00', 3)).toBe('XC-resort-20261231-03');
  });

  it('derives patrol ids from caller and clientId, and finding anchors from the patrol', () => {
    const id = derivePatrolId('bureau:meili', 'c-1');
    expect(id).toMatch(PATROL_ID_PATTERN);
    expect(derivePatrolId('bureau:meili', 'c-1')).toBe(id);
    expect(derivePatrolId('bureau:guli', 'c-1')).not.toBe(id);
    expect(deriveFindingAnchorId(id, 0)).not.toBe(deriveFindingAnchorId(id, 1));
    expect(deriveFindingAnchorId(id, 0)).toMatch(/^fnd_[a-z2-7]{26}$/);
  });
});

describe('the GPS track', () => {
  // As shared/domain/geo.ts reads the library: its CommonJS build is the namespace or its default.
  type Gcoord = {
    transform(input: [number, number], from: string, to: string): [number, number];
    WGS84: string;
    GCJ02: string;
    BD09: string;
  };
  const loaded = gcoordModule as unknown as Gcoord & { default?: Gcoord };
  const gcoord: Gcoord = loaded.default ?? loaded;

  it('keeps a WGS-84 track as it is', () => {
    const track = storedTrack({
      type: 'LineString',
      coordinates: [
        [120.93, 31.68],
        [120.95, 31.69],
      ],
    });
    expect(track).toEqual({
      type: 'LineString',
      coordinates: [
        [120.93, 31.68],
        [120.95, 31.69],
      ],
      crs: 'wgs84',
    });
  });

  it('converts gcj02 and bd09 to WGS-84 (a few hundred metres around 常熟), keeping what was sent', () => {
    const wgs84 = [120.93, 31.68];
    for (const crs of ['gcj02', 'bd09'] as const) {
      const sent = gcoord.transform(
        wgs84 as [number, number],
        gcoord.WGS84,
        crs === 'gcj02' ? gcoord.GCJ02 : gcoord.BD09,
      );
      const track = storedTrack({ type: 'LineString', coordinates: [sent, sent], crs });
      expect(track.crs).toBe(crs);
      expect(track.coordinates[0]).toEqual(sent);
      expect(track.wgs84![0]![0]).toBeCloseTo(wgs84[0]!, 5);
      expect(track.wgs84![0]![1]).toBeCloseTo(wgs84[1]!, 5);
      expect(Math.abs(sent[0] - wgs84[0]!) + Math.abs(sent[1] - wgs84[1]!)).toBeGreaterThan(0.002);
    }
  });

  it('takes cgcs2000 as WGS-84 (centimetres apart) and keeps an altitude', () => {
    const track = storedTrack({
      type: 'LineString',
      coordinates: [
        [120.93, 31.68, 5],
        [120.95, 31.69, 6],
      ],
      crs: 'cgcs2000',
    });
    expect(track.wgs84).toEqual([
      [120.93, 31.68, 5],
      [120.95, 31.69, 6],
    ]);
  });
});

describe('places against the gazetteer', () => {
  const jurisdiction = getJurisdiction();

  it('resolves villages of the patrol’s area to their gazetteer names', () => {
    expect(resolvePatrolPlace('珍北村', 'meili', jurisdiction)).toEqual({
      name: '珍北村',
      area: 'meili',
      matched: '珍北村',
      kind: 'village',
    });
    expect(resolvePatrolPlace('珍北', 'meili', jurisdiction)).toMatchObject({
      area: 'meili',
      matched: '珍北村',
    });
    expect(resolvePatrolPlace('梅李镇沈市村五组', 'meili', jurisdiction)).toMatchObject({
      area: 'meili',
      matched: '沈市村',
      kind: 'village',
    });
  });

  it('places a name of another area there, and keeps an unknown one unresolved', () => {
    expect(resolvePatrolPlace('唐市社区', 'meili', jurisdiction)).toMatchObject({ area: 'shajiabang' });
    expect(resolvePatrolPlace('不存在的地方', 'meili', jurisdiction)).toEqual({
      name: '不存在的地方',
      area: null,
      matched: null,
    });
  });
});

describe('a finding as a case', () => {
  const patrol = {
    patrolId: derivePatrolId('bureau:meili', 'c-1'),
    kind: 'bureau' as const,
    area: 'meili' as const,
    endedAt: '2026-11-30T11:30:00+08:00',
    recordedBy: 'bureau:meili',
    actor: { name: '王五' },
  };
  const options = { calendar, policy: DEFAULT_DEADLINE_POLICY, now: new Date('2026-11-30T04:00:00Z') };
  const finding = patrolBodySchema.parse(body()).findings[0]!;

  it('is a patrol case in the patrol’s area, acknowledged and inspected, its stop deadline from endedAt', () => {
    const { anchor, draft } = findingCase(patrol, { ...finding, stopped: false }, 0, options);
    expect(draft).toMatchObject({
      status: 'inspected',
      area: 'meili',
      areaName: '梅李镇',
      district: 'district-3',
      bureau: 'bureau:meili',
      source: 'patrol',
      patrolId: patrol.patrolId,
      tips: [],
      reporter: { anonymous: true },
      violationType: 'illegal_occupation',
      severity: 'normal',
    });
    expect(draft.caseId).toMatch(CASE_ID_PATTERN);
    expect(anchor).toMatchObject({
      tipId: deriveFindingAnchorId(patrol.patrolId, 0),
      source: 'patrol',
      caseId: draft.caseId,
    });
    // Monday 11:30: three working days → Thursday; close: 15 working days.
    expect(draft.deadlines.map((d) => [d.kind, d.dueAt, d.metAt])).toEqual([
      ['stop', '2026-12-03T23:59:59+08:00', null],
      ['close', '2026-12-21T23:59:59+08:00', null],
    ]);
    expect(draft.events.map((event) => event.type)).toEqual(['created', 'acknowledge', 'inspect']);
    expect(draft.events[2]).toMatchObject({
      finding: 'violation_confirmed',
      by: 'bureau:meili',
      actor: { name: '王五' },
    });
    // 彩钢棚 is construction on the land: planning and urban management, as for a tip.
    expect(draft.partners).toEqual(['planning', 'urban_management']);
  });

  it('meets the stop deadline at once when stopped on site', () => {
    const { draft } = findingCase(patrol, finding, 0, options);
    expect(draft.status).toBe('stopping');
    expect(draft.deadlines[0]).toMatchObject({ kind: 'stop', metAt: patrol.endedAt });
    expect(draft.events.at(-1)).toMatchObject({
      type: 'stop',
      result: 'stopped',
      note: '现场制止，下达停工通知',
    });
  });

  it('is the same case for the same patrol and place, another for another', () => {
    expect(findingCase(patrol, finding, 0, options).draft.caseId).toBe(
      findingCase(patrol, finding, 0, options).draft.caseId,
    );
    expect(findingCase(patrol, finding, 1, options).draft.caseId).not.toBe(
      findingCase(patrol, finding, 0, options).draft.caseId,
    );
  });

  it('infers the violation type when the finding gives none, and grades severity as for tips', () => {
    const { draft } = findingCase(
      patrol,
      { description: '有人在基本农田上挖塘，占地约八亩', stopped: false },
      0,
      options,
    );
    expect(draft.violationType).toBe('farmland_destruction');
    expect(draft.severity).toBe('major');
    // Major: the stop deadline is 24 hours after the patrol ended.
    expect(draft.deadlines[0]!.dueAt).toBe('2026-12-01T11:30:00+08:00');
  });
});
