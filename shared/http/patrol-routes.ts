/**
 * The patrol endpoints of the case API (contract section 7): `POST /v1/patrols`, `GET /v1/patrols`
 * and `GET /v1/patrols/compliance`. Each parses its request, calls one use case and shapes the
 * answer; case-api.ts routes to them after authentication. Principals that may not use an endpoint
 * learn "forbidden" before their request is read, as for the ledger.
 */
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { z } from 'zod';
import type { WorkingCalendar } from '../domain/calendar.js';
import type { DeadlinePolicy } from '../domain/deadlines.js';
import { AREA_IDS, type AreaId, type Principal } from '../domain/model.js';
import { PATROL_KINDS, type PatrolPlace, type PatrolRequirements } from '../domain/patrol.js';
import { type CompliancePeriodKind, isCompliancePeriod } from '../domain/patrol-compliance.js';
import { type PatrolInput, patrolBodySchema } from '../domain/patrol-input.js';
import { type Period, parsePeriod } from '../domain/periods.js';
import { isoDateTime } from '../domain/sources/fields.js';
import { zodIssuesToDetails } from '../domain/validation-details.js';
import type { AssignmentQueue, CaseStore, Clock } from '../ports/index.js';
import type { ReportingStartStore } from '../ports/patrol-periods.js';
import type { PatrolStore } from '../ports/patrols.js';
import { ValidationError } from '../usecases/errors.js';
import { assertMayReadPatrols, listPatrols } from '../usecases/list-patrols.js';
import { assertMayReadCompliance, readCompliance } from '../usecases/patrol-compliance.js';
import { assertMayRecordPatrols, recordPatrol } from '../usecases/record-patrol.js';
import type { CursorCodec } from './cursor.js';
import { InvalidJsonError, PayloadTooLargeError, UnsupportedMediaTypeError } from './errors.js';
import { jsonResponse } from './json-response.js';
import { parseQuery } from './query.js';

/** What the patrol endpoints need beyond the case API's store, queue, clock and cursors. */
export interface PatrolApiParts {
  store: PatrolStore;
  reportingStart: ReportingStartStore;
  /** The API's working calendar (refreshed before these routes, see WORKING_DAY_ROUTES). */
  calendar: WorkingCalendar;
  policy: DeadlinePolicy;
  requirements: PatrolRequirements;
  resolvePlace(name: string, area: AreaId): PatrolPlace;
}

export interface PatrolRouteDeps {
  store: CaseStore;
  queue: AssignmentQueue;
  clock: Clock;
  cursors: CursorCodec;
  patrols?: PatrolApiParts;
}

type PatrolHandler = (
  event: APIGatewayProxyEventV2,
  deps: PatrolRouteDeps,
  principal: Principal,
) => Promise<APIGatewayProxyStructuredResultV2>;

/** A patrol body: a long track and many findings fit; a DynamoDB item (400 KB) still holds it. */
export const MAX_PATROL_BODY_BYTES = 256 * 1024;

const EARLIEST = '2000-01-01T00:00:00+08:00';
const LATEST = '2100-01-01T00:00:00+08:00';
const DAY = /^\d{4}-\d{2}-\d{2}$/;

const instantOrDay = z.union([isoDateTime(), z.iso.date()], {
  error: '须为带时区偏移的ISO 8601时间，或日期（YYYY-MM-DD，北京时间）',
});

/** The parameters of `GET /v1/patrols`, as documented. */
export const patrolListQueryFields = z.object({
  area: z.enum(AREA_IDS).optional().describe('Only this area (403 when it is not the caller’s to read).'),
  kind: z.enum(PATROL_KINDS).optional(),
  from: instantOrDay
    .optional()
    .describe('startedAt on or after this instant; a date means 00:00 of that day in Asia/Shanghai.'),
  to: instantOrDay
    .optional()
    .describe('startedAt before this instant; a date means the whole of that day in Asia/Shanghai.'),
  cursor: z
    .string()
    .min(1)
    .max(2000)
    .optional()
    .describe(
      'Opaque: the `cursor` of the previous page of the same query, as given. Any other value answers 400 invalid_cursor.',
    ),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});

