/**
 * Contract 11 (issue 12): what people read is Simplified Chinese. Every notification kind's SMS,
 * subject and e-mail, every routing and triage explanation over the routing evaluation set, the
 * severity and partner reasons, the deadlines' bases, the ledger's details and the state machine's
 * refusals hold no Latin word but ids (case_…, tip_…) and case numbers (2026-000042).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { getJurisdiction, withBoundaries } from '../../shared/config/jurisdiction/load.js';
import { scoreQuarter, scoreYear } from '../../shared/domain/assessment.js';
import { WorkingCalendar } from '../../shared/domain/calendar.js';
import { applyCaseEvent, type CaseEventBody } from '../../shared/domain/case-events.js';
import { labelCaseView } from '../../shared/domain/case-labels.js';
import { createCaseRules } from '../../shared/domain/case-rules.js';
import { initialDeadlines, notifyTownDeadline, stopDeadline } from '../../shared/domain/deadlines.js';
import { deliveryDisabledNotice, reopenNotice, urgeNotice } from '../../shared/domain/feedback-notices.js';
import {
  applyFollowUp,
  type FollowUpMessage,
  reopenedCloseDeadline,
} from '../../shared/domain/follow-ups.js';
import { parseBoundaries } from '../../shared/domain/geo.js';
import { dateLabel, dateTimeLabel, districtName, principalName } from '../../shared/domain/labels.js';
import { ledgerEntryFor } from '../../shared/domain/ledger.js';
import { supplementNotification } from '../../shared/domain/merge-notices.js';
import {
  type CanonicalTip,
  type CaseRecord,
  caseSnapshot,
  DEADLINE_KINDS,
  NOTIFICATION_KINDS,
  type Notification,
  type Principal,
} from '../../shared/domain/model.js';
import { computeMonthlyFigures } from '../../shared/domain/monthly-report.js';
import {
  assignmentNotification,
  escalationNotifications,
  jointEnforcementNotifications,
  reminderNotification,
  SMS_MAX_CHARS,
  specialReportNotifications,
} from '../../shared/domain/notifications.js';
import { DEFAULT_PATROL_REQUIREMENTS, PATROL_KINDS } from '../../shared/domain/patrol.js';
import {
  type CompliancePeriodKind,
  complianceRows,
  unitOutcomes,
} from '../../shared/domain/patrol-compliance.js';
import {
  futureEndIssue,
  patrolBodySchema,
  patrolRecordingRefusal,
} from '../../shared/domain/patrol-input.js';
import {
  patrolReminderNotice,
  patrolShortfallLedgerEntry,
  patrolShortfallNotices,
} from '../../shared/domain/patrol-notices.js';
import { type Period, parsePeriod } from '../../shared/domain/periods.js';
import {
  cityReportNotices,
  lateReportEntry,
  monthlyReportNotices,
  reportOverdueNotices,
  reportReminderNotice,
} from '../../shared/domain/report-notices.js';
import { routeTip } from '../../shared/domain/routing.js';
import { assessSeverity, choosePartners } from '../../shared/domain/severity.js';
import { zodIssuesToDetails } from '../../shared/domain/validation-details.js';
import { ERROR_ANSWERS } from '../../shared/http/error-responses.js';
import { readLedger } from '../../shared/usecases/ledger.js';
import { loadEvalSet } from '../routing/evaluate.js';
import { canonicalTip } from '../support/canonical-tip.js';
import { caseRecord } from '../support/case-record.js';
import { expectNoLatinWords, latinWords } from '../support/chinese-text.js';
import { MemoryLedgerStore } from '../support/memory-ledger.js';

const jurisdiction = getJurisdiction();
const calendar = new WorkingCalendar();
const rules = createCaseRules({ jurisdiction, calendar });
const envelope = { id: 'n1', at: '2026-11-28T01:16:00.000Z' };
const envelopeFor = (target: string) => ({ id: `n-${target}`, at: envelope.at });

/** The case intake and the router would make of `tip`, with every rule's own texts. */
function caseOf(tip: CanonicalTip, caseNo = '2026-000042'): CaseRecord {
  const routing = rules.route(tip);
  const classification = rules.classify(tip);
  return caseRecord({
    caseId: rules.caseIdFor(tip.tipId),
    caseNo,
    status: routing.area ? 'assigned' : 'triage',
    area: routing.area,
    areaName: routing.area ? rules.areaName(routing.area) : null,
    district: routing.district,
    bureau: routing.area ? `bureau:${routing.area}` : 'brigade',
    routing,
    description: tip.description,
    location: tip.location,
    ...classification,
    deadlines: rules.deadlines(tip, classification.severity),
  });
}

