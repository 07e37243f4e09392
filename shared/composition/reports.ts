/**
 * The reports function's parts (contract section 8): the case reader bounded by when cases were
 * opened, the patrol store, the report store (submissions, marks, satellite scores), the ledger,
 * the assignment queues that carry the submissions' notices, and the token authenticator.
 */
import { dynamoDocumentClient } from '../adapters/clients/dynamodb.js';
import { sqsClient } from '../adapters/clients/sqs.js';
import { functionClock } from '../adapters/clock.js';
import { DynamoCaseReader } from '../adapters/dynamo-case-store.js';
import { DynamoLedgerStore } from '../adapters/dynamo-ledger-store.js';
import { DynamoPatrolStore } from '../adapters/dynamo-patrol-store.js';
import { DynamoReportStore } from '../adapters/dynamo-report-store.js';
import { DynamoTokenStore } from '../adapters/dynamo-token-store.js';
import { SqsAssignmentQueue } from '../adapters/sqs-assignment-queue.js';
import { jsonVar, parseEnv } from '../config/env.js';
import { apiTokensSchema, createApiAuthenticator } from '../http/auth.js';
import type { ReportsApiDeps } from '../http/reports-api.js';
import { routeEnvironment } from './environment.js';
import { assessmentWeights, reportingConfig, reportingEnvironment, reportingStartOf } from './reporting.js';

const reportsEnvironment = routeEnvironment.extend({
  // Absent in the cloud: tokens live hashed in the table (npm run tokens).
  API_TOKENS: jsonVar(apiTokensSchema).optional(),
  ...reportingEnvironment.shape,
});

export function buildReportsApi(env: NodeJS.ProcessEnv = process.env): { deps: ReportsApiDeps } {
  const config = parseEnv(reportsEnvironment, env);
  const reports = new DynamoReportStore(dynamoDocumentClient, config.TABLE_NAME);
  return {
    deps: {
      cases: new DynamoCaseReader(dynamoDocumentClient, config.TABLE_NAME),
      patrols: new DynamoPatrolStore(dynamoDocumentClient, config.TABLE_NAME),
      reports,
      satellite: reports,
      ledger: new DynamoLedgerStore(dynamoDocumentClient, config.TABLE_NAME),
      queue: new SqsAssignmentQueue(sqsClient, config.ASSIGNMENT_QUEUE_URLS),
      clock: functionClock,
      reportingStart: reportingStartOf(config, config.TABLE_NAME),
      config: reportingConfig(config),
      weights: assessmentWeights(config),
      auth: createApiAuthenticator(
        new DynamoTokenStore(dynamoDocumentClient, config.TABLE_NAME),
        config.API_TOKENS,
      ),
    },
  };
}