/** `GET /v1/patrols`: dates made instants, absent bounds open. */
export const patrolListQuerySchema = patrolListQueryFields
  .transform((query) => ({
    ...query,
    from:
      query.from === undefined
        ? EARLIEST
        : DAY.test(query.from)
          ? `${query.from}T00:00:00+08:00`
          : query.from,
    to:
      query.to === undefined
        ? LATEST
        : DAY.test(query.to)
          ? new Date(Date.parse(`${query.to}T00:00:00+08:00`) + 86_400_000).toISOString()
          : query.to,
  }))
  .refine((query) => Date.parse(query.from) < Date.parse(query.to), {
    path: ['to'],
    message: '须晚于from',
  });

/** `GET /v1/patrols/compliance` */
export const complianceQuerySchema = z.object({
  period: z
    .string()
    .transform((id, ctx) => {
      const period = parsePeriod(id);
      if (period && isCompliancePeriod(period)) return period as Period & { kind: CompliancePeriodKind };
      ctx.addIssue({
        code: 'custom',
        message: '须为ISO周（如2026-W49）、月份（如2026-12）或季度（如2026-Q4）',
      });
      return z.NEVER;
    })
    .describe('An ISO week (2026-W49, Asia/Shanghai), a calendar month (2026-12) or a quarter (2026-Q4).'),
});

function parts(deps: PatrolRouteDeps): PatrolApiParts {
  if (!deps.patrols) throw new Error('the patrol store is not wired into the case API');
  return deps.patrols;
}

/** The request body as a patrol: JSON of at most MAX_PATROL_BODY_BYTES, every failing field named. */
export function patrolBody(event: APIGatewayProxyEventV2): PatrolInput {
  const contentType = event.headers?.['content-type'] ?? '';
  if (!/^application\/json\s*(;|$)/i.test(contentType))
    throw new UnsupportedMediaTypeError('请以application/json格式提交巡查记录。');
  const raw = event.isBase64Encoded
    ? Buffer.from(event.body ?? '', 'base64').toString('utf8')
    : (event.body ?? '');
  if (Buffer.byteLength(raw) > MAX_PATROL_BODY_BYTES)
    throw new PayloadTooLargeError(`巡查记录超过${MAX_PATROL_BODY_BYTES}字节。`);
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    throw new InvalidJsonError('请求内容不是有效的JSON。');
  }
  const parsed = patrolBodySchema.safeParse(value);
  if (!parsed.success)
    throw new ValidationError('巡查记录不符合要求。', zodIssuesToDetails(parsed.error.issues));
  return parsed.data;
}

/** 201 with the stored patrol; 200 with the patrol stored before when its clientId was used already. */
export const postPatrol: PatrolHandler = async (event, deps, caller) => {
  const patrols = parts(deps);
  assertMayRecordPatrols(caller);
  const { patrol, created } = await recordPatrol(caller, patrolBody(event), {
    patrols: patrols.store,
    store: deps.store,
    queue: deps.queue,
    clock: deps.clock,
    calendar: patrols.calendar,
    policy: patrols.policy,
    requirements: patrols.requirements,
    resolvePlace: patrols.resolvePlace,
  });
  return jsonResponse(created ? 201 : 200, patrol);
};

export const getPatrols: PatrolHandler = async (event, deps, caller) => {
  const patrols = parts(deps);
  assertMayReadPatrols(caller);
  const { cursor, ...query } = parseQuery(patrolListQuerySchema, event.queryStringParameters);
  const scope = {
    principal: caller,
    list: 'patrols',
    filters: { area: query.area, kind: query.kind, from: query.from, to: query.to },
  };
  const storeCursor = await deps.cursors.open(cursor, scope);
  const page = await listPatrols(caller, storeCursor ? { ...query, cursor: storeCursor } : query, {
    patrols: patrols.store,
  });
  return jsonResponse(200, { ...page, cursor: await deps.cursors.seal(page.cursor, scope) });
};

export const getCompliance: PatrolHandler = async (event, deps, caller) => {
  const patrols = parts(deps);
  assertMayReadCompliance(caller);
  const { period } = parseQuery(complianceQuerySchema, event.queryStringParameters);
  const view = await readCompliance(caller, period, {
    patrols: patrols.store,
    clock: deps.clock,
    calendar: patrols.calendar,
    requirements: patrols.requirements,
    reportingStart: patrols.reportingStart,
  });
  return jsonResponse(200, view);
};
