import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCalendarSchedule } from '../../infra/ops/calendar-load.js';
import { DynamoCalendarStore } from '../../shared/adapters/dynamo-calendar-store.js';
import { DynamoCaseStore } from '../../shared/adapters/dynamo-case-store.js';
import { shanghaiYear, statutoryHolidays } from '../../shared/domain/calendar.js';
import { DEFAULT_DEADLINE_POLICY } from '../../shared/domain/deadlines.js';
import { make12336Tip, make12345Tip, shanghaiIso } from '../fixtures/tips.js';
import { receivedWorkingDaysAgo, testNow } from '../support/clock.js';
import { clientConfig, waitFor } from '../support/emulators.js';
import {
  DEV_BRIGADE_TOKEN,
  startTestStack,
  submitAndRoute,
  type TestLocalStack,
} from '../support/local-stack.js';
import { readOutbox } from '../support/outbox.js';

// biome-ignore lint/suspicious/noExplicitAny: responses are asserted field by field.
type Json = Record<string, any>;

const DAY = 86_400_000;
let stack: TestLocalStack;

beforeAll(async () => {
  stack = await startTestStack();
});

afterAll(async () => {
  await stack?.cleanup();
});

async function api(path: string, token = DEV_BRIGADE_TOKEN) {
  const response = await fetch(`${stack.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
  return { status: response.status, body: (await response.json()) as Json };
}

async function outbox(caseId: string): Promise<Json[]> {
  return (await readOutbox<Json>(stack.outboxFile)).filter((line) => line.caseId === caseId);
}

const describeLine = (line: Json) => `${line.kind}:${line.target}${line.deadline ? `:${line.deadline}` : ''}`;

async function linesOf(caseId: string, count: number, what: string): Promise<string[]> {
  const lines = await waitFor(
    async () => {
      const found = await outbox(caseId);
      return found.length >= count ? found : undefined;
    },
    { what, timeoutMs: 20_000 },
  );
  return lines.map(describeLine).sort();
}

describe('deadlines, escalation and the ledger, end to end', () => {
  let majorCaseId: string;
  let triageCaseId: string;
  // Whole seconds: the sources send seconds precision. Three days back: the major case's deadlines
  // are counted in hours (2 and 24), so both have passed whatever the day.
  const createdAt = new Date(Math.floor((testNow().getTime() - 3 * DAY) / 1000) * 1000);

  it('sends a major case its special reports and joint-enforcement notices at once', async () => {
    majorCaseId = await submitAndRoute(
      stack,
      '12345',
      make12345Tip(
        {
          orderNo: `GD-e2e-deadlines-${Date.now()}`,
          urgency: 'urgent',
          content: '海虞镇福山村七组有人在基本农田上建厂房，占地约八亩',
          createdAt: shanghaiIso(createdAt),
        },
        createdAt,
      ),
    );
    const { body: record } = await api(`/v1/cases/${majorCaseId}`);
    expect(record).toMatchObject({ area: 'haiyu', severity: 'major' });
    expect(record.severityReasons.join(' ')).toMatch(/来源标注为紧急/);
    expect(record.partners).toEqual(['planning', 'urban_management', 'police']);
    expect(record.partnerReasons.police).toMatch(/重大案件/);
    // Major: acknowledge 2 hours and inspect 24 hours after the source's own receipt time.
    const due = Object.fromEntries(record.deadlines.map((d: Json) => [d.kind, Date.parse(d.dueAt)]));
    expect(due.acknowledge - createdAt.getTime()).toBe(2 * 3600_000);
    expect(due.inspect - createdAt.getTime()).toBe(24 * 3600_000);

    expect(await linesOf(majorCaseId, 6, 'the notices of the major case')).toEqual(
      [
        'assignment:bureau:haiyu',
        'joint_enforcement:partner:planning',
        'joint_enforcement:partner:urban_management',
        'joint_enforcement:partner:police',
        'special_report:town:haiyu',
        'special_report:brigade',
      ].sort(),
    );
  });

  it('sends an unplaceable tip to triage', async () => {
    // Long enough ago, in the system's own working days, that both of its deadlines (acknowledge in
    // one working day, inspect in two) have passed: a fixed number of calendar days is not, on a
    // Monday morning or after a holiday.
    const receivedAt = receivedWorkingDaysAgo(2);
    const tip = make12336Tip(
      {
        reportId: `e2e-deadlines-triage-${Date.now()}`,
        location: { address: '村东头那块地' },
        description: '有人在农田里挖土堆放建筑垃圾',
      },
      receivedAt,
    );
    for (const field of ['town', 'lng', 'lat', 'crs'] as const) delete (tip.location as Json)[field];
    triageCaseId = await submitAndRoute(stack, '12336', tip);
    expect((await api(`/v1/cases/${triageCaseId}`)).body).toMatchObject({
      status: 'triage',
      bureau: 'brigade',
    });
    await linesOf(triageCaseId, 1, 'the triage assignment');
  });

  it('marks every passed deadline breached once, escalates it once, and writes it to the ledger', async () => {
    await stack.sweepNow();
    const expected = [
      'assignment:bureau:haiyu',
      'joint_enforcement:partner:planning',
      'joint_enforcement:partner:urban_management',
      'joint_enforcement:partner:police',
      'special_report:town:haiyu',
      'special_report:brigade',
      'escalation:brigade:acknowledge',
      'escalation:bureau:haiyu:acknowledge',
      'escalation:brigade:inspect',
      'escalation:bureau:haiyu:inspect',
    ].sort();
    expect(await linesOf(majorCaseId, expected.length, 'the escalations')).toEqual(expected);
    const escalation = (await outbox(majorCaseId)).find((line) => line.kind === 'escalation')!;
    expect([...escalation.sms].length).toBeLessThanOrEqual(70);

    const { body: record } = await api(`/v1/cases/${majorCaseId}`);
    const breached = record.deadlines.filter((d: Json) => d.breachedAt).map((d: Json) => d.kind);
    expect(breached.sort()).toEqual(['acknowledge', 'inspect']);

    // The triage case (received two working days ago and more: both deadlines passed) escalates to
    // the brigade only.
    expect(await linesOf(triageCaseId, 3, 'the triage escalations')).toEqual([
      'assignment:brigade',
      'escalation:brigade:acknowledge',
      'escalation:brigade:inspect',
    ]);

    // A ledger entry belongs to the year its deadline fell due in (two years around New Year).
    const years = [
      ...new Set(record.deadlines.filter((d: Json) => d.breachedAt).map((d: Json) => shanghaiYear(d.dueAt))),
    ] as number[];
    const ledgerOf = async (query: string) => {
      const entries: Json[] = [];
      const vetoes: Json[] = [];
      for (const year of years) {
        const page = await api(`/v1/ledger?year=${year}${query}`);
        expect(page.status).toBe(200);
        entries.push(...page.body.entries);
        vetoes.push(...page.body.vetoes);
      }
      return { entries, vetoes };
    };
    const entries = (await ledgerOf('&bureau=haiyu')).entries.filter((e: Json) => e.caseId === majorCaseId);
    expect(entries.map((e: Json) => `${e.kind}:${e.deadline}`).sort()).toEqual([
      'admonishment:acknowledge',
      'admonishment:inspect',
    ]);
    expect(entries[0]).toMatchObject({
      bureau: 'bureau:haiyu',
      bureauName: '海虞镇国土分局',
      kindLabel: '诫勉谈话',
      reasonLabel: '办理超时',
      chief: 'unknown',
      officer: 'unknown',
    });
    const all = await ledgerOf('');
    expect(all.entries.some((e: Json) => e.caseId === triageCaseId)).toBe(false);
    expect(all.vetoes).toEqual([]);

    // A second sweep hands nothing over (the case is not rewritten) and writes no second entry.
    const before = (await api(`/v1/cases/${majorCaseId}`)).body;
    await stack.sweepNow();
    expect((await api(`/v1/cases/${majorCaseId}`)).body.updatedAt).toBe(before.updatedAt);
    expect((await outbox(majorCaseId)).length).toBe(expected.length);
    expect((await ledgerOf('&bureau=bureau:haiyu')).entries).toHaveLength(entries.length);
  });

  it('serves the ledger to the brigade only', async () => {
    expect((await api('/v1/ledger', 'dev-bureau-haiyu')).status).toBe(403);
    expect((await api('/v1/ledger', 'dev-partner-police')).status).toBe(403);
    expect((await api('/v1/ledger?year=soon')).status).toBe(400);
    const current = await api('/v1/ledger');
    expect(current.body.year).toBe(shanghaiYear(testNow()));
  });

  it('stores an official schedule where the functions read it (npm run calendar:load)', async () => {
    const client = DynamoDBDocumentClient.from(new DynamoDBClient(clientConfig(stack.endpoints.dynamodb)), {
      marshallOptions: { removeUndefinedValues: true },
    });
    const schedules = new DynamoCalendarStore(client, stack.tableName);
    const schedule = { year: 2027, holidays: statutoryHolidays(2027), workdays: [] };
    const lines: string[] = [];
    const result = await loadCalendarSchedule(schedule, {
      schedules,
      cases: new DynamoCaseStore(client, stack.tableName, DEFAULT_DEADLINE_POLICY),
      out: (line) => lines.push(line),
    });
    expect(result.recomputed).toBeDefined();
    expect(lines.join('\n')).toMatch(/moved/);
    expect(await schedules.load()).toEqual([
      expect.objectContaining({ year: 2027, holidays: schedule.holidays }),
    ]);
  });
});
