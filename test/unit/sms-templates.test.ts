import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AREA_IDS, caseSnapshot, DEADLINE_KINDS, type Notification } from '../../shared/domain/model.js';
import {
  assignmentNotification,
  escalationNotifications,
  jointEnforcementNotifications,
  reminderNotification,
  specialReportNotifications,
} from '../../shared/domain/notifications.js';
import {
  allSmsTemplates,
  generalTemplateKey,
  matchTemplate,
  renderTemplate,
  SMS_KINDS,
  SMS_TEMPLATE_KEYS,
  SMS_TEMPLATES,
  smsTemplateFor,
  stripSignature,
  templateVariables,
  UnknownSmsKindError,
} from '../../shared/domain/sms-templates.js';
import { caseRecord } from '../support/case-record.js';

/** Every kind of contract section 5, including those sections 7-10 add. */
const CONTRACT_KINDS = [
  'assignment',
  'joint_enforcement',
  'special_report',
  'escalation',
  'reminder',
  'patrol_reminder',
  'patrol_shortfall',
  'monthly_report',
  'report_reminder',
  'report_overdue',
  'urge',
  'reopen',
  'supplement',
  'delivery_disabled',
];

/** Alibaba Cloud's limit per variable of a notification template. */
const ALIYUN = { maxVariableChars: 35 };
const envelope = { id: 'ntf_x', at: '2026-11-28T01:16:00.000Z' };
const envelopeFor = () => envelope;

/** Every notification the domain writes today, for a normal and a major case, in and out of triage. */
function domainNotifications(): Notification[] {
  const notifications: Notification[] = [];
  for (const area of [...AREA_IDS, null]) {
    for (const severity of ['normal', 'major'] as const) {
      const record = caseSnapshot(
        caseRecord({
          area,
          areaName: area === null ? null : `${area}镇`,
          bureau: area === null ? 'brigade' : `bureau:${area}`,
          severity,
          severityReasons: severity === 'major' ? ['群体'] : [],
          partners: ['planning', 'urban_management', 'housing', 'police'],
          deadlines: DEADLINE_KINDS.map((kind, index) => ({
            kind,
            dueAt: `2026-12-0${index + 1}T23:59:59+08:00`,
            metAt: null,
            breachedAt: null,
            ...(index === 2 ? { provisional: true } : {}),
          })),
        } as never),
      );
      notifications.push(assignmentNotification(record, envelope));
      notifications.push(...jointEnforcementNotifications(record, envelopeFor));
      notifications.push(...specialReportNotifications(record, envelopeFor));
      for (const kind of DEADLINE_KINDS) {
        notifications.push(...escalationNotifications(record, kind, envelopeFor));
        const reminder = reminderNotification(record, kind, envelope);
        if (reminder) notifications.push(reminder);
      }
    }
  }
  return notifications;
}

