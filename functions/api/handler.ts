/**
 * The case API: tip status, cases and their lists for bearer-token principals, plus health and
 * the OpenAPI document. Routing and authorization live in shared/http/case-api.ts.
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import { z } from 'zod';
import { dynamoDocumentClient } from '../../shared/adapters/clients/dynamodb.js';
import { sqsClient } from '../../shared/adapters/clients/sqs.js';
import { functionClock } from '../../shared/adapters/clock.js';
import { DynamoAuditLog } from '../../shared/adapters/dynamo-audit-log.js';
import { tableCalendarRefresher } from '../../shared/adapters/dynamo-calendar-store.js';
import { DynamoCaseStore, InvalidCursorError } from '../../shared/adapters/dynamo-case-store.js';
import { DynamoLedgerStore } from '../../shared/adapters/dynamo-ledger-store.js';
import { DynamoTokenStore } from '../../shared/adapters/dynamo-token-store.js';
import { createReporterVault } from '../../shared/adapters/reporter-vault.js';
import { SqsAssignmentQueue } from '../../shared/adapters/sqs-assignment-queue.js';
import {
  assignmentQueueUrls,
  jsonVar,
  nonEmpty,
  parseEnv,
  reminderLeadMsFromEnv,
} from '../../shared/config/env.js';
import { defaultCaseRules } from '../../shared/domain/case-rules.js';
import { apiTokensSchema, createApiAuthenticator } from '../../shared/http/auth.js';
import { handleCaseApi } from '../../shared/http/case-api.js';
import { CASE_EVENTS_ROUTE } from '../../shared/http/case-api-routes.js';
import { httpErrorHandler, requestLogger } from '../../shared/http/middleware.js';
import { buildOpenApiDocument } from '../../shared/http/openapi.js';
import { logger } from '../../shared/observability.js';
import { ValidationError } from '../../shared/usecases/errors.js';

const config = parseEnv(
  z.object({
    TABLE_NAME: nonEmpty,
    ASSIGNMENT_QUEUE_URLS: assignmentQueueUrls,
    // Absent in the cloud: tokens live hashed in the table (npm run tokens).
    API_TOKENS: jsonVar(apiTokensSchema).optional(),
  }),
);

const deps = {
  store: new DynamoCaseStore(dynamoDocumentClient, config.TABLE_NAME, {
    reminderLeadMs: reminderLeadMsFromEnv(),
  }),
  queue: new SqsAssignmentQueue(sqsClient, config.ASSIGNMENT_QUEUE_URLS),
  eventContext: (now: Date) => defaultCaseRules().eventContext(now),
  vault: createReporterVault(),
  clock: functionClock,
  audit: new DynamoAuditLog(dynamoDocumentClient, config.TABLE_NAME),
  ledger: new DynamoLedgerStore(dynamoDocumentClient, config.TABLE_NAME),
  auth: createApiAuthenticator(
    new DynamoTokenStore(dynamoDocumentClient, config.TABLE_NAME),
    config.API_TOKENS,
  ),
  openApiDocument: buildOpenApiDocument,
};

// Events open stop and notify_town deadlines: count them with the operator-loaded schedules.
const calendar = tableCalendarRefresher(dynamoDocumentClient, config.TABLE_NAME);

async function lambdaHandler(event: APIGatewayProxyEventV2): Promise<APIGatewayProxyResultV2> {
  try {
    // Only events open deadlines (stop, notify_town) counted in working days; reads need no calendar.
    if (event.routeKey === CASE_EVENTS_ROUTE) await calendar.refresh();
    return await handleCaseApi(event, deps);
  } catch (error) {
    if (error instanceof InvalidCursorError)
      throw new ValidationError(error.message, [{ path: 'cursor', message: error.message }]);
    throw error;
  }
}

export const handler = middy<APIGatewayProxyEventV2, APIGatewayProxyResultV2>(lambdaHandler)
  .use(injectLambdaContext(logger, { logEvent: false }))
  .use(requestLogger())
  .use(httpErrorHandler());