/** Tips that between them raise every notification kind, audience, reason and deadline text. */
const TIPS: CanonicalTip[] = [
  canonicalTip(),
  canonicalTip({
    externalId: '12336-major',
    urgency: 'urgent',
    description: '梅李镇珍北村有人聚众暴力阻挠执法，在基本农田上盗挖土方约八亩，并搭建彩钢棚出售小产权房',
    location: { address: '常熟市梅李镇珍北村', point: { lng: 120.9, lat: 31.6, crs: 'bd09' } },
  }),
  canonicalTip({
    externalId: '12336-triage',
    description: '有人在田里挖土，地点不详',
    location: { address: '某地' },
  }),
  canonicalTip({
    source: '12345',
    externalId: 'GD202611280123',
    title: '村里有人违法建房',
    description: '海虞镇福山村七组有人在承包地上建两层楼房，占地约20000m2',
    location: { address: '海虞镇福山村七组', region: '常熟市海虞镇' },
    sourceDeadline: '2026-12-04T17:00:00+08:00',
  }),
  canonicalTip({
    externalId: '12336-outside',
    description: '张家港市塘桥镇有人占用耕地',
    location: { address: '张家港市塘桥镇某村' },
  }),
];

function everyNotification(record: CaseRecord): Notification[] {
  const snapshot = caseSnapshot(record);
  const notifications = [
    assignmentNotification(snapshot, envelope),
    ...jointEnforcementNotifications(snapshot, envelopeFor),
    ...specialReportNotifications(snapshot, envelopeFor),
  ];
  // Every deadline kind, open (reminder) and breached (escalation), the ones events add included.
  const withAll: CaseRecord = {
    ...record,
    deadlines: [
      ...record.deadlines,
      stopDeadline('2026-11-30T10:00:00+08:00', record.severity, calendar),
      notifyTownDeadline('2026-12-03T10:00:00+08:00', record.severity, calendar),
    ],
  };
  for (const kind of DEADLINE_KINDS) {
    notifications.push(...escalationNotifications(caseSnapshot(withAll), kind, envelopeFor));
    const reminder = reminderNotification(caseSnapshot(withAll), kind, envelope);
    if (reminder) notifications.push(reminder);
  }
  return notifications;
}

describe('the Latin-word check itself', () => {
  it('allows ids and case numbers, and nothing else Latin', () => {
    expect(
      latinWords('案件2026-000042（case_abcdefghijklmnopqrstuvwxyz，tip_abcdefghijklmnopqrstuvwxyz）'),
    ).toEqual([]);
    expect(latinWords('违法类型：illegal_occupation，属地：梅李镇（district-3）')).toEqual([
      'illegal',
      'occupation',
      'district',
    ]);
    expect(latinWords('案件ID：x')).toEqual(['ID']);
    expect(latinWords('面积300m2')).toEqual([]);
  });
});

describe('notifications (contract 5 and 11)', () => {
  const records = TIPS.map((tip, index) => caseOf(tip, `2026-00004${index}`));

  it('cover every kind and audience of the existing notifications', () => {
    const all = records.flatMap(everyNotification);
    expect(new Set(all.map((n) => n.kind))).toEqual(
      new Set(['assignment', 'joint_enforcement', 'special_report', 'escalation', 'reminder']),
    );
    expect(new Set(all.map((n) => n.audience))).toEqual(new Set(['bureau', 'brigade', 'partner', 'town']));
    expect(new Set(all.filter((n) => n.kind === 'escalation').map((n) => n.deadline))).toEqual(
      new Set(DEADLINE_KINDS),
    );
  });

  it.each(records.map((record) => [record.caseNo, record] as const))(
    'case %s: every sms, subject and e-mail is Chinese but for ids and case numbers',
    (_caseNo, record) => {
      for (const notification of everyNotification(record)) {
        const what = `${notification.kind} to ${notification.target}`;
        expectNoLatinWords(notification.subject, `${what}: subject`);
        expectNoLatinWords(notification.sms, `${what}: sms`);
        expectNoLatinWords(notification.email, `${what}: email`);
        expect([...notification.sms].length).toBeLessThanOrEqual(SMS_MAX_CHARS);
      }
    },
  );

  it('names the violation type, the district and the bureau in Chinese (the issue’s example)', () => {
    const record = caseOf(
      canonicalTip({
        violationType: 'illegal_occupation',
        description: '有人在耕地上建房',
        location: { address: '常熟市梅李镇珍北村' },
      }),
    );
    const email = assignmentNotification(caseSnapshot(record), envelope).email;
    expect(email).toContain('违法类型：非法占用土地');
    expect(email).toContain('属地：梅李镇（第三片区）');
    expect(email).toContain('承办单位：梅李镇国土分局');
    expect(email).toContain(
      '分派依据：依据地址中的"梅李镇"分派至梅李镇国土分局（第三片区）；珍北村与此相符。',
    );
    expect(email).toContain('  签收：');
    const partner = jointEnforcementNotifications(caseSnapshot(record), envelopeFor)[0]!;
    expect(partner.email).toContain('抄送原因：涉及在土地上建设（建房）');
  });

  it('asks the brigade to reassign a triage case in words, not an event code', () => {
    const record = caseOf(TIPS[2]!);
    expect(record.area).toBeNull();
    const notification = assignmentNotification(caseSnapshot(record), envelope);
    expect(notification.email).toContain('请监察大队研判后改派至属地国土分局');
    expect(notification.email).toContain('承办单位：国土资源监察大队');
    expect(notification.email).toContain('分派依据：转监察大队研判：');
  });
});