describe('SMS templates', () => {
  it('map every notification kind of the contract, and nothing else', () => {
    expect([...SMS_KINDS].sort()).toEqual([...CONTRACT_KINDS].sort());
  });

  it('fail loudly for a kind without templates', () => {
    expect(() => smsTemplateFor('surprise', '【常熟国土】…', ALIYUN)).toThrow(UnknownSmsKindError);
    expect(() => smsTemplateFor('surprise', '【常熟国土】…', ALIYUN)).toThrow(/"surprise"/);
  });

  it('give each kind a general template, and each template a unique key', () => {
    expect(new Set(SMS_TEMPLATE_KEYS).size).toBe(SMS_TEMPLATE_KEYS.length);
    for (const kind of CONTRACT_KINDS) expect(SMS_TEMPLATE_KEYS).toContain(generalTemplateKey(kind));
  });

  it('are what a provider approves: fixed text around each variable, valid and unreserved variable names', () => {
    for (const template of allSmsTemplates()) {
      const names = templateVariables(template);
      expect(names.length, template.key).toBeGreaterThan(0);
      expect(new Set(names).size, template.key).toBe(names.length);
      for (const name of names) {
        expect(name).toMatch(/^[A-Za-z][A-Za-z0-9]{0,24}$/);
        expect(['id', 'email', 'mobile', 'nick', 'site']).not.toContain(name.toLowerCase());
      }
      // No two variables side by side, and never a template of variables only.
      expect(template.text, template.key).not.toMatch(/\}\$\{/);
      expect(template.text.replace(/\$\{[^}]+\}/g, '').length, template.key).toBeGreaterThanOrEqual(4);
      expect(template.text, template.key).not.toMatch(/[【】]/);
    }
  });

  it('carry every notification the domain writes today in its specific template, the text unchanged', () => {
    const seen = new Set<string>();
    for (const notification of domainNotifications()) {
      const rendering = smsTemplateFor(notification.kind, notification.sms, ALIYUN);
      seen.add(rendering.template.key);
      expect(rendering.template.key, notification.sms).not.toMatch(/_general$/);
      expect(rendering.clipped).toBe(false);
      expect(`【常熟国土】${renderTemplate(rendering.template, rendering.variables)}`).toBe(notification.sms);
      for (const variable of rendering.variables) {
        expect(Array.from(variable.value).length, variable.value).toBeLessThanOrEqual(
          ALIYUN.maxVariableChars,
        );
        expect(variable.value.length).toBeGreaterThan(0);
      }
    }
    const specific = SMS_KINDS.flatMap((kind) => SMS_TEMPLATES[kind].specific.map((t) => t.key));
    expect([...seen].sort()).toEqual([...specific].sort());
  });

  it('send the assignment with the case number, the town and the first deadline as variables', () => {
    const record = caseSnapshot(caseRecord());
    const rendering = smsTemplateFor('assignment', assignmentNotification(record, envelope).sms, ALIYUN);
    expect(rendering.template.key).toBe('assignment');
    expect(rendering.variables).toEqual([
      { name: 'caseNo', value: '2026-000042' },
      { name: 'place', value: '沙家浜镇' },
      { name: 'due', value: '请于11月30日23:59前签收' },
    ]);
  });

  it('fall back to the general template where a variable is too long for the provider', () => {
    const record = caseSnapshot(caseRecord());
    const sms = escalationNotifications(record, 'inspect', envelopeFor)[0]!.sms;
    // The case number alone has 11 characters.
    const tight = smsTemplateFor('escalation', sms, { maxVariableChars: 10 });
    expect(tight.template.key).toBe('escalation_general');
    expect(tight.clipped).toBe(true);
    for (const variable of tight.variables) expect(Array.from(variable.value).length).toBeLessThanOrEqual(10);
  });

  it('pass over a specific template the provider has no id for', () => {
    const record = caseSnapshot(caseRecord());
    const sms = assignmentNotification(record, envelope).sms;
    const rendering = smsTemplateFor('assignment', sms, {
      maxVariableChars: 70,
      hasTemplate: (key) => key !== 'assignment',
    });
    expect(rendering.template.key).toBe('assignment_general');
    expect(rendering.text).toBe(`交办：${stripSignature(sms).replace(/。$/, '')}。请登录系统查看。`);
  });

  it('carry a kind whose text has no specific template yet in its general one, without repeating the label', () => {
    const rendering = smsTemplateFor(
      'patrol_shortfall',
      '【常熟国土】巡查未达标：梅李镇国土分局2026-W49巡查1次，少于2次。',
      ALIYUN,
    );
    expect(rendering.template.key).toBe('patrol_shortfall_general');
    expect(rendering.variables).toEqual([
      { name: 'detail', value: '梅李镇国土分局2026-W49巡查1次，少于2次' },
    ]);
    expect(rendering.text).toBe('巡查未达标：梅李镇国土分局2026-W49巡查1次，少于2次。请登录系统查看。');
  });

  it('always give a sendable general rendering, whatever the text and the provider limit', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...CONTRACT_KINDS),
        fc.string({ maxLength: 80 }),
        fc.integer({ min: 1, max: 40 }),
        (kind, text, max) => {
          const rendering = smsTemplateFor(kind, `【常熟国土】${text}`, {
            maxVariableChars: max,
            hasTemplate: () => false,
          });
          for (const variable of rendering.variables) {
            expect(Array.from(variable.value).length).toBeLessThanOrEqual(max);
            expect(variable.value.length).toBeGreaterThan(0);
          }
          expect(matchTemplate(rendering.template, rendering.text)).toEqual(rendering.variables);
        },
      ),
    );
  });
});
