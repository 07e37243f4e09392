/**
 * The case API's routes (contract section 3) as a table from route key to a small function: parse
 * the request, authenticate, call one use case, shape the response. Kept apart from the Lambda
 * handler so tests can drive it with in-memory ports.
 */
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { type CaseEventBody, caseEventBodySchema } from '../domain/case-events.js';
import { CASE_ID_PATTERN, TIP_ID_PATTERN, WEBHOOK_ID_PATTERN } from '../domain/ids.js';
import type { Principal } from '../domain/model.js';
import { zodIssuesToDetails } from '../domain/validation-details.js';
import { type ActDeps, recordCaseEvent } from '../usecases/act-on-case.js';
import { listAuditRecords } from '../usecases/audit.js';
import {
  DELIVERY_NOT_FOUND,
  type DeliveryDeps,
  listDeliveries,
  retryDelivery,
} from '../usecases/deliveries.js';
import { ForbiddenError, NotFoundError, ValidationError } from '../usecases/errors.js';
import { type LedgerDeps, readLedger } from '../usecases/ledger.js';
import {
  CASE_NOT_FOUND,
  getCaseView,
  getTipStatus,
  listCaseViews,
  type ReadDeps,
  TIP_NOT_FOUND,
  toCaseView,
} from '../usecases/read-cases.js';
import { CASE_API_ROUTES, CASE_EVENTS_ROUTE, type CaseApiRoute } from './case-api-routes.js';
import type { CursorCodec } from './cursor.js';
import { deliveryListQuerySchema } from './delivery-query.js';
import { InvalidJsonError, MethodNotAllowedError, UnsupportedMediaTypeError } from './errors.js';
import { jsonResponse } from './json-response.js';
import { getCompliance, getPatrols, type PatrolApiParts, postPatrol } from './patrol-routes.js';
import {
  auditQuerySchema,
  caseListQuerySchema,
  ledgerQuerySchema,
  parseCaseViewQuery,
  parseQuery,
} from './query.js';

// Ledger (issue 4) and audit (issue 6) dependencies extend this interface.
export interface CaseApiDeps
  extends ReadDeps,
    ActDeps,
    Partial<Pick<LedgerDeps, 'ledger'>>,
    Partial<Pick<DeliveryDeps, 'deliveries'>> {
  /** Resolves an `Authorization` header to a principal, or throws UnauthenticatedError. */
  auth: { authenticate(authorization: string | undefined): Principal | Promise<Principal> };
  openApiDocument: () => unknown;
  /** Signs the page cursors handed out and checks those handed back (see cursor.ts). */
  cursors: CursorCodec;
  /** Patrols (contract section 7): absent where a test does not need them. */
  patrols?: PatrolApiParts;
}

type Handler = (
  event: APIGatewayProxyEventV2,
  deps: CaseApiDeps,
  principal: Principal,
) => Promise<APIGatewayProxyStructuredResultV2>;

/** A route is public (no token) or needs an authenticated principal. */
type Route =
  | {
      public: true;
      handle: (
        event: APIGatewayProxyEventV2,
        deps: CaseApiDeps,
      ) => Promise<APIGatewayProxyStructuredResultV2>;
    }
  | { public?: false; handle: Handler };

const authenticated = (handle: Handler): Route => ({ handle });

/**
 * A path parameter as API Gateway (or the local gateway) delivers it: decoded once, there. Never
 * decoded again here (`%2525E0` must not become `%E0` and then a URIError), and checked against the
 * shape of the ids landline makes before any store sees it: anything else names nothing, 404.
 */
function pathParameter(event: APIGatewayProxyEventV2, name: 'tipId' | 'caseId'): string {
  const value = event.pathParameters?.[name];
  const pattern = name === 'tipId' ? TIP_ID_PATTERN : CASE_ID_PATTERN;
  if (!value || !pattern.test(value))
    throw new NotFoundError(name === 'tipId' ? TIP_NOT_FOUND : CASE_NOT_FOUND);
  return value;
}