describe('routing and triage explanations', () => {
  const rows = loadEvalSet();

  it('every decision over the routing evaluation set is explained in Chinese', () => {
    expect(rows.length).toBeGreaterThanOrEqual(300);
    const latin = rows.flatMap((row) => {
      const decision = routeTip({ location: row.location, text: '' }, jurisdiction);
      const words = latinWords(decision.explanation);
      return words.length > 0 ? [`line ${row.line}: ${decision.explanation}`] : [];
    });
    expect(latin).toEqual([]);
  });

  it('triage explanations say why, in Chinese, for every kind of triage', () => {
    const triaged = rows
      .map((row) => routeTip({ location: row.location, text: '' }, jurisdiction))
      .filter((decision) => decision.area === null);
    const methods = new Set(triaged.map((decision) => decision.method));
    for (const method of ['none', 'outside_city', 'conflict', 'address_town', 'village']) {
      expect(methods, method).toContain(method);
    }
    for (const decision of triaged) expect(decision.explanation).toMatch(/^转监察大队研判：.+。$/);
  });

  it('explains coordinates in Chinese, whatever the coordinate system', () => {
    const square = (area: string, lng: number, lat: number) => ({
      type: 'Feature',
      properties: { area },
      geometry: {
        type: 'Polygon',
        coordinates: [
          [
            [lng - 0.02, lat - 0.02],
            [lng + 0.02, lat - 0.02],
            [lng + 0.02, lat + 0.02],
            [lng - 0.02, lat + 0.02],
            [lng - 0.02, lat - 0.02],
          ],
        ],
      },
    });
    const bounded = withBoundaries(
      jurisdiction,
      parseBoundaries(
        {
          type: 'FeatureCollection',
          features: [square('guli', 120.9, 31.6), square('meili', 121.0, 31.7), square('haiyu', 121.0, 31.7)],
        },
        'synthetic.geojson',
      ),
    );
    for (const crs of ['wgs84', 'gcj02', 'bd09', 'cgcs2000'] as const) {
      for (const [lng, lat] of [
        [120.9, 31.6],
        [121.0, 31.7],
        [110, 30],
      ] as const) {
        for (const location of [
          {},
          { town: '沙家浜镇' },
          { address: '古里镇紫霞村' },
          { address: '李袁村' },
        ]) {
          const decision = routeTip(
            { location: { ...location, point: { lng, lat, crs } }, text: '' },
            bounded,
          );
          expectNoLatinWords(decision.explanation, `${crs} ${lng},${lat} ${JSON.stringify(location)}`);
        }
      }
    }
    const unbounded = routeTip(
      { location: { point: { lng: 120.9, lat: 31.6, crs: 'wgs84' } }, text: '' },
      jurisdiction,
    );
    expectNoLatinWords(unbounded.explanation);
  });

  it('explains a reassignment in Chinese', () => {
    const record = caseOf(TIPS[2]!);
    const decision = applyCaseEvent(
      record,
      { type: 'reassign', area: 'meili' },
      { kind: 'brigade' },
      rules.eventContext(new Date('2026-11-28T03:00:00Z')),
    );
    expect(decision.ok && decision.record.routing.explanation).toBe('监察大队改派至梅李镇国土分局。');
  });
});

describe('severity and partner reasons', () => {
  const texts = [
    '有人在基本农田上建厂房，已经开始打地基',
    '发生群体暴力事件，有人持械围攻执法人员',
    '占用耕地十二亩建别墅，开发商在售楼',
    '基本农田被占约3500平方米',
    '占地2公顷',
    '林地被毁约20000m2',
    '有1.2km2土地被非法开采',
    '河道边有人非法采砂、盗运',
    '村民反映土地补偿款未发放',
  ];

  it.each(texts)('%s', (description) => {
    for (const urgency of ['normal', 'urgent'] as const) {
      const { severity, reasons } = assessSeverity({ urgency, description });
      for (const reason of reasons) expectNoLatinWords(reason, 'severity reason');
      const partners = choosePartners({ description }, severity);
      for (const reason of Object.values(partners.reasons)) expectNoLatinWords(reason!, 'partner reason');
    }
  });

  it('says each reason the way the rules do', () => {
    expect(assessSeverity({ urgency: 'urgent', description: '发生重大、突发事件' }).reasons).toEqual([
      '来源标注为紧急',
      '举报内容提及"重大"、"突发"',
    ]);
    expect(assessSeverity({ description: '林地被毁约20000m2' }).reasons).toEqual([
      '举报所述面积20000平方米（合30亩），达到其他土地10亩的标准',
    ]);
    expect(choosePartners({ description: '有人建房' }, 'normal').reasons.planning).toBe(
      '涉及在土地上建设（建房）',
    );
  });
});

