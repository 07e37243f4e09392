/**
 * The console's pure parts: its Chinese words for every code, the deadline lights, the error
 * sentences, the periods, and the event bodies its forms make (checked against the API's own
 * schema, so a form can never send what the API refuses).
 */
import { describe, expect, it } from 'vitest';
import { errorMessage } from '../../console/src/api/errors.js';
import type { CaseView, Deadline } from '../../console/src/api/types.js';
import { deadlineLight, formatSpan, formatTime, nextDeadline } from '../../console/src/deadlines.js';
import { eventBody, formFor, missingFields } from '../../console/src/events.js';
import {
  ACTION_NAMES,
  AREA_DISTRICTS,
  AREA_NAMES,
  ASSESSMENT_ITEM_NAMES,
  COMPLIANCE_STATUS_NAMES,
  DEPARTMENT_NAMES,
  DISTRICT_NAMES,
  EVENT_NAMES,
  FINDING_NAMES,
  FOCUS_NAMES,
  LEDGER_KIND_NAMES,
  LEDGER_REASON_NAMES,
  label,
  PATROL_KIND_NAMES,
  principalLabel,
  principalOfGroups,
  REPORT_STATUS_NAMES,
  REQUIREMENT_NAMES,
  RESOLUTION_NAMES,
  ROUTING_METHOD_NAMES,
  SOURCE_NAMES,
  STATUS_NAMES,
  STOP_RESULT_NAMES,
  VIOLATION_TYPE_NAMES,
} from '../../console/src/labels.js';
import { isoWeek, periodLabel, previousMonth, quarterOf } from '../../console/src/periods.js';
import { AREAS, DISTRICTS } from '../../shared/config/jurisdiction/areas.js';
import { CASE_EVENT_TYPES, caseEventBodySchema } from '../../shared/domain/case-events.js';
import {
  CASE_STATUSES,
  DEADLINE_KINDS,
  PARTNER_DEPARTMENTS,
  SOURCES,
  VIOLATION_TYPES,
} from '../../shared/domain/model.js';
import { caseRecord } from '../support/case-record.js';

const LATIN = /[A-Za-z]/;

describe('the console’s words', () => {
  it('name every area and district as the jurisdiction does', () => {
    expect(AREA_NAMES).toEqual(Object.fromEntries(AREAS.map((area) => [area.id, area.name])));
    expect(AREA_DISTRICTS).toEqual(Object.fromEntries(AREAS.map((area) => [area.id, area.district])));
    expect(DISTRICT_NAMES).toEqual(
      Object.fromEntries(DISTRICTS.map((district) => [district.id, district.name])),
    );
  });

  it('have a word for every code of the API', () => {
    const covers = (names: Record<string, string>, codes: readonly string[]) =>
      expect(codes.filter((code) => !names[code])).toEqual([]);
    covers(VIOLATION_TYPE_NAMES, VIOLATION_TYPES);
    covers(STATUS_NAMES, CASE_STATUSES);
    covers(DEPARTMENT_NAMES, PARTNER_DEPARTMENTS);
    covers(SOURCE_NAMES, [...SOURCES, 'patrol']);
    covers(EVENT_NAMES, [
      ...CASE_EVENT_TYPES,
      'created',
      'amended',
      'deadline_breached',
      'deadlines_recomputed',
    ]);
    covers(ACTION_NAMES, CASE_EVENT_TYPES);
    covers(EVENT_NAMES, DEADLINE_KINDS);
  });

  it('are Chinese (digits of the hotline numbers aside)', () => {
    const tables = [
      AREA_NAMES,
      DISTRICT_NAMES,
      DEPARTMENT_NAMES,
      VIOLATION_TYPE_NAMES,
      STATUS_NAMES,
      SOURCE_NAMES,
      EVENT_NAMES,
      ACTION_NAMES,
      FINDING_NAMES,
      STOP_RESULT_NAMES,
      RESOLUTION_NAMES,
      ROUTING_METHOD_NAMES,
      PATROL_KIND_NAMES,
      FOCUS_NAMES,
      REQUIREMENT_NAMES,
      COMPLIANCE_STATUS_NAMES,
      REPORT_STATUS_NAMES,
      LEDGER_KIND_NAMES,
      LEDGER_REASON_NAMES,
      ASSESSMENT_ITEM_NAMES,
    ];
    const latin = tables.flatMap((table) => Object.values(table)).filter((word) => LATIN.test(word));
    expect(latin).toEqual([]);
    expect(label(STATUS_NAMES, 'some_new_status')).toBe('其他');
  });

  it('name principals as the bureau practice does', () => {
    expect(principalLabel('bureau:meili')).toBe('梅李镇国土分局');
    expect(principalLabel('brigade')).toBe('国土资源监察大队');
    expect(principalLabel('partner:urban_management')).toBe('城管执法局');
    expect(principalLabel('leader:district-3')).toBe('第三片区责任领导');
    expect(principalLabel('system')).toBe('系统');
    expect(LATIN.test(principalLabel('bureau:nowhere'))).toBe(false);
  });

  it('map Cognito groups to one principal, as the API does', () => {
    expect(principalOfGroups(['bureau-meili', 'admins'])).toBe('bureau:meili');
    expect(principalOfGroups(['brigade'])).toBe('brigade');
    expect(principalOfGroups(['partner-police', 'brigade'])).toBeUndefined();
    expect(principalOfGroups(undefined)).toBeUndefined();
  });
});

