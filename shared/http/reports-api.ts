/**
 * The reports API (contract section 8) as a table from route key to a small function: parse the
 * request, authenticate, call one use case, shape the answer as JSON, xlsx or CSV. Kept apart from
 * the Lambda handler so tests drive it with in-memory ports.
 */
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { z } from 'zod';
import { LEDGER_YEARS } from '../domain/ledger.js';
import { type AreaId, isAreaId, type Principal } from '../domain/model.js';
import { type Period, parsePeriod } from '../domain/periods.js';
import {
  consolidatedReportWorkbook,
  monthlyReportWorkbook,
  quarterAssessmentWorkbook,
  yearAssessmentWorkbook,
} from '../domain/report-tables.js';
import {
  satelliteScoreBodySchema,
  submitCityReportBodySchema,
  submitReportBodySchema,
} from '../domain/report-view-schema.js';
import { zodIssuesToDetails } from '../domain/validation-details.js';
import {
  type AssessmentDeps,
  getQuarterAssessment,
  getYearAssessment,
  putSatelliteScore,
} from '../usecases/assessments.js';
import { ForbiddenError, NotFoundError, ValidationError } from '../usecases/errors.js';
import {
  getConsolidatedReport,
  getMonthlyReport,
  submitCityReport,
  submitMonthlyReport,
} from '../usecases/monthly-reports.js';
import { InvalidJsonError, MethodNotAllowedError, UnsupportedMediaTypeError } from './errors.js';
import { jsonResponse } from './json-response.js';
import { parseQuery } from './query.js';
import { REPORTS_API_ROUTES, type ReportsApiRoute } from './reports-api-routes.js';
import { assessmentQuerySchema, monthlyReportQuerySchema } from './reports-query.js';
import { fileResponse } from './spreadsheet.js';

export interface ReportsApiDeps extends AssessmentDeps {
  /** Resolves an `Authorization` header to a principal, or throws UnauthenticatedError. */
  auth: { authenticate(authorization: string | undefined): Principal | Promise<Principal> };
}

type Handler = (
  event: APIGatewayProxyEventV2,
  deps: ReportsApiDeps,
  principal: Principal,
) => Promise<APIGatewayProxyStructuredResultV2>;

/** Reports are read by the brigade, the bureaus and the district leaders; never by partners or sources. */
function assertMayReadReports(principal: Principal): void {
  if (principal.kind === 'partner' || principal.kind === 'source')
    throw new ForbiddenError('巡查月报和考核仅供监察大队、国土分局和片区责任领导查看。');
}

const NO_SUCH_REPORT = '没有此月报。';

/** `{area}` of a path: an area id, or `city` where the route allows it; anything else names nothing. */
function areaParameter(event: APIGatewayProxyEventV2, allowCity: boolean): AreaId | 'city' {
  const value = event.pathParameters?.area ?? '';
  if (isAreaId(value) || (allowCity && value === 'city')) return value;
  throw new NotFoundError(NO_SUCH_REPORT);
}

function monthPathParameter(event: APIGatewayProxyEventV2): Period {
  const value = event.pathParameters?.month ?? '';
  const period = /^\d{4}-\d{2}$/.test(value) ? parsePeriod(value) : undefined;
  const year = Number(value.slice(0, 4));
  if (!period || year < LEDGER_YEARS.min || year > LEDGER_YEARS.max) throw new NotFoundError(NO_SUCH_REPORT);
  return period;
}

function yearPathParameter(event: APIGatewayProxyEventV2): number {
  const value = event.pathParameters?.year ?? '';
  const year = Number(value);
  if (!/^\d{4}$/.test(value) || year < LEDGER_YEARS.min || year > LEDGER_YEARS.max)
    throw new NotFoundError('没有此年度的考核。');
  return year;
}

const MAX_BODY_BYTES = 16 * 1024;

/** The request's JSON body, checked against `schema`; every failing field named. */
function jsonBody<S extends z.ZodType>(event: APIGatewayProxyEventV2, schema: S): z.output<S> {
  const contentType = event.headers?.['content-type'] ?? '';
  if (!/^application\/json\s*(;|$)/i.test(contentType)) {
    throw new UnsupportedMediaTypeError('请以application/json格式提交请求内容。');
  }
  const raw = event.isBase64Encoded
    ? Buffer.from(event.body ?? '', 'base64').toString('utf8')
    : (event.body ?? '');
  if (Buffer.byteLength(raw) > MAX_BODY_BYTES) throw new ValidationError('请求内容过大。');
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    throw new InvalidJsonError('请求内容不是有效的JSON。');
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new ValidationError('请求内容有误。', zodIssuesToDetails(parsed.error.issues));
  return parsed.data;
}

const routes: Record<ReportsApiRoute, Handler> = {
  'GET /v1/reports/monthly': async (event, deps, caller) => {
    assertMayReadReports(caller);
    const { area, month, format } = parseQuery(monthlyReportQuerySchema, event.queryStringParameters);
    if (area) {
      const report = await getMonthlyReport(caller, area, month, deps);
      return format === 'json'
        ? jsonResponse(200, report)
        : fileResponse(monthlyReportWorkbook(report), format);
    }
    const report = await getConsolidatedReport(caller, month, deps);
    return format === 'json'
      ? jsonResponse(200, report)
      : fileResponse(consolidatedReportWorkbook(report), format);
  },
  'POST /v1/reports/monthly/{area}/{month}/submit': async (event, deps, caller) => {
    const area = areaParameter(event, true);
    const month = monthPathParameter(event);
    if (area === 'city') {
      const report = await submitCityReport(
        caller,
        month,
        () => jsonBody(event, submitCityReportBodySchema),
        deps,
      );
      return jsonResponse(200, report);
    }
    const report = await submitMonthlyReport(
      caller,
      area,
      month,
      () => jsonBody(event, submitReportBodySchema),
      deps,
    );
    return jsonResponse(200, report);
  },
  'GET /v1/assessments': async (event, deps, caller) => {
    assertMayReadReports(caller);
    const { quarter, year, format } = parseQuery(assessmentQuerySchema, event.queryStringParameters);
    if (quarter) {
      const view = await getQuarterAssessment(caller, quarter, deps);
      return format === 'json'
        ? jsonResponse(200, view)
        : fileResponse(quarterAssessmentWorkbook(view), format);
    }
    const view = await getYearAssessment(caller, year as Period, deps);
    return format === 'json' ? jsonResponse(200, view) : fileResponse(yearAssessmentWorkbook(view), format);
  },
  'PUT /v1/assessments/{year}/satellite/{area}': async (event, deps, caller) => {
    const year = yearPathParameter(event);
    const area = areaParameter(event, false) as AreaId;
    const entry = await putSatelliteScore(
      caller,
      year,
      area,
      () => jsonBody(event, satelliteScoreBodySchema),
      deps,
    );
    return jsonResponse(200, entry);
  },
};

export async function handleReportsApi(
  event: APIGatewayProxyEventV2,
  deps: ReportsApiDeps,
): Promise<APIGatewayProxyStructuredResultV2> {
  const handle = (routes as Record<string, Handler | undefined>)[event.routeKey];
  if (!handle) {
    const path = event.routeKey.split(' ')[1];
    if (REPORTS_API_ROUTES.some((key) => key.split(' ')[1] === path))
      throw new MethodNotAllowedError('该路径不支持此请求方法。');
    throw new NotFoundError('没有此接口。');
  }
  const principal = await deps.auth.authenticate(
    event.headers?.authorization ?? event.headers?.Authorization,
  );
  return handle(event, deps, principal);
}
