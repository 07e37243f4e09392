/**
 * Patrols end to end over HTTP on a local run (contract section 7): two bureau patrols make the
 * current ISO week `met` before it ends; a finding becomes a case in the patrol's area with a
 * running stop deadline (met at once when stopped on site) and is assigned like a tip; the lists
 * follow the callers' scopes; and, with the local run's clock moved past the week's grace (never
 * real waiting), the week is decided: one patrol_shortfall per unit and target and one ledger
 * admonishment per short bureau, however many sweeps run, one after another or at once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatShanghai, shanghaiDate, WorkingCalendar } from '../../shared/domain/calendar.js';
import { AREA_IDS } from '../../shared/domain/model.js';
import { DEFAULT_PATROL_REQUIREMENTS } from '../../shared/domain/patrol.js';
import { decidesAt } from '../../shared/domain/patrol-compliance.js';
import { lastWorkingDay, type Period, periodContaining } from '../../shared/domain/periods.js';
import type { Clock } from '../../shared/ports/index.js';
import { testNow } from '../support/clock.js';
import { waitFor } from '../support/emulators.js';
import { DEV_BRIGADE_TOKEN, startTestStack, type TestLocalStack } from '../support/local-stack.js';
import { readOutbox } from '../support/outbox.js';

// biome-ignore lint/suspicious/noExplicitAny: responses are asserted field by field.
type Json = Record<string, any>;

const MINUTE = 60_000;
const calendar = new WorkingCalendar();

/** The local run's clock: the tests' now, moved on by `offsetMs` when a test makes time pass. */
let offsetMs = 0;
const clock: Clock = { now: () => new Date(testNow().getTime() + offsetMs) };
const moveClockTo = (instant: number) => {
  offsetMs = Math.max(offsetMs, instant - testNow().getTime());
};

let stack: TestLocalStack;
let week: Period;
const savedReportingStart = process.env.REPORTING_START;

beforeAll(async () => {
  week = periodContaining('week', clock.now());
  // This week is the first one decided: earlier ones began before the reporting start.
  process.env.REPORTING_START = week.firstDay;
  stack = await startTestStack({ clock });
});

afterAll(async () => {
  await stack?.cleanup();
  if (savedReportingStart === undefined) delete process.env.REPORTING_START;
  else process.env.REPORTING_START = savedReportingStart;
});

