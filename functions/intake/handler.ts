/**
 * POST /v1/tips/{source}: authenticate, validate, seal the reporter, queue, answer 202.
 * The rules live in shared/http/intake.ts and the acceptTip use case; this file wires them to
 * Lambda and the environment.
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
import { handleIntake, type IntakeDeps } from '../../shared/http/intake.js';
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

export const handler = middy<APIGatewayProxyEventV2, APIGatewayProxyResultV2>(
  (event: APIGatewayProxyEventV2) => handleIntake(event, deps),
)
  .use(injectLambdaContext(logger, { logEvent: false }))
  .use(requestLogger())
  .use(httpErrorHandler());
