/**
 * The route keys the case API serves (`METHOD /path`, as API Gateway writes them). The API's route
 * table must handle exactly these (its type says so), and the CDK stack and the local gateway
 * build their routes from this list, so a new endpoint is declared once. No imports: the CDK app
 * reads it at synth time.
 */
export const CASE_API_ROUTES = [
  'GET /health',
  'GET /openapi.json',
  'GET /v1/tips/{tipId}',
  'GET /v1/cases/{caseId}',
  'GET /v1/cases',
  'GET /v1/ledger',
  'GET /v1/audit',
  'POST /v1/cases/{caseId}/events',
  // Patrols (contract section 7).
  'POST /v1/patrols',
  'GET /v1/patrols',
  'GET /v1/patrols/compliance',
  // Contract 9: the feedback deliveries to the sources (brigade).
  'GET /v1/deliveries',
  'POST /v1/deliveries/{deliveryId}/retry',
] as const;

export type CaseApiRoute = (typeof CASE_API_ROUTES)[number];

/** The one route that opens deadlines counted in working days (and so needs the calendar). */
export const CASE_EVENTS_ROUTE = 'POST /v1/cases/{caseId}/events' satisfies CaseApiRoute;

/**
 * The routes that count working days (and so refresh the calendar first): case events open
 * deadlines, a patrol's late-entry limit and its findings' deadlines, a period's grace.
 */
export const WORKING_DAY_ROUTES: ReadonlySet<string> = new Set<CaseApiRoute>([
  CASE_EVENTS_ROUTE,
  'POST /v1/patrols',
  'GET /v1/patrols/compliance',
]);

/** `GET /v1/cases` → `['GET', '/v1/cases']`. */
export function splitRouteKey(key: CaseApiRoute): [method: string, path: string] {
  const [method, path] = key.split(' ') as [string, string];
  return [method, path];
}
