/**
 * `npm run calendar:load -- <file.json> [--dry-run] [--table <name>]`: loads the official holiday
 * schedule of one year, as the State Council publishes it, without a deploy.
 *
 *   {"year": 2027, "holidays": ["2027-01-01", …], "workdays": ["2027-02-06", …]}
 *
 * `holidays` are the days off, `workdays` the make-up working days (调休) that fall on a weekend.
 * The file is validated (every problem named), the schedule is stored in the table
 * (pk=CALENDAR, sk=YEAR#<year>) where every function reads it within a minute, and the open
 * provisional deadlines are counted again at once; the command prints which days changed and which
 * deadlines moved. The sweeper repeats the recount for a few minutes after a load, for cases a
 * function created while its cached calendar still lacked the schedule.
 *
 * The table is --table or TABLE_NAME. Credentials and region come from the usual AWS variables;
 * `--local` targets the running `npm start` instead (infra/ops/target.ts). The target is printed first.
 */
import { readFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import {
  type CalendarScheduleStore,
  DynamoCalendarStore,
} from '../../shared/adapters/dynamo-calendar-store.js';
import { DynamoCaseStore } from '../../shared/adapters/dynamo-case-store.js';
import { deadlinePolicyFromEnv } from '../../shared/composition/deadline-policy.js';
import {
  type CalendarOverride,
  calendarOverrideSchema,
  WorkingCalendar,
} from '../../shared/domain/calendar.js';
import type { CaseStore } from '../../shared/ports/index.js';
import {
  type RecomputeOutcome,
  recomputeProvisionalDeadlines,
} from '../../shared/usecases/recompute-deadlines.js';
import { type OpsTarget, resolveOpsTarget, TargetError } from './target.js';

export class UsageError extends Error {}

const USAGE = `usage: npm run calendar:load -- <file.json> [--dry-run] [--table <name>] [--local]
  file: {"year": 2027, "holidays": ["2027-01-01", …], "workdays": ["2027-02-06", …]}`;

export interface CalendarLoadDeps {
  schedules: CalendarScheduleStore;
  cases: CaseStore;
  now?: () => Date;
  out?: (line: string) => void;
}

export interface CalendarLoadResult {
  schedule: CalendarOverride;
  /** Days of the year whose working status differs from what the functions used before. */
  changedDays: Array<{ date: string; working: boolean }>;
  recomputed?: RecomputeOutcome;
}

/** The file's schedule, or a UsageError naming every problem (never echoing the file's values). */
export function parseScheduleFile(text: string): CalendarOverride {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new UsageError('the file is not valid JSON');
  }
  const parsed = calendarOverrideSchema.safeParse(value);
  if (!parsed.success) {
    const lines = parsed.error.issues.map(
      (issue) => `  ${issue.path.join('.') || '(root)'}: ${issue.message}`,
    );
    throw new UsageError(`the schedule is not valid:\n${lines.join('\n')}`);
  }
  return parsed.data;
}

function daysOf(year: number): string[] {
  const days: string[] = [];
  for (let ms = Date.UTC(year, 0, 1); ms < Date.UTC(year + 1, 0, 1); ms += 86_400_000)
    days.push(new Date(ms).toISOString().slice(0, 10));
  return days;
}

export async function loadCalendarSchedule(
  schedule: CalendarOverride,
  deps: CalendarLoadDeps,
  options: { dryRun?: boolean } = {},
): Promise<CalendarLoadResult> {
  const out = deps.out ?? ((line: string) => console.log(line));
  const now = deps.now ?? (() => new Date());
  const loaded = await deps.schedules.load();
  const before = new WorkingCalendar({ overrides: loaded });
  const others = loaded.filter((each) => each.year !== schedule.year);
  const after = new WorkingCalendar({ overrides: [...others, schedule] });
  const changedDays = daysOf(schedule.year)
    .filter((date) => before.isWorkingDay(date) !== after.isWorkingDay(date))
    .map((date) => ({ date, working: after.isWorkingDay(date) }));

  const was = loaded.find((each) => each.year === schedule.year);
  out(
    `${schedule.year}: ${schedule.holidays.length} holiday(s), ${schedule.workdays.length} make-up working day(s); ` +
      (was
        ? `replaces the schedule loaded ${was.loadedAt}`
        : before.hasOfficialSchedule(schedule.year)
          ? 'replaces the built-in calendar data'
          : 'replaces the provisional calendar'),
  );
  if (changedDays.length === 0) out('  no day changes its working status');
  for (const day of changedDays) out(`  ${day.date} is now ${day.working ? 'a working day' : 'a day off'}`);
  if (options.dryRun) {
    out('dry run: nothing stored');
    return { schedule, changedDays };
  }

  await deps.schedules.save(schedule, now().toISOString());
  const recomputed = await recomputeProvisionalDeadlines({
    store: deps.cases,
    clock: { now },
    calendar: after,
  });
  out(
    `stored; ${recomputed.provisionalExamined} open provisional deadline(s) in ${recomputed.casesExamined} open case(s) counted again: ` +
      `${recomputed.moved.length} moved, ${recomputed.confirmed} confirmed where they were`,
  );
  for (const moved of recomputed.moved) {
    out(
      `  ${moved.caseNo} ${moved.deadline}: ${moved.from} → ${moved.to}${moved.provisional ? ' (still provisional)' : ''}`,
    );
  }
  for (const failed of recomputed.failed) {
    const reason = failed.error instanceof Error ? failed.error.message : String(failed.error);
    out(`  ${failed.caseId}: not counted again (${reason}); the sweeper retries it for three minutes`);
  }
  return { schedule, changedDays, recomputed };
}

export async function runCalendarLoad(argv: string[], deps: CalendarLoadDeps): Promise<CalendarLoadResult> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { 'dry-run': { type: 'boolean' }, table: { type: 'string' }, local: { type: 'boolean' } },
  });
  if (positionals.length !== 1) throw new UsageError('give exactly one schedule file');
  let text: string;
  try {
    text = await readFile(positionals[0]!, 'utf8');
  } catch {
    throw new UsageError('the file cannot be read');
  }
  return loadCalendarSchedule(parseScheduleFile(text), deps, { dryRun: values['dry-run'] === true });
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    allowPositionals: true,
    strict: false,
    options: { table: { type: 'string' }, local: { type: 'boolean' } },
  });
  let target: OpsTarget;
  try {
    target = await resolveOpsTarget({
      local: values.local === true,
      ...(typeof values.table === 'string' ? { table: values.table } : {}),
    });
  } catch (error) {
    if (error instanceof TargetError) throw new UsageError(error.message);
    throw error;
  }
  console.error(`calendar:load: target ${target.description}`);
  // Imported only now: the client reads the endpoint and credentials the target has just set.
  const { dynamoDocumentClient } = await import('../../shared/adapters/clients/dynamodb.js');
  await runCalendarLoad(process.argv.slice(2), {
    schedules: new DynamoCalendarStore(dynamoDocumentClient, target.tableName),
    // The recount rewrites cases: indexed with the deadline policy the functions write them with.
    cases: new DynamoCaseStore(dynamoDocumentClient, target.tableName, deadlinePolicyFromEnv(process.env)),
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    if (error instanceof UsageError) {
      console.error(`calendar:load: ${error.message}\n${USAGE}`);
      process.exit(2);
    }
    console.error(`calendar:load: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