describe('deadline bases', () => {
  const severities = ['normal', 'major'] as const;
  const instants = [
    '2026-11-28T09:15:00+08:00',
    '2026-09-30T17:30:00+08:00',
    '2026-11-28T15:30:00Z',
    // A year without an official schedule: provisional.
    '2099-12-31T10:00:00+08:00',
  ];

  it('are Chinese for every kind, span, origin and source deadline', () => {
    for (const severity of severities) {
      for (const receivedAt of instants) {
        const later = new Date(Date.parse(receivedAt) + 40 * 86_400_000).toISOString();
        const earlier = new Date(Date.parse(receivedAt) + 2 * 86_400_000).toISOString();
        for (const sourceDeadline of [undefined, earlier, later]) {
          const deadlines = [
            ...initialDeadlines(
              { receivedAt, severity, ...(sourceDeadline ? { sourceDeadline } : {}) },
              calendar,
            ),
            stopDeadline(receivedAt, severity, calendar),
            notifyTownDeadline(receivedAt, severity, calendar),
          ];
          for (const deadline of deadlines)
            expectNoLatinWords(deadline.basis ?? '', `${deadline.kind} basis`);
        }
      }
    }
  });

  it('name the day with its weekday, and a provisional count says why', () => {
    const [acknowledge] = initialDeadlines(
      { receivedAt: '2099-12-31T10:00:00+08:00', severity: 'normal' },
      calendar,
    );
    expect(acknowledge!.basis).toBe(
      '自受理之日2099年12月31日（星期四）起1个工作日（暂定：该年度官方节假日安排尚未载入）',
    );
    expect(stopDeadline('2026-11-30T10:00:00+08:00', 'major', calendar).basis).toBe(
      '自现场核查时间2026年11月30日10:00起24小时',
    );
  });
});

describe('ledger details and the state machine’s refusals', () => {
  it('write the ledger detail in Chinese', () => {
    const record = caseOf(TIPS[0]!);
    for (const kind of ['acknowledge', 'inspect'] as const) {
      const deadline = {
        ...record.deadlines.find((d) => d.kind === kind)!,
        breachedAt: '2026-12-02T00:00:00.000Z',
      };
      const entry = ledgerEntryFor(record, deadline, '2026-12-02T00:00:00.000Z')!;
      expectNoLatinWords(entry.detail!, 'ledger detail');
      expect(entry.detail).toContain(`时限${dateTimeLabel(deadline.dueAt)}`);
    }
  });

  it('name each ledger entry’s kind and bureau in the ledger view', async () => {
    const ledger = new MemoryLedgerStore();
    const record = caseOf(TIPS[0]!);
    const deadline = { ...record.deadlines[0]!, breachedAt: '2026-12-02T00:00:00.000Z' };
    await ledger.record(ledgerEntryFor(record, deadline, '2026-12-02T00:00:00.000Z')!);
    const clock = { now: () => new Date('2026-12-02T00:00:00.000Z') };
    const view = await readLedger({ kind: 'brigade' }, () => ({ year: 2026 }), { ledger, clock });
    expect(view.entries).toEqual([
      expect.objectContaining({
        kind: 'admonishment',
        kindLabel: '诫勉谈话',
        bureau: 'bureau:shajiabang',
        bureauName: '沙家浜镇国土分局',
        reasonLabel: '办理超时',
      }),
    ]);
  });

  it('refuse an event in Chinese', () => {
    const context = rules.eventContext(new Date('2026-11-28T03:00:00Z'));
    const bureau: Principal = { kind: 'bureau', area: 'shajiabang' };
    const refusals: Array<[CaseRecord, CaseEventBody, Principal]> = [
      [caseOf(TIPS[0]!), { type: 'stop', result: 'stopped' }, bureau],
      [caseOf(TIPS[0]!), { type: 'notify_town' }, bureau],
      [caseOf(TIPS[0]!), { type: 'reassign', area: 'guli' }, bureau],
      [caseOf(TIPS[0]!), { type: 'reassign', area: 'shajiabang' }, { kind: 'brigade' }],
      [{ ...caseOf(TIPS[0]!), status: 'closed' }, { type: 'acknowledge' }, bureau],
      [{ ...caseOf(TIPS[0]!), status: 'acknowledged' }, { type: 'acknowledge' }, bureau],
      [caseOf(TIPS[2]!), { type: 'acknowledge' }, { kind: 'brigade' }],
      [caseOf(TIPS[0]!), { type: 'acknowledge' }, { kind: 'bureau', area: 'guli' }],
    ];
    for (const [record, body, principal] of refusals) {
      const decision = applyCaseEvent(record, body, principal, context);
      expect(decision.ok).toBe(false);
      if (!decision.ok) expectNoLatinWords(decision.message, `${body.type} refused`);
    }
  });
});

