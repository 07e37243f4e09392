/**
 * The reports API's part of the OpenAPI document (contract section 8): one operation per route of
 * REPORTS_API_ROUTES (the record's type makes each documented), bodies and answers from the zod
 * schemas that validate or shape them, errors from the error mapper's table through the helpers
 * openapi.ts lends. No spreadsheet code: the case API builds this document, and exceljs stays out of
 * its bundle.
 */
import {
  consolidatedReportSchema,
  monthlyReportSchema,
  quarterAssessmentSchema,
  satelliteScoreBodySchema,
  satelliteScoreSchema,
  submitCityReportBodySchema,
  submitReportBodySchema,
  yearAssessmentSchema,
} from '../domain/report-view-schema.js';
import {
  AlreadySubmittedError,
  NotFoundError,
  PeriodOpenError,
  ValidationError,
  ZeroReportMismatchError,
} from '../usecases/errors.js';
import type { ErrorClass } from './error-responses.js';
import { InvalidJsonError, UnsupportedMediaTypeError } from './errors.js';
import { REPORTS_API_ROUTES, type ReportsApiRoute, splitReportsRouteKey } from './reports-api-routes.js';
import { assessmentQuerySchema, monthlyReportQuerySchema } from './reports-query.js';

type JsonObject = Record<string, unknown>;

/** What openapi.ts lends: schema conversion, error responses, parameters, the auth failures. */
export interface OpenApiHelpers {
  jsonSchema(schema: unknown, io: 'input' | 'output'): JsonObject;
  errorResponses(...responses: Array<[string, readonly ErrorClass[]]>): JsonObject;
  queryParameters(schema: unknown): JsonObject[];
  authenticationFailures: JsonObject;
}

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: JsonObject) => ({ 'application/json': { schema } });
const bearer = [{ bearerAuth: [] }];

const pathParameter = (name: string, description: string, pattern?: string) => ({
  name,
  in: 'path',
  required: true,
  description,
  schema: { type: 'string', ...(pattern ? { pattern } : {}) },
});

const SPREADSHEETS = {
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': {
    schema: { type: 'string', format: 'binary' },
  },
  'text/csv': { schema: { type: 'string', description: 'UTF-8 with a byte-order mark; Chinese headers.' } },
};

const fileNote =
  ' With `format=xlsx` a spreadsheet (one sheet per section, Chinese headers, the header row frozen) and with `format=csv` its main table; both with `Content-Disposition: attachment` and the Chinese file name as RFC 5987 `filename*`.';

/** The component schemas the operations refer to. */
export function reportsSchemas(h: OpenApiHelpers): Record<string, JsonObject> {
  return {
    MonthlyReport: h.jsonSchema(monthlyReportSchema, 'output'),
    ConsolidatedReport: h.jsonSchema(consolidatedReportSchema, 'output'),
    QuarterAssessment: h.jsonSchema(quarterAssessmentSchema, 'output'),
    YearAssessment: h.jsonSchema(yearAssessmentSchema, 'output'),
    SatelliteScore: h.jsonSchema(satelliteScoreSchema, 'output'),
    SubmitReport: h.jsonSchema(submitReportBodySchema, 'input'),
    SubmitCityReport: h.jsonSchema(submitCityReportBodySchema, 'input'),
    SatelliteScoreBody: h.jsonSchema(satelliteScoreBodySchema, 'input'),
  };
}

