/**
 * The case API's routes (contract section 3) as a table from route key to a small function: parse
 * the request, authenticate, call one use case, shape the response. Kept apart from the Lambda
 * handler so tests can drive it with in-memory ports.
 */
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { z } from 'zod';
import { AREA_IDS, CASE_STATUSES, type Principal } from '../domain/model.js';
import { type ActDeps, recordCaseEvent } from '../usecases/act-on-case.js';
import {
  getCaseView,
  getTipStatus,
  listCaseViews,
  type ReadDeps,
  toCaseView,
} from '../usecases/read-cases.js';
import type { TokenAuthenticator } from './auth.js';
import {
  InvalidJsonError,
  jsonResponse,
  MethodNotAllowedError,
  NotFoundError,
  UnsupportedMediaTypeError,
  ValidationError,
} from './errors.js';
import { zodIssuesToDetails } from './validation.js';

export interface CaseApiDeps extends ReadDeps, ActDeps {
  auth: TokenAuthenticator;
  openApiDocument: () => unknown;
}

type Route = (
  event: APIGatewayProxyEventV2,
  deps: CaseApiDeps,
  principal: () => Principal,
) => Promise<APIGatewayProxyStructuredResultV2>;

const listQuerySchema = z.object({
  area: z.enum([...AREA_IDS, 'triage']).optional(),
  status: z.enum(CASE_STATUSES).optional(),
  overdue: z.enum(['true', 'false']).optional(),
  cursor: z.string().min(1).max(2000).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});

function pathParameter(event: APIGatewayProxyEventV2, name: string): string {
  const value = event.pathParameters?.[name];
  if (!value) throw new NotFoundError('Not found.');
  return decodeURIComponent(value);
}

const routes: Record<string, Route> = {
  'GET /health': async () => jsonResponse(200, { status: 'ok' }),
  'GET /openapi.json': async (_event, deps) => jsonResponse(200, deps.openApiDocument()),
  'GET /v1/tips/{tipId}': async (event, deps, principal) =>
    jsonResponse(200, await getTipStatus(principal(), pathParameter(event, 'tipId'), deps)),
  'GET /v1/cases/{caseId}': async (event, deps, principal) =>
    jsonResponse(200, await getCaseView(principal(), pathParameter(event, 'caseId'), deps)),
  'GET /v1/cases': async (event, deps, principal) => {
    const caller = principal();
    const parsed = listQuerySchema.safeParse(event.queryStringParameters ?? {});
    if (!parsed.success)
      throw new ValidationError('The query is not valid.', zodIssuesToDetails(parsed.error.issues));
    const { overdue, ...rest } = parsed.data;
    return jsonResponse(200, await listCaseViews(caller, { ...rest, overdue: overdue === 'true' }, deps));
  },
  'POST /v1/cases/{caseId}/events': async (event, deps, principal) => {
    const caller = principal();
    const record = await recordCaseEvent(caller, pathParameter(event, 'caseId'), jsonBody(event), deps);
    return jsonResponse(200, await toCaseView(record, caller, deps, { withReporter: false }));
  },
};

const MAX_EVENT_BODY_BYTES = 16 * 1024;

function jsonBody(event: APIGatewayProxyEventV2): unknown {
  const contentType = event.headers?.['content-type'] ?? '';
  if (!/^application\/json\s*(;|$)/i.test(contentType)) {
    throw new UnsupportedMediaTypeError('Send the event as application/json.');
  }
  const raw = event.isBase64Encoded
    ? Buffer.from(event.body ?? '', 'base64').toString('utf8')
    : (event.body ?? '');
  if (Buffer.byteLength(raw) > MAX_EVENT_BODY_BYTES)
    throw new ValidationError('The event body is too large.');
  try {
    return JSON.parse(raw);
  } catch {
    throw new InvalidJsonError('The body is not valid JSON.');
  }
}

/** Route keys this API serves, for the gateway, the CDK routes and the OpenAPI document. */
export const CASE_API_ROUTES = Object.keys(routes);

export async function handleCaseApi(
  event: APIGatewayProxyEventV2,
  deps: CaseApiDeps,
): Promise<APIGatewayProxyStructuredResultV2> {
  const route = routes[event.routeKey];
  if (!route) {
    const pathKnown = CASE_API_ROUTES.some((key) => key.split(' ')[1] === event.routeKey.split(' ')[1]);
    if (pathKnown) throw new MethodNotAllowedError('This method is not allowed on this path.');
    throw new NotFoundError('No such endpoint.');
  }
  let principal: Principal | undefined;
  // Authenticate lazily: health and the OpenAPI document are public.
  const authenticate = () => {
    principal ??= deps.auth.authenticate(event.headers?.authorization ?? event.headers?.Authorization);
    return principal;
  };
  return route(event, deps, authenticate);
}
