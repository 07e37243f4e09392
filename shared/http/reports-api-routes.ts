/**
 * The route keys the reports function serves (`METHOD /path`, as API Gateway writes them): the
 * monthly reports and the assessment (contract section 8) live in a function of their own because
 * their spreadsheets need exceljs, which the case API's bundle has no room for. The CDK stack and
 * the local gateway build their routes from this list. No imports: the CDK app reads it at synth.
 */
export const REPORTS_API_ROUTES = [
  'GET /v1/reports/monthly',
  'POST /v1/reports/monthly/{area}/{month}/submit',
  'GET /v1/assessments',
  'PUT /v1/assessments/{year}/satellite/{area}',
] as const;

export type ReportsApiRoute = (typeof REPORTS_API_ROUTES)[number];

/** `GET /v1/assessments` → `['GET', '/v1/assessments']`. */
export function splitReportsRouteKey(key: ReportsApiRoute): [method: string, path: string] {
  const [method, path] = key.split(' ') as [string, string];
  return [method, path];
}