async function api(method: string, path: string, token: string, body?: unknown) {
  const response = await fetch(`${stack.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as Json };
}

/** A patrol of this week that has ended by now: within the last 90 minutes, or since Monday 00:01. */
function patrolTimes(offsetSeconds: number) {
  const now = clock.now().getTime();
  const start = Math.max(Date.parse(week.startsAt) + MINUTE, now - 90 * MINUTE) + offsetSeconds * 1000;
  const startedAt = Math.floor(start / 1000) * 1000;
  return { startedAt: formatShanghai(startedAt), endedAt: formatShanghai(startedAt + 30_000) };
}

const compliance = async (token: string, period = week.id) =>
  (await api('GET', `/v1/patrols/compliance?period=${period}`, token)).body;

describe('patrols end to end', () => {
  let first: Json;

  it('makes the week met for a bureau with two patrols, before the week ends', async () => {
    const meili = 'dev-bureau-meili';
    expect((await compliance(meili)).units).toEqual([
      expect.objectContaining({
        unit: 'bureau:meili',
        requirement: 'bureau_weekly',
        done: 0,
        status: 'open',
      }),
    ]);
    const recorded = await api('POST', '/v1/patrols', meili, {
      clientId: `e2e-${week.id}-1`,
      kind: 'bureau',
      area: 'meili',
      ...patrolTimes(0),
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
          description: '农田内新建彩钢棚约200平方米',
          address: '梅李镇珍北村五组',
          violationType: 'illegal_occupation',
        },
        { description: '农田内堆土', address: '梅李镇沈市村三组', measures: '现场制止', stopped: true },
      ],
    });
    expect(recorded.status, JSON.stringify(recorded.body)).toBe(201);
    first = recorded.body;
    expect(first.patrolNo).toMatch(
      new RegExp(`^XC-meili-${shanghaiDate(first.startedAt).replaceAll('-', '')}-01$`),
    );
    expect(first.places.map((place: Json) => place.matched)).toEqual(['珍北村', '沈市村']);
    expect(first.track.wgs84).toHaveLength(2);
    expect((await compliance(meili)).units[0]).toMatchObject({ done: 1, status: 'open' });

    // The same clientId again: the same patrol, 200.
    const again = await api('POST', '/v1/patrols', meili, {
      clientId: `e2e-${week.id}-1`,
      kind: 'bureau',
      area: 'meili',
      ...patrolTimes(0),
      officers: ['王五'],
    });
    expect(again.status).toBe(200);
    expect(again.body.patrolId).toBe(first.patrolId);

    const second = await api('POST', '/v1/patrols', meili, {
      clientId: `e2e-${week.id}-2`,
      kind: 'bureau',
      area: 'meili',
      ...patrolTimes(1),
      officers: ['王五'],
    });
    expect(second.status).toBe(201);
    const view = await compliance(meili);
    expect(view).toMatchObject({ period: week.id, decided: false, reportingStart: week.firstDay });
    expect(view.units).toEqual([expect.objectContaining({ unit: 'bureau:meili', done: 2, status: 'met' })]);
  });

  it('makes each finding a case of the patrol’s area with its stop deadline, assigned like a tip', async () => {
    const [running, stopped] = await Promise.all(
      first.findings.map(
        async (finding: Json) => (await api('GET', `/v1/cases/${finding.caseId}`, 'dev-bureau-meili')).body,
      ),
    );
    for (const record of [running, stopped]) {
      expect(record).toMatchObject({
        area: 'meili',
        bureau: 'bureau:meili',
        source: 'patrol',
        patrolId: first.patrolId,
        tips: [],
      });
      expect(record.reporter).toEqual({ anonymous: true });
    }
    expect(running.status).toBe('inspected');
    const stop = running.deadlines.find((deadline: Json) => deadline.kind === 'stop');
    expect(stop).toMatchObject({ metAt: null, breachedAt: null });
    expect(stop.dueAt).toBe(calendar.addWorkingDays(first.endedAt, 3).dueAt);
    expect(stopped.status).toBe('stopping');
    expect(stopped.deadlines.find((deadline: Json) => deadline.kind === 'stop').metAt).toBe(first.endedAt);
    expect(stopped.events.map((event: Json) => event.type)).toEqual([
      'created',
      'acknowledge',
      'inspect',
      'stop',
    ]);
    // A bureau may act on it as on any case: the violation is stopped now.
    const acted = await api('POST', `/v1/cases/${running.caseId}/events`, 'dev-bureau-meili', {
      type: 'stop',
      result: 'stopped',
    });
    expect(acted.status).toBe(200);

    const assigned = await waitFor(
      async () => {
        const lines = (await readOutbox<Json>(stack.outboxFile)).filter(
          (line) => line.kind === 'assignment' && [running.caseId, stopped.caseId].includes(line.caseId),
        );
        return lines.length >= 2 ? lines : undefined;
      },
      { what: 'the assignments of the patrol’s cases', timeoutMs: 20_000 },
    );
    expect(assigned.map((line) => line.target)).toEqual(['bureau:meili', 'bureau:meili']);
    // Construction on the land (彩钢棚): the partners hear of it as for a tip.
    expect(running.partners).toEqual(['planning', 'urban_management']);
  });

  it('counts the findings in the bureau’s monthly report as found by patrol (contract section 8)', async () => {
    const report = async (instant: string) =>
      (
        await api(
          'GET',
          `/v1/reports/monthly?area=meili&month=${periodContaining('month', instant).id}`,
          'dev-bureau-meili',
        )
      ).body;
    // Cases count in the month landline opened them, patrols in the month they started: the same
    // month but within 90 minutes of a month's start.
    const finding = (await api('GET', `/v1/cases/${first.findings[0].caseId}`, 'dev-bureau-meili')).body;
    const byCases = await report(finding.createdAt);
    expect(byCases.figures.cases.bySource.patrol).toBe(first.findings.length);
    expect(byCases.figures.cases.violationsConfirmed).toBe(first.findings.length);
    // No tip reached 梅李镇 in this run: every confirmed violation was found by patrol.
    expect(byCases.figures.patrolDiscoveryRate).toBe(1);
    expect(byCases.zeroReport).toBe(false);
    const byPatrols = await report(first.startedAt);
    expect(byPatrols.figures.patrols.withFindings).toBeGreaterThanOrEqual(1);
  });

  it('lists the patrols each caller may see, newest first', async () => {
    const ids = async (token: string, query = '') =>
      (await api('GET', `/v1/patrols${query}`, token)).body.items.map((patrol: Json) => patrol.patrolNo);
    const meili = await ids('dev-bureau-meili');
    expect(meili).toHaveLength(2);
    expect(meili[0] > meili[1]).toBe(true);
    expect(await ids('dev-leader-district-3', '?area=meili')).toEqual(meili);
    expect(await ids('dev-bureau-guli')).toEqual([]);
    expect((await api('GET', '/v1/patrols?area=meili', 'dev-leader-district-1')).status).toBe(403);
    const page = await api('GET', '/v1/patrols?limit=1', DEV_BRIGADE_TOKEN);
    expect(page.body.items).toHaveLength(1);
    const next = await api(
      'GET',
      `/v1/patrols?limit=1&cursor=${encodeURIComponent(page.body.cursor)}`,
      DEV_BRIGADE_TOKEN,
    );
    expect(next.body.items[0].patrolNo).toBe(meili[1]);
  });

  it('reminds the short bureaus on the last working day of the week', async (context) => {
    const lastDay = lastWorkingDay(week, calendar);
    if (!lastDay) return context.skip(); // a week without a working day has no reminder
    await api('POST', '/v1/patrols', 'dev-bureau-guli', {
      kind: 'bureau',
      area: 'guli',
      ...patrolTimes(2),
      officers: ['李四'],
    });
    moveClockTo(Date.parse(`${lastDay}T09:00:30+08:00`));
    await stack.sweepNow();
    await stack.settle();
    const reminders = (await readOutbox<Json>(stack.outboxFile)).filter(
      (line) => line.kind === 'patrol_reminder' && line.period === week.id,
    );
    expect(reminders.map((line) => line.target).sort()).toEqual(
      AREA_IDS.filter((area) => area !== 'meili')
        .map((area) => `bureau:${area}`)
        .sort(),
    );
    expect(reminders[0]?.subject).toMatch(/^【巡查提醒】/);
  });

  it('decides the week once: one shortfall per unit and target, one admonishment per short bureau', async () => {
    moveClockTo(Date.parse(decidesAt(week, calendar, DEFAULT_PATROL_REQUIREMENTS)) + MINUTE);
    for (let i = 0; i < 3; i++) await stack.sweepNow();
    await Promise.all([stack.sweepNow(), stack.sweepNow(), stack.sweepNow()]);
    await stack.settle();
    await stack.sweepNow();
    await stack.settle();

    const short = AREA_IDS.filter((area) => area !== 'meili').map((area) => `bureau:${area}`);
    const shortfalls = (await readOutbox<Json>(stack.outboxFile)).filter(
      (line) => line.kind === 'patrol_shortfall' && line.period === week.id,
    );
    expect(shortfalls.map((line) => `${line.target} ${line.unit}`).sort()).toEqual(
      short.flatMap((unit) => [`brigade ${unit}`, `${unit} ${unit}`]).sort(),
    );
    for (const line of shortfalls) {
      expect(line.audience).toBe(line.target === 'brigade' ? 'brigade' : 'bureau');
      expect(line.caseId).toBeUndefined();
      expect(Array.from(line.sms as string).length).toBeLessThanOrEqual(70);
    }

    const ledger = await api('GET', `/v1/ledger?year=${week.lastDay.slice(0, 4)}`, DEV_BRIGADE_TOKEN);
    const admonishments = ledger.body.entries.filter((entry: Json) => entry.reason === 'patrol_shortfall');
    expect(admonishments.map((entry: Json) => entry.bureau).sort()).toEqual([...short].sort());
    expect(admonishments[0]).toMatchObject({
      kind: 'admonishment',
      reasonLabel: '未落实巡查责任',
      period: week.id,
      entryId: `patrol#${admonishments[0].bureau}#${week.id}`,
    });

    const view = await compliance(DEV_BRIGADE_TOKEN);
    expect(view.decided).toBe(true);
    expect(view.units.filter((row: Json) => row.status === 'short').map((row: Json) => row.unit)).toEqual(
      short,
    );
    expect(view.units.find((row: Json) => row.unit === 'bureau:meili').status).toBe('met');
  });

  it('refuses a patrol of the decided week as too late', async () => {
    const late = await api('POST', '/v1/patrols', 'dev-bureau-guli', {
      kind: 'bureau',
      area: 'guli',
      startedAt: formatShanghai(Date.parse(week.endsAt) - 60 * MINUTE),
      endedAt: formatShanghai(Date.parse(week.endsAt) - 30 * MINUTE),
      officers: ['李四'],
    });
    expect(late.status).toBe(422);
    expect(late.body.error.code).toBe('too_late');
  });
});