describe('the case JSON carries each code with its Chinese name', () => {
  it('adds the labels next to the codes and keeps every field as it was', () => {
    const record: CaseRecord = {
      ...caseOf(TIPS[0]!),
      events: [
        { type: 'created', at: '2026-11-28T01:15:10.000Z', by: 'system' },
        {
          type: 'inspect',
          at: '2026-11-28T02:00:00.000Z',
          by: 'bureau:shajiabang',
          finding: 'violation_confirmed',
        },
        { type: 'stop', at: '2026-11-28T03:00:00.000Z', by: 'bureau:shajiabang', result: 'failed' },
        { type: 'something_new', at: '2026-11-28T04:00:00.000Z', by: 'system' },
      ],
    };
    const view = labelCaseView(record);
    expect(view).toMatchObject({
      status: 'assigned',
      statusLabel: '待签收',
      district: 'district-1',
      districtName: '第一片区',
      bureau: 'bureau:shajiabang',
      bureauName: '沙家浜镇国土分局',
      violationType: 'illegal_occupation',
      violationTypeLabel: '非法占用土地',
      severity: 'normal',
      severityLabel: '一般',
      partners: ['planning', 'urban_management'],
      partnerLabels: { planning: '城乡规划局', urban_management: '城管执法局' },
    });
    expect(view.routing).toMatchObject({ method: 'town_field', methodLabel: '依据所属镇字段' });
    expect(view.deadlines.map((d) => [d.kind, (d as { label?: string }).label])).toEqual([
      ['acknowledge', '签收'],
      ['inspect', '现场核查'],
      ['close', '办结'],
    ]);
    expect(view.tips[0]).toMatchObject({ source: '12336', sourceLabel: '12336国土资源违法举报' });
    expect(view.events).toEqual([
      expect.objectContaining({ type: 'created', label: '立案' }),
      expect.objectContaining({ type: 'inspect', label: '现场核查', findingLabel: '违法属实' }),
      expect.objectContaining({ type: 'stop', label: '制止', resultLabel: '制止无效' }),
      { type: 'something_new', at: '2026-11-28T04:00:00.000Z', by: 'system' },
    ]);
    // Codes keep their values and order; each label follows its code.
    const keys = Object.keys(view);
    expect(keys.indexOf('statusLabel')).toBe(keys.indexOf('status') + 1);
    expect(keys.slice(keys.indexOf('bureau'), keys.indexOf('bureau') + 3)).toEqual([
      'bureau',
      'districtName',
      'bureauName',
    ]);
    const {
      statusLabel,
      districtName: _d,
      bureauName,
      violationTypeLabel,
      severityLabel,
      partnerLabels,
      ...rest
    } = view;
    expect(Object.keys(rest)).toEqual(Object.keys(record));
  });

  it('names a triage case’s bureau and district plainly', () => {
    const view = labelCaseView(caseOf(TIPS[2]!));
    expect(view).toMatchObject({ status: 'triage', statusLabel: '待分派', bureauName: '国土资源监察大队' });
    expect(view.districtName).toBeNull();
  });
});

describe('the catalog’s date and name helpers', () => {
  it('write dates and times the Chinese way, in Shanghai time', () => {
    expect(dateLabel('2026-11-28T01:15:00Z')).toBe('2026年11月28日（星期六）');
    expect(dateLabel('2026-11-28T16:30:00Z')).toBe('2026年11月29日（星期日）');
    expect(dateLabel('2026-10-01')).toBe('2026年10月1日（星期四）');
    expect(dateTimeLabel('2026-11-30T15:59:59Z')).toBe('2026年11月30日23:59');
    expect(districtName('district-3')).toBe('第三片区');
    expect(principalName('bureau:meili')).toBe('梅李镇国土分局');
  });
});

// ---------------------------------------------------------------------------------------------
// Sections 7-10 (patrols, reports, what the sources say back, merged tips): their notices, the
// texts they store for people to read, and the refusals and field messages of their API.

const NOW = new Date('2026-12-02T02:00:00Z');