/** Every route of the reports API and its operation. */
export function reportsOperations(h: OpenApiHelpers): Record<ReportsApiRoute, JsonObject> {
  return {
    'GET /v1/reports/monthly': {
      operationId: 'getMonthlyReport',
      tags: ['reports'],
      summary: "A bureau's monthly report (with area), or the consolidated report of every bureau (without)",
      description: `Computed from the data until submitted, then frozen (docs/reports.md says what each figure counts). With \`area\`: the area's bureau, the brigade and the area's district leader. Without: the brigade (every bureau plus its own patrols, spot checks and supervisions) and district leaders (their district's bureaus).${fileNote}`,
      security: bearer,
      parameters: h.queryParameters(monthlyReportQuerySchema),
      responses: {
        '200': {
          description: 'The report.',
          content: {
            'application/json': { schema: { oneOf: [ref('MonthlyReport'), ref('ConsolidatedReport')] } },
            ...SPREADSHEETS,
          },
        },
        ...h.errorResponses(['Invalid query', [ValidationError]]),
        ...h.authenticationFailures,
      },
    },
    'POST /v1/reports/monthly/{area}/{month}/submit': {
      operationId: 'submitMonthlyReport',
      tags: ['reports'],
      summary:
        "Submit a month's report: a bureau's (its bureau or the brigade) or, as `city`, the consolidated one (the brigade)",
      description:
        'Freezes the figures and records who and when. A bureau report sends one `monthly_report` to `town:<area>` and one to the brigade; the city report one to `leadership` and one to `superior`. A month with no new case of any source is a zero report: `zeroReport` must say so, and must not otherwise. The city body needs no `zeroReport`.',
      security: bearer,
      parameters: [
        pathParameter('area', 'An area id, or `city` for the consolidated report.'),
        pathParameter('month', 'YYYY-MM.', '^\\d{4}-\\d{2}$'),
      ],
      requestBody: {
        required: true,
        content: {
          'application/json': { schema: { oneOf: [ref('SubmitReport'), ref('SubmitCityReport')] } },
        },
      },
      responses: {
        '200': {
          description: 'The submitted report.',
          content: json({ oneOf: [ref('MonthlyReport'), ref('ConsolidatedReport')] }),
        },
        ...h.errorResponses(
          ['Body is not valid', [InvalidJsonError, ValidationError]],
          ['Not an area (or city), or not a month', [NotFoundError]],
          ['Submitted before the month is over, or a second time', [PeriodOpenError, AlreadySubmittedError]],
          ['Body is not JSON', [UnsupportedMediaTypeError]],
          ['zeroReport contradicts the month’s data', [ZeroReportMismatchError]],
        ),
        ...h.authenticationFailures,
      },
    },
    'GET /v1/assessments': {
      operationId: 'getAssessment',
      tags: ['reports'],
      summary: 'The 100-point assessment (百分考核) of a quarter or a year',
      description: `Each bureau's items with weight, score and basis (Chinese), and the veto flag. The brigade reads every bureau, a bureau itself, a leader its district's bureaus. A year is 0.8 × the mean of its quarters + 0.2 × the satellite score (weights configurable).${fileNote}`,
      security: bearer,
      parameters: h.queryParameters(assessmentQuerySchema),
      responses: {
        '200': {
          description: 'The assessment.',
          content: {
            'application/json': { schema: { oneOf: [ref('QuarterAssessment'), ref('YearAssessment')] } },
            ...SPREADSHEETS,
          },
        },
        ...h.errorResponses(['Invalid query (a quarter or a year, one of them)', [ValidationError]]),
        ...h.authenticationFailures,
      },
    },
    'PUT /v1/assessments/{year}/satellite/{area}': {
      operationId: 'putSatelliteScore',
      tags: ['reports'],
      summary:
        'Enter (or correct) a bureau’s satellite enforcement (卫片执法) score of a year. Brigade only.',
      security: bearer,
      parameters: [
        pathParameter('year', 'YYYY.', '^\\d{4}$'),
        pathParameter('area', 'The bureau’s area id.'),
      ],
      requestBody: { required: true, content: json(ref('SatelliteScoreBody')) },
      responses: {
        '200': { description: 'The stored score.', content: json(ref('SatelliteScore')) },
        ...h.errorResponses(
          ['Body is not valid', [InvalidJsonError, ValidationError]],
          ['Not a year or not an area', [NotFoundError]],
          ['Body is not JSON', [UnsupportedMediaTypeError]],
        ),
        ...h.authenticationFailures,
      },
    },
  };
}

/** The reports API's paths, merged into the document's. */
export function reportsPaths(h: OpenApiHelpers): Record<string, JsonObject> {
  const operations = reportsOperations(h);
  const paths: Record<string, JsonObject> = {};
  for (const route of REPORTS_API_ROUTES) {
    const [method, path] = splitReportsRouteKey(route);
    paths[path] = { ...paths[path], [method.toLowerCase()]: operations[route] };
  }
  return paths;
}