const routes: Record<CaseApiRoute, Route> = {
  'GET /health': { public: true, handle: async () => jsonResponse(200, { status: 'ok' }) },
  'GET /openapi.json': {
    public: true,
    handle: async (_event, deps) => jsonResponse(200, deps.openApiDocument()),
  },
  'GET /v1/tips/{tipId}': authenticated(async (event, deps, caller) =>
    jsonResponse(200, await getTipStatus(caller, pathParameter(event, 'tipId'), deps)),
  ),
  'GET /v1/cases/{caseId}': authenticated(async (event, deps, caller) =>
    jsonResponse(
      200,
      await getCaseView(
        caller,
        pathParameter(event, 'caseId'),
        deps,
        parseCaseViewQuery(event.queryStringParameters),
      ),
    ),
  ),
  'GET /v1/cases': authenticated(async (event, deps, caller) => {
    const { overdue, cursor, limit, ...filters } = parseQuery(
      caseListQuerySchema,
      event.queryStringParameters,
    );
    const scope = { principal: caller, list: 'cases', filters: { ...filters, overdue: overdue === 'true' } };
    const query = { ...filters, overdue: overdue === 'true', limit };
    const storeCursor = await deps.cursors.open(cursor, scope);
    const page = await listCaseViews(caller, storeCursor ? { ...query, cursor: storeCursor } : query, deps);
    return jsonResponse(200, { ...page, cursor: await deps.cursors.seal(page.cursor, scope) });
  }),
  // Accountability ledger routes (issue 4) go here.
  'GET /v1/ledger': authenticated(async (event, deps, caller) => {
    if (!deps.ledger) throw new Error('the ledger store is not wired into the case API');
    const ledgerDeps = { ledger: deps.ledger, clock: deps.clock };
    const query = () => parseQuery(ledgerQuerySchema, event.queryStringParameters);
    return jsonResponse(200, await readLedger(caller, query, ledgerDeps));
  }),
  'GET /v1/audit': authenticated(async (event, deps, caller) => {
    const { cursor, ...query } = parseQuery(auditQuerySchema, event.queryStringParameters);
    const scope = { principal: caller, list: 'audit', filters: { caseId: query.caseId } };
    const storeCursor = await deps.cursors.open(cursor, scope);
    const page = await listAuditRecords(
      caller,
      storeCursor ? { ...query, cursor: storeCursor } : query,
      deps,
    );
    return jsonResponse(200, { ...page, cursor: await deps.cursors.seal(page.cursor, scope) });
  }),
  'GET /v1/deliveries': authenticated(async (event, deps, caller) => {
    const { cursor, ...query } = parseQuery(deliveryListQuerySchema, event.queryStringParameters);
    const scope = {
      principal: caller,
      list: 'deliveries',
      filters: { source: query.source, status: query.status },
    };
    const storeCursor = await deps.cursors.open(cursor, scope);
    const page = await listDeliveries(
      caller,
      storeCursor ? { ...query, cursor: storeCursor } : query,
      deliveryDeps(deps),
    );
    return jsonResponse(200, { ...page, cursor: await deps.cursors.seal(page.cursor, scope) });
  }),
  'POST /v1/deliveries/{deliveryId}/retry': authenticated(async (event, deps, caller) => {
    const deliveryId = event.pathParameters?.deliveryId;
    if (!deliveryId || !WEBHOOK_ID_PATTERN.test(deliveryId)) {
      // The role first, as for any id: only the brigade learns whether an id is well formed.
      if (caller.kind !== 'brigade') throw new ForbiddenError('只有监察大队可以查看推送记录。');
      throw new NotFoundError(DELIVERY_NOT_FOUND);
    }
    return jsonResponse(202, await retryDelivery(caller, deliveryId, deliveryDeps(deps)));
  }),
  [CASE_EVENTS_ROUTE]: authenticated(async (event, deps, caller) => {
    const caseId = pathParameter(event, 'caseId');
    const record = await recordCaseEvent(caller, caseId, caseEventBody(event), deps);
    return jsonResponse(200, await toCaseView(record, caller, deps, { withReporter: false }));
  }),
  'POST /v1/patrols': authenticated(postPatrol),
  'GET /v1/patrols': authenticated(getPatrols),
  'GET /v1/patrols/compliance': authenticated(getCompliance),
};

function deliveryDeps(deps: CaseApiDeps): DeliveryDeps {
  if (!deps.deliveries) throw new Error('the delivery store is not wired into the case API');
  return { deliveries: deps.deliveries, clock: deps.clock };
}

const MAX_EVENT_BODY_BYTES = 16 * 1024;

function caseEventBody(event: APIGatewayProxyEventV2): CaseEventBody {
  const parsed = caseEventBodySchema.safeParse(jsonBody(event));
  if (!parsed.success) throw new ValidationError('事件内容有误。', zodIssuesToDetails(parsed.error.issues));
  return parsed.data;
}

function jsonBody(event: APIGatewayProxyEventV2): unknown {
  const contentType = event.headers?.['content-type'] ?? '';
  if (!/^application\/json\s*(;|$)/i.test(contentType)) {
    throw new UnsupportedMediaTypeError('请以application/json格式提交事件。');
  }
  const raw = event.isBase64Encoded
    ? Buffer.from(event.body ?? '', 'base64').toString('utf8')
    : (event.body ?? '');
  if (Buffer.byteLength(raw) > MAX_EVENT_BODY_BYTES) throw new ValidationError('事件内容过大。');
  try {
    return JSON.parse(raw);
  } catch {
    throw new InvalidJsonError('请求内容不是有效的JSON。');
  }
}

export async function handleCaseApi(
  event: APIGatewayProxyEventV2,
  deps: CaseApiDeps,
): Promise<APIGatewayProxyStructuredResultV2> {
  const route = (routes as Record<string, Route | undefined>)[event.routeKey];
  if (!route) {
    const pathKnown = CASE_API_ROUTES.some((key) => key.split(' ')[1] === event.routeKey.split(' ')[1]);
    if (pathKnown) throw new MethodNotAllowedError('该路径不支持此请求方法。');
    throw new NotFoundError('没有此接口。');
  }
  if (route.public) return route.handle(event, deps);
  const principal = await deps.auth.authenticate(
    event.headers?.authorization ?? event.headers?.Authorization,
  );
  return route.handle(event, deps, principal);
}