/** Every notice of the patrol rules: each unit of a week, a month and a quarter, decided short. */
function patrolTexts(): { notifications: Omit<Notification, 'id' | 'at'>[]; details: string[] } {
  const notifications: Omit<Notification, 'id' | 'at'>[] = [];
  const details: string[] = [];
  for (const id of ['2026-W49', '2026-11', '2026-Q4']) {
    const period = parsePeriod(id) as Period & { kind: CompliancePeriodKind };
    const rows = complianceRows(period, [], DEFAULT_PATROL_REQUIREMENTS, true);
    for (const outcome of unitOutcomes(rows)) {
      notifications.push(patrolReminderNotice(outcome, period, '2026-12-08T16:00:00Z').notification);
      notifications.push(...patrolShortfallNotices(outcome, period).map((n) => n.notification));
      const entry = patrolShortfallLedgerEntry(outcome, period, '2026-12-08T16:00:00Z', NOW.toISOString());
      if (entry) details.push(entry.detail!);
    }
  }
  return { notifications, details };
}

function reportTexts(): { notifications: Omit<Notification, 'id' | 'at'>[]; details: string[] } {
  const november = parsePeriod('2026-11')!;
  const figures = computeMonthlyFigures({
    period: november,
    cases: [],
    patrols: [],
    now: NOW,
    bureauWeekly: 2,
  });
  const submittedAt = '2026-12-03T02:00:00Z';
  const dueAt = '2026-12-07T15:59:59Z';
  const planned = [
    ...[true, false].flatMap((zeroReport) =>
      monthlyReportNotices({
        area: 'meili',
        month: '2026-11',
        figures,
        zeroReport,
        analysis: zeroReport ? null : '本月巡查发现违法占地两起，均已制止。',
        submittedAt,
      }),
    ),
    ...cityReportNotices({
      month: '2026-11',
      totals: figures,
      submittedBureaus: 11,
      bureaus: 12,
      analysis: null,
      submittedAt,
    }),
    reportReminderNotice('meili', '2026-11', dueAt),
    ...reportOverdueNotices('meili', '2026-11', dueAt),
  ];
  return {
    notifications: planned.map((n) => n.notification),
    details: [lateReportEntry('meili', '2026-11', dueAt, NOW.toISOString()).detail!],
  };
}

function followUp(kind: FollowUpMessage['kind'], extra: Partial<FollowUpMessage> = {}): FollowUpMessage {
  return {
    type: 'follow_up',
    kind,
    source: '12345',
    tipId: 'tip_aaaaaaaaaaaaaaaaaaaaaaaaaa',
    externalId: 'GD202611280123',
    webhookId: `msg_${kind}`,
    at: '2026-12-01T09:30:00+08:00',
    acceptedAt: '2026-12-01T01:30:01.000Z',
    note: '市民来电催办',
    ...extra,
  };
}

/** The urge and the reopening (with the events they leave) and a disabled feedback endpoint. */
function feedbackTexts() {
  const record = caseOf(TIPS[3]!);
  const urge = followUp('urge');
  const urged = applyFollowUp(record, urge, { now: NOW, calendar });
  const callback = followUp('callback', { satisfaction: 'dissatisfied', note: '房子还在建' });
  const reopened = applyFollowUp({ ...record, status: 'closed' }, callback, { now: NOW, calendar });
  const withdrawn = applyFollowUp(record, followUp('withdraw', { note: '市民撤回诉求' }), {
    now: NOW,
    calendar,
  });
  const notifications = [
    urgeNotice(urged.record, urge, urged.record.events.at(-1)!).notification,
    reopenNotice(reopened.record, callback, reopened.record.events.at(-1)!).notification,
    deliveryDisabledNotice({
      source: '12345',
      disabledAt: '2026-12-02T02:00:00.000Z',
      deliveryId: 'msg_abcdefghijklmnopqrstuvwxyz',
      responseCode: 410,
    }).notification,
  ];
  return { record, notifications, reopened: reopened.record, withdrawn: withdrawn.record };
}

function supplementTexts(): Omit<Notification, 'id' | 'at'>[] {
  const record = caseOf(TIPS[0]!);
  return [true, false].flatMap((becameMajor) =>
    [undefined, '2026-000007'].map((fromCaseNo) =>
      supplementNotification(caseSnapshot(record), {
        tipId: 'tip_bbbbbbbbbbbbbbbbbbbbbbbbbb',
        source: '12345',
        externalId: 'GD202611280124',
        content: {
          receivedAt: '2026-11-28T03:00:00Z',
          title: '又有人在建房',
          description: '沙家浜镇唐市社区有人在耕地上建房',
          location: { address: '沙家浜镇唐市社区' },
          urgency: 'normal',
          attachments: [],
        },
        reason: '同在唐市社区，描述相似（相似度0.80）',
        becameMajor,
        newPartners: becameMajor ? ['police'] : [],
        tightened: becameMajor ? record.deadlines.slice(0, 1) : [],
        ...(fromCaseNo ? { fromCaseNo } : {}),
      }),
    ),
  );
}

