/**
 * The reports function (contract section 8): monthly reports and their submission, the brigade's
 * consolidated report, the assessment and satellite scores, as JSON, xlsx or CSV. A function of its
 * own so that exceljs stays out of the case API's bundle. Routing and authorization live in
 * shared/http/reports-api.ts.
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import { buildReportsApi } from '../../shared/composition/reports.js';
import { httpErrorHandler, requestLogger, securityHeaders } from '../../shared/http/middleware.js';
import { handleReportsApi } from '../../shared/http/reports-api.js';
import { logger } from '../../shared/observability.js';

const api = buildReportsApi();

async function lambdaHandler(event: APIGatewayProxyEventV2): Promise<APIGatewayProxyResultV2> {
  return handleReportsApi(event, api.deps);
}

export const handler = middy<APIGatewayProxyEventV2, APIGatewayProxyResultV2>(lambdaHandler)
  .use(injectLambdaContext(logger, { logEvent: false }))
  .use(requestLogger())
  .use(securityHeaders())
  .use(httpErrorHandler());
