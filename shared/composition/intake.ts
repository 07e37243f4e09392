/**
 * The intake function's parts: the source secrets, the intake queue, the reporter vault and the
 * clock the acceptTip use case runs with.
 */
import { dynamoDocumentClient } from '../adapters/clients/dynamodb.js';
import { sqsClient } from '../adapters/clients/sqs.js';
import { functionClock } from '../adapters/clock.js';
import { DynamoCaseReader } from '../adapters/dynamo-case-store.js';
import { createReporterVault } from '../adapters/reporter-vault.js';
import { createSourceSecrets } from '../adapters/source-secrets.js';
import { SqsTipQueue } from '../adapters/sqs-tip-queue.js';
import { parseEnv } from '../config/env.js';
import type { IntakeDeps } from '../http/intake.js';
import { countTipAccepted } from '../observability.js';
import type { FollowUpQueue } from '../ports/feedback.js';
import type { TipQueue } from '../ports/index.js';
import { intakeEnvironment } from './environment.js';

export function buildIntake(env: NodeJS.ProcessEnv = process.env): IntakeDeps {
  const config = parseEnv(intakeEnvironment, env);
  return {
    // SOURCE_SECRET_ARN_<SOURCE> (Secrets Manager, cloud) or SOURCE_SECRET_<SOURCE> (local run).
    secrets: createSourceSecrets(env),
    queue: countingAcceptedTips(new SqsTipQueue(sqsClient, config.INTAKE_QUEUE_URL)),
    vault: createReporterVault(env),
    // The source schemas are memoized per clock object: one per function instance.
    clock: { now: () => functionClock.now(), maxReceiveAgeDays: config.MAX_RECEIVE_AGE_DAYS },
    // Follow-ups (contract 9) name a tip: one read of its anchor tells a known tip from an unknown id.
    tips: new DynamoCaseReader(dynamoDocumentClient, config.TABLE_NAME),
  };
}

/** A tip is accepted once it is queued, its last step: counted there, per source. */
function countingAcceptedTips(queue: TipQueue & FollowUpQueue): TipQueue & FollowUpQueue {
  return {
    async enqueue(tip) {
      await queue.enqueue(tip);
      countTipAccepted(tip.source);
    },
    enqueueFollowUp: (message) => queue.enqueueFollowUp(message),
  };
}