describe('the notices of patrols, reports, follow-ups and merged tips (sections 7-10)', () => {
  const all = [
    ...patrolTexts().notifications,
    ...reportTexts().notifications,
    ...feedbackTexts().notifications,
    ...supplementTexts(),
  ];

  it('cover every notification kind, with the ones of the first sections', () => {
    const records = TIPS.map((tip, index) => caseOf(tip, `2026-00004${index}`));
    const kinds = new Set([...records.flatMap(everyNotification), ...all].map((n) => n.kind));
    expect(kinds).toEqual(new Set(NOTIFICATION_KINDS));
  });

  it('every sms, subject and e-mail is Chinese but for ids and case numbers, each sms in one message', () => {
    for (const notification of all) {
      const what = `${notification.kind} to ${notification.target}`;
      // The sources' own order numbers are ids too.
      const ids = ['GD202611280123', 'GD202611280124'];
      expectNoLatinWords(notification.subject, `${what}: subject`, ids);
      expectNoLatinWords(notification.sms, `${what}: sms`, ids);
      expectNoLatinWords(notification.email, `${what}: email`, ids);
      expect([...notification.sms].length, `${what}: sms`).toBeLessThanOrEqual(SMS_MAX_CHARS);
    }
  });

  it('names the unit and the period in words, never their codes', () => {
    const texts = all.map((n) => `${n.subject}\n${n.sms}\n${n.email}`).join('\n');
    for (const code of ['bureau:', 'leader:', '2026-W49', '2026-Q4', 'meili/', 'urge', 'split'])
      expect(texts).not.toContain(code);
    expect(texts).toContain('梅李镇国土分局');
    expect(texts).toContain('2026年第49周');
    expect(texts).toContain('2026年11月');
    expect(texts).toContain('2026年第四季度');
  });
});

describe('what sections 7-10 store for people to read', () => {
  it('ledger details of patrol shortfalls and late reports', () => {
    const details = [...patrolTexts().details, ...reportTexts().details];
    expect(details.length).toBeGreaterThan(1);
    for (const detail of details) expectNoLatinWords(detail, 'ledger detail');
  });

  it('the reopening, its close deadline and the withdrawal', () => {
    const { reopened, withdrawn } = feedbackTexts();
    const event = reopened.events.at(-1)!;
    expect(event.type).toBe('reopened');
    expectNoLatinWords(String(event.note), 'reopened note');
    const close = reopened.deadlines.find((d) => d.kind === 'close')!;
    expect(close.basis).toBe('自回访不满意之日2026年12月1日（星期二）起5个工作日（重办）');
    expectNoLatinWords(
      reopenedCloseDeadline('2099-12-01T09:30:00+08:00', calendar).basis ?? '',
      'provisional reopen basis',
    );
    for (const e of withdrawn.events)
      if (typeof e.note === 'string') expectNoLatinWords(e.note, 'withdrawn note');
  });

  it('an approved extension’s basis and the refusals of the hotline events', () => {
    const context = rules.eventContext(NOW);
    const bureau: Principal = { kind: 'bureau', area: 'shajiabang' };
    const brigade: Principal = { kind: 'brigade' };
    const record = caseOf(TIPS[0]!);
    const request = {
      type: 'request_extension',
      dueAt: '2027-01-15T17:00:00+08:00',
      reason: '需测绘',
    } as const;
    const requested = applyCaseEvent(record, request, bureau, context);
    if (!requested.ok) throw new Error(requested.message);
    const approved = applyCaseEvent(requested.record, { type: 'approve_extension' }, brigade, context);
    if (!approved.ok) throw new Error(approved.message);
    const basis = approved.record.deadlines.find((d) => d.kind === 'close')!.basis!;
    expect(basis).toMatch(/^监察大队于2026年12月2日10:00批准延期（原办结时限.+）$/);
    expectNoLatinWords(basis, 'extension basis');

    const inspected: CaseRecord = {
      ...record,
      status: 'inspected',
      events: [...record.events, { type: 'inspect', at: NOW.toISOString(), by: 'bureau:shajiabang' }],
    };
    const refusals: Array<[CaseRecord, CaseEventBody, Principal]> = [
      [record, request, { kind: 'partner', department: 'police' }],
      [record, { ...request, dueAt: '2026-11-29T10:00:00+08:00' }, bureau],
      [requested.record, request, bureau],
      [record, { type: 'approve_extension' }, bureau],
      [record, { type: 'reject_extension' }, brigade],
      [record, { type: 'return', reason: '不属国土部门职责', legalBasis: '《土地管理法》' }, bureau],
      [inspected, { type: 'return', reason: '不属国土部门职责', legalBasis: '《土地管理法》' }, brigade],
    ];
    for (const [current, body, principal] of refusals) {
      const decision = applyCaseEvent(current, body, principal, context);
      expect(decision.ok, body.type).toBe(false);
      if (!decision.ok) expectNoLatinWords(decision.message, `${body.type} refused`);
    }
  });

  it('the assessment’s bases', () => {
    const facts = {
      weeks: 13,
      weeksMet: 12,
      bureauWeekly: 2,
      reportsDue: 3,
      reportsOnTime: 2,
      deadlinesDue: 20,
      deadlinesMet: 19,
      violationsConfirmed: 4,
      violationsConfirmedByPatrol: 3,
      admonishments: 1,
      criticisms: 0,
    };
    const empty = { ...facts, weeks: 0, weeksMet: 0, reportsDue: 0, reportsOnTime: 0, deadlinesDue: 0 };
    const items = [
      ...scoreQuarter(facts).items,
      ...scoreQuarter({ ...empty, deadlinesMet: 0, violationsConfirmed: 0 }).items,
      ...scoreYear(
        [
          { quarter: '2026-Q3', score: 90 },
          { quarter: '2026-Q4', score: 80.5 },
        ],
        95,
      ).items,
      ...scoreYear([], null).items,
    ];
    for (const item of items) expectNoLatinWords(item.basis, `${item.item} basis`);
  });
});

