/**
 * POST /v1/tips/{source}: authenticate, validate, seal the reporter, queue, answer 202.
 * All rules live in the acceptTip use case; this file wires it to Lambda and the environment.
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import { buildIntake } from '../../shared/composition/intake.js';
import { acceptTip } from '../../shared/domain/intake.js';
import { jsonResponse } from '../../shared/http/errors.js';
import { httpErrorHandler, requestLogger } from '../../shared/http/middleware.js';
import { logger } from '../../shared/observability.js';

const deps = buildIntake();

async function lambdaHandler(event: APIGatewayProxyEventV2): Promise<APIGatewayProxyResultV2> {
  const rawBody = event.isBase64Encoded
    ? Buffer.from(event.body ?? '', 'base64')
    : Buffer.from(event.body ?? '', 'utf8');
  const result = await acceptTip(
    { source: event.pathParameters?.source ?? '', headers: event.headers ?? {}, rawBody },
    deps,
  );
  return jsonResponse(202, result);
}

export const handler = middy<APIGatewayProxyEventV2, APIGatewayProxyResultV2>(lambdaHandler)
  .use(injectLambdaContext(logger, { logEvent: false }))
  .use(requestLogger())
  .use(httpErrorHandler());