describe('deadline lights', () => {
  const due = Date.parse('2026-12-01T15:59:59Z');
  const open: Deadline = {
    kind: 'acknowledge',
    dueAt: '2026-12-01T23:59:59+08:00',
    metAt: null,
    breachedAt: null,
    countedFrom: '2026-11-28T09:15:00+08:00',
  };
  const lead = 2 * 3_600_000;

  it('are green with time left, yellow from the reminder, red once breached', () => {
    expect(deadlineLight(open, 'assigned', due - lead - 1, lead)).toBe('ok');
    expect(deadlineLight(open, 'assigned', due - lead, lead)).toBe('warning');
    expect(deadlineLight(open, 'assigned', due, lead)).toBe('breached');
    expect(deadlineLight({ ...open, breachedAt: '2026-12-01T16:00:00Z' }, 'assigned', due - 1, lead)).toBe(
      'breached',
    );
    expect(deadlineLight({ ...open, metAt: '2026-11-29T01:00:00Z' }, 'acknowledged', due + 1, lead)).toBe(
      'met',
    );
    expect(deadlineLight(open, 'closed', due + 1, lead)).toBe('closed');
    expect(deadlineLight(open, 'assigned', due - 1, 0)).toBe('ok');
  });

  it('turn yellow halfway for a deadline opened less than the lead before it is due', () => {
    const major: Deadline = { ...open, dueAt: '2026-11-28T11:15:00+08:00' };
    const halfway = Date.parse('2026-11-28T10:15:00+08:00');
    expect(deadlineLight(major, 'assigned', halfway - 1, lead)).toBe('ok');
    expect(deadlineLight(major, 'assigned', halfway, lead)).toBe('warning');
  });

  it('show the unmet deadline due first, spans and Shanghai times', () => {
    const close: Deadline = { ...open, kind: 'close', dueAt: '2026-12-18T23:59:59+08:00' };
    expect(nextDeadline([close, open])?.kind).toBe('acknowledge');
    expect(nextDeadline([{ ...open, metAt: '2026-11-29T01:00:00Z' }, close])?.kind).toBe('close');
    expect(formatSpan(2 * 86_400_000 + 3 * 3_600_000 + 5 * 60_000)).toBe('2天3小时');
    expect(formatSpan(3 * 3_600_000 + 15 * 60_000)).toBe('3小时15分');
    expect(formatSpan(30_000)).toBe('1分钟');
    expect(formatTime('2026-11-30T16:05:00Z')).toBe('2026-12-01 00:05');
  });
});