describe('the refusals and field messages of the patrol, report, feedback and merge API', () => {
  it('patrol recording refusals and the clock rule', () => {
    const principals: Principal[] = [
      { kind: 'bureau', area: 'meili' },
      { kind: 'leader', district: 'district-1' },
      { kind: 'brigade' },
      { kind: 'partner', department: 'police' },
    ];
    for (const principal of principals)
      for (const kind of PATROL_KINDS) {
        const refusal = patrolRecordingRefusal(principal, kind, 'meili');
        if (refusal)
          expectNoLatinWords(refusal.replace(/kind为[a-z_、或]+/g, ''), `${principal.kind} ${kind}`);
      }
    expectNoLatinWords(futureEndIssue('2026-12-02T11:00:00+08:00', NOW)!.message);
  });

  it('the patrol body’s own rules', () => {
    const parsed = patrolBodySchema.safeParse({
      kind: 'bureau',
      area: 'meili',
      startedAt: '2026-12-01T10:00:00+08:00',
      endedAt: '2026-12-01T09:00:00+08:00',
      officers: ['王五'],
      track: {
        type: 'LineString',
        coordinates: [
          [200, 31],
          [121, 31.6],
        ],
      },
      findings: [{ description: '有人建房', photos: ['ftp://example.com/a.jpg'] }],
    });
    expect(parsed.success).toBe(false);
    const details = zodIssuesToDetails(parsed.error!.issues);
    expect(details.map((d) => d.path).sort()).toEqual([
      'endedAt',
      'findings.0.photos.0',
      'track.coordinates.0',
    ]);
    // Fields keep their names (startedAt), and a link's protocols are named as people type them.
    for (const detail of details)
      expectNoLatinWords(detail.message, detail.path, ['startedAt', 'https', 'http']);
  });

  /**
   * Every message a use case or the HTTP layer hands to a ReportableError, and every field message
   * of a schema, in the source: none may be an English sentence (a message with no Chinese at all
   * and two or more Latin words). Config and operator tools (shared/config, composition, adapters,
   * the API_TOKENS and calendar files) are read by operators, not by the people using landline.
   */
  it('no English sentence is thrown or named as a field message', () => {
    const reportable = new Set([...ERROR_ANSWERS.keys()].map((errorClass) => errorClass.name));
    const operatorFiles = new Set(['shared/http/auth.ts', 'shared/domain/calendar.ts']);
    const pattern =
      /(?:new (\w+)\(|\b(?:forbid|refuse)\(|\b(?:message|error):\s*)\s*(['`"])((?:(?!\2)[^\\]|\\.)*)\2/g;
    const english: string[] = [];
    for (const dir of ['shared/usecases', 'shared/http', 'shared/domain']) {
      for (const file of readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
        const path = `${dir}/${file}`;
        if (!path.endsWith('.ts') || operatorFiles.has(path)) continue;
        const source = readFileSync(path, 'utf8');
        for (const match of source.matchAll(pattern)) {
          if (match[1] !== undefined && !reportable.has(match[1])) continue;
          const text = match[3]!;
          if (/[\u4e00-\u9fff]/.test(text) || latinWords(text).length < 2) continue;
          english.push(`${path}:${source.slice(0, match.index).split('\n').length}: ${text}`);
        }
      }
    }
    expect(english).toEqual([]);
  });
});
