/**
 * POST /v1/tips/{source}: authenticate, validate, seal the reporter, queue, answer 202.
 * All rules live in the acceptTip use case; this file wires it to Lambda and the environment.
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import { z } from 'zod';
import { sqsClient } from '../../shared/adapters/clients/sqs.js';
import { functionClock } from '../../shared/adapters/clock.js';
import { createReporterVault } from '../../shared/adapters/reporter-vault.js';
import { createSourceSecrets } from '../../shared/adapters/source-secrets.js';
import { SqsTipQueue } from '../../shared/adapters/sqs-tip-queue.js';
import { nonEmpty, parseEnv } from '../../shared/config/env.js';
import { acceptTip, type IntakeDeps } from '../../shared/domain/intake.js';
import { jsonResponse } from '../../shared/http/json-response.js';
import { httpErrorHandler, requestLogger } from '../../shared/http/middleware.js';
import { logger } from '../../shared/observability.js';

const config = parseEnv(z.object({ INTAKE_QUEUE_URL: nonEmpty }));

const deps: IntakeDeps = {
  // SOURCE_SECRET_ARN_<SOURCE> (Secrets Manager, cloud) or SOURCE_SECRET_<SOURCE> (local run).
  secrets: createSourceSecrets(),
  queue: new SqsTipQueue(sqsClient, config.INTAKE_QUEUE_URL),
  vault: createReporterVault(),
  clock: functionClock,
};

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
