/**
 * POST /v1/tips/{source}: authenticate, validate, seal the reporter, queue, answer 202.
 * The rules live in shared/http/intake.ts and the acceptTip use case; this file wires them to
 * Lambda and the environment.
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import { buildIntake } from '../../shared/composition/intake.js';
import { handleIntake } from '../../shared/http/intake.js';
import { httpErrorHandler, requestLogger, securityHeaders } from '../../shared/http/middleware.js';
import { logger } from '../../shared/observability.js';

const deps = buildIntake();

export const handler = middy<APIGatewayProxyEventV2, APIGatewayProxyResultV2>(
  (event: APIGatewayProxyEventV2) => handleIntake(event, deps),
)
  .use(injectLambdaContext(logger, { logEvent: false }))
  .use(requestLogger())
  .use(securityHeaders())
  .use(httpErrorHandler());
