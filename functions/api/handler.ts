/**
 * The case API: tip status, cases and their lists for bearer-token principals, plus health and
 * the OpenAPI document. Routing and authorization live in shared/http/case-api.ts.
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import { InvalidCursorError as StoreCursorError } from '../../shared/adapters/dynamo-case-store.js';
import { buildCaseApi } from '../../shared/composition/api.js';
import { handleCaseApi } from '../../shared/http/case-api.js';
import { type CaseApiRoute, WORKING_DAY_ROUTES } from '../../shared/http/case-api-routes.js';
import { InvalidCursorError } from '../../shared/http/errors.js';
import { httpErrorHandler, requestLogger, securityHeaders } from '../../shared/http/middleware.js';
import { logger } from '../../shared/observability.js';

const api = buildCaseApi();
const OPENAPI_ROUTE = 'GET /openapi.json' satisfies CaseApiRoute;

async function lambdaHandler(event: APIGatewayProxyEventV2): Promise<APIGatewayProxyResultV2> {
  try {
    // Only these count working days (event deadlines, patrol limits, a period's grace); reads need no calendar.
    if (WORKING_DAY_ROUTES.has(event.routeKey)) await api.refreshCalendar();
    if (event.routeKey === OPENAPI_ROUTE) await api.loadOpenApiDocument();
    return await handleCaseApi(event, api.deps);
  } catch (error) {
    // Signed by us yet unreadable by the store (say, minted before a change of the store's layout).
    if (error instanceof StoreCursorError)
      throw new InvalidCursorError('翻页游标已失效：请从第一页重新开始。');
    throw error;
  }
}

export const handler = middy<APIGatewayProxyEventV2, APIGatewayProxyResultV2>(lambdaHandler)
  .use(injectLambdaContext(logger, { logEvent: false }))
  .use(requestLogger())
  .use(securityHeaders())
  .use(httpErrorHandler());
