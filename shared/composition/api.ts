/**
 * The case API's parts: the stores it reads and writes, the reporter vault that opens identities
 * for allowed principals, the token authenticator and the assignment queues for reassignments.
 */

import { z } from 'zod';
import { dynamoDocumentClient } from '../adapters/clients/dynamodb.js';
import { sqsClient } from '../adapters/clients/sqs.js';
import { functionClock } from '../adapters/clock.js';
import { createCursorKey } from '../adapters/cursor-key.js';
import { DynamoAuditLog } from '../adapters/dynamo-audit-log.js';
import { DynamoDeliveryStore } from '../adapters/dynamo-feedback-store.js';
import { DynamoLedgerStore } from '../adapters/dynamo-ledger-store.js';
import { DynamoTokenStore } from '../adapters/dynamo-token-store.js';
import { createReporterVault, encryptionSdkV2 } from '../adapters/reporter-vault.js';
import { SqsAssignmentQueue } from '../adapters/sqs-assignment-queue.js';
import { jsonVar, parseEnv } from '../config/env.js';
import { apiTokensSchema, createApiAuthenticator } from '../http/auth.js';
import type { CaseApiDeps } from '../http/case-api.js';
import { CognitoAuthenticator } from '../http/cognito-auth.js';
import { createCursorCodec } from '../http/cursor.js';
import { caseWriterParts } from './case-writers.js';
import { routeEnvironment } from './environment.js';
import { patrolParts } from './patrols.js';

const apiEnvironment = routeEnvironment
  .extend({
    // Absent in the cloud: tokens live hashed in the table (npm run tokens).
    API_TOKENS: jsonVar(apiTokensSchema).optional(),
    // The console's user pool (cloud only): its JWTs are accepted beside the bearer tokens.
    COGNITO_USER_POOL_ID: z
      .string()
      .regex(/^[a-z]{2}(-gov)?-[a-z]+-\d_[A-Za-z0-9]+$/, 'must be a user pool id such as cn-north-1_AbC123')
      .optional(),
    COGNITO_CLIENT_ID: z
      .string()
      .regex(/^[a-z0-9]{1,128}$/, 'must be an app client id')
      .optional(),
  })
  .refine((env) => (env.COGNITO_USER_POOL_ID === undefined) === (env.COGNITO_CLIENT_ID === undefined), {
    message: 'COGNITO_USER_POOL_ID and COGNITO_CLIENT_ID are set together or not at all',
    path: ['COGNITO_CLIENT_ID'],
  });

export interface CaseApiFunction {
  deps: CaseApiDeps;
  /**
   * Re-reads the operator-loaded holiday schedules (at most once a minute). Only events open
   * deadlines counted in working days (stop, notify_town), so only they need it; reads do not.
   */
  refreshCalendar(): Promise<unknown>;
  /**
   * Builds the OpenAPI document, once, before the first request for it: its JSON schemas are
   * generated from zod when the module loads, a cost no other request should carry in a cold start.
   */
  loadOpenApiDocument(): Promise<void>;
}

export function buildCaseApi(env: NodeJS.ProcessEnv = process.env): CaseApiFunction {
  const config = parseEnv(apiEnvironment, env);
  const { store, rules, calendarRefresher, budget, calendar, policy } = caseWriterParts(
    config.TABLE_NAME,
    env,
  );
  const patrols = patrolParts(config.TABLE_NAME, env);
  let openApiDocument: unknown;
  return {
    deps: {
      store,
      budget,
      queue: new SqsAssignmentQueue(sqsClient, config.ASSIGNMENT_QUEUE_URLS),
      eventContext: (now) => rules().eventContext(now),
      // split and merge (并单 corrections): a split-off tip is routed as new and filed anew with
      // the site features its anchor kept, so the API carries no text matcher.
      corrections: { writes: store, rules },
      // Reporters sealed before v3 must still open for the brigade and bureaus.
      vault: createReporterVault(env, { v2: encryptionSdkV2 }),
      clock: functionClock,
      audit: new DynamoAuditLog(dynamoDocumentClient, config.TABLE_NAME),
      ledger: new DynamoLedgerStore(dynamoDocumentClient, config.TABLE_NAME),
      // Contract 9: the brigade's list of feedback deliveries and its hand retries.
      deliveries: new DynamoDeliveryStore(dynamoDocumentClient, config.TABLE_NAME),
      auth: createApiAuthenticator(
        new DynamoTokenStore(dynamoDocumentClient, config.TABLE_NAME),
        config.API_TOKENS,
        config.COGNITO_USER_POOL_ID && config.COGNITO_CLIENT_ID
          ? CognitoAuthenticator.forPool({
              userPoolId: config.COGNITO_USER_POOL_ID,
              clientId: config.COGNITO_CLIENT_ID,
            })
          : undefined,
      ),
      openApiDocument: () => {
        if (openApiDocument === undefined) throw new Error('loadOpenApiDocument() was not awaited');
        return openApiDocument;
      },
      // CURSOR_KEY_ARN (Secrets Manager, cloud) or CURSOR_KEY (local run, tests).
      cursors: createCursorCodec(createCursorKey(env)),
      patrols: {
        store: patrols.store,
        reportingStart: patrols.reportingStart,
        calendar,
        policy,
        requirements: patrols.requirements,
        resolvePlace: patrols.resolvePlace,
      },
    },
    refreshCalendar: () => calendarRefresher.refresh(),
    loadOpenApiDocument: async () => {
      openApiDocument ??= (await import('../http/openapi.js')).buildOpenApiDocument();
    },
  };
}