describe('error sentences', () => {
  it('say in Chinese what failed, naming fields and missing functions', () => {
    expect(errorMessage(404, { error: { code: 'not_found' } }, '巡查台账')).toMatch(
      /“巡查台账”的服务接口尚未开通/,
    );
    expect(errorMessage(404, undefined, '考核')).toMatch(/尚未开通/);
    expect(errorMessage(404, { error: { code: 'not_found' } })).toMatch(/未找到/);
    expect(errorMessage(409, { error: { code: 'invalid_transition' } })).toMatch(/不允许此操作/);
    expect(
      errorMessage(400, {
        error: { code: 'validation_failed', details: [{ path: 'outcome' }, { path: 'findings.0.photos.1' }] },
      }),
    ).toBe('填写内容有误，请检查：办结情况、发现问题·照片。');
    expect(errorMessage(418, {})).toBe('请求失败（状态码 418）。');
    for (const status of [401, 403, 500, 503])
      expect(LATIN.test(errorMessage(status, undefined))).toBe(false);
  });
});

describe('periods', () => {
  it('name ISO weeks, months and quarters in Shanghai time', () => {
    expect(isoWeek(Date.parse('2026-11-30T00:30:00+08:00'))).toBe('2026-W49');
    expect(isoWeek(Date.parse('2026-11-29T23:30:00+08:00'))).toBe('2026-W48');
    expect(isoWeek(Date.parse('2027-01-01T00:00:30+08:00'))).toBe('2026-W53');
    expect(isoWeek(Date.parse('2026-01-01T12:00:00+08:00'))).toBe('2026-W01');
    expect(previousMonth(Date.parse('2027-01-01T00:00:30+08:00'))).toBe('2026-12');
    expect(previousMonth(Date.parse('2026-12-31T16:30:00Z'))).toBe('2026-12');
    expect(quarterOf(Date.parse('2026-09-30T17:30:00+08:00'))).toBe('2026-Q3');
    expect(periodLabel('2026-W49')).toBe('2026年第49周');
    expect(periodLabel('2026-11')).toBe('2026年11月');
    expect(periodLabel('2026-Q4')).toBe('2026年第四季度');
  });
});

describe('the case action forms', () => {
  const view = { ...caseRecord(), overdue: false } as unknown as CaseView;

  it('make bodies the API accepts for every event type', () => {
    const filled: Record<string, string> = {
      finding: 'violation_confirmed',
      result: 'failed',
      outcome: '已拆除',
      reply: '经核查属实',
      area: 'guli',
      dueAt: '2026-12-31T17:00:00+08:00',
      reason: '需协调镇政府',
      legalBasis: '《土地管理法》',
      intoCaseId: 'case_bbbbbbbbbbbbbbbbbbbbbbbbbb',
      tipId: 'tip_aaaaaaaaaaaaaaaaaaaaaaaaaa',
      note: ' 备注 ',
    };
    for (const type of CASE_EVENT_TYPES) {
      const fields = formFor(type, view);
      const values = Object.fromEntries(
        fields.map((field) => [field.key, filled[field.key] ?? field.initial ?? '']),
      );
      expect(missingFields(fields, values), type).toEqual([]);
      const body = eventBody(type, fields, values, 'ev-1');
      expect(caseEventBodySchema.safeParse(body).success, `${type}: ${JSON.stringify(body)}`).toBe(true);
    }
  });

  it('offer the other areas only for 改派, and ask for what is required', () => {
    const areas = formFor('reassign', view)[0]?.options?.map((option) => option.value);
    expect(areas).not.toContain('shajiabang');
    expect(areas).toHaveLength(11);
    const close = formFor('close', view);
    expect(missingFields(close, { outcome: ' ', resolution: 'resolved' })).toEqual(['办结情况']);
    expect(
      eventBody('close', close, { outcome: ' 已拆除 ', reply: '', resolution: 'resolved' }, 'ev-2'),
    ).toEqual({
      type: 'close',
      eventId: 'ev-2',
      outcome: '已拆除',
      resolution: 'resolved',
    });
  });
});
