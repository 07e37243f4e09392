/**
 * The feedback sender's parts (contract 9): the delivery store, its own queue, the sources'
 * endpoints (Secrets Manager in the cloud, FEEDBACK_URL_/FEEDBACK_SECRET_ locally), the HTTP
 * transport, and the brigade's queue for the one notice a disabled endpoint sends. It reads no case
 * and holds no other secret.
 */
import { z } from 'zod';
import { dynamoDocumentClient } from '../adapters/clients/dynamodb.js';
import { sqsClient } from '../adapters/clients/sqs.js';
import { functionClock } from '../adapters/clock.js';
import { DynamoDeliveryStore } from '../adapters/dynamo-feedback-store.js';
import { createFeedbackEndpoints } from '../adapters/feedback-endpoints.js';
import { SqsAssignmentQueue } from '../adapters/sqs-assignment-queue.js';
import { SqsFeedbackQueue } from '../adapters/sqs-feedback-queue.js';
import { fetchWebhookTransport } from '../adapters/webhook-transport.js';
import { assignmentQueueUrls, nonEmpty, parseEnv } from '../config/env.js';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from '../domain/feedback.js';
import { logger } from '../observability.js';
import type { FeedbackEndpoints, WebhookTransport } from '../ports/feedback.js';
import {
  type FeedbackSenderDeps,
  relayFeedback,
  type SendOutcome,
  sendFeedback,
} from '../usecases/send-feedback.js';

/** `FEEDBACK_RETRY_SCHEDULE_S`: comma-separated waits in seconds replacing the Standard Webhooks schedule. */
const retrySchedule = z
  .string()
  .trim()
  .regex(/^\d+(\.\d+)?(\s*,\s*\d+(\.\d+)?)*$/, 'must be comma-separated seconds, e.g. 1,1,2')
  .transform((text) => text.split(',').map((part) => Number(part.trim())))
  .refine((waits) => waits.length <= 20 && waits.every((wait) => wait <= 7 * 24 * 3600), {
    message: 'at most 20 waits of at most 7 days each',
  })
  .optional();

export const feedbackEnvironment = z.object({
  TABLE_NAME: nonEmpty,
  FEEDBACK_QUEUE_URL: nonEmpty,
  // Only `brigade` is used: a disabled endpoint is the brigade's to hear about.
  ASSIGNMENT_QUEUE_URLS: assignmentQueueUrls.refine((urls) => Boolean(urls.brigade), {
    message: 'must name the brigade queue',
  }),
  FEEDBACK_RETRY_SCHEDULE_S: retrySchedule,
});

export interface FeedbackFunction {
  /** One feedback-queue message: one attempt of its delivery, if due. */
  sendMessage(body: string): Promise<SendOutcome>;
  /** The timer's run: queue every delivery whose time has come. */
  relay(): Promise<void>;
}

export function buildFeedbackSender(
  env: NodeJS.ProcessEnv = process.env,
  overrides: { transport?: WebhookTransport; endpoints?: FeedbackEndpoints; random?: () => number } = {},
): FeedbackFunction {
  const config = parseEnv(feedbackEnvironment, env);
  const policy: RetryPolicy = config.FEEDBACK_RETRY_SCHEDULE_S
    ? { ...DEFAULT_RETRY_POLICY, scheduleS: config.FEEDBACK_RETRY_SCHEDULE_S }
    : DEFAULT_RETRY_POLICY;
  const deps: FeedbackSenderDeps = {
    deliveries: new DynamoDeliveryStore(dynamoDocumentClient, config.TABLE_NAME),
    queue: new SqsFeedbackQueue(sqsClient, config.FEEDBACK_QUEUE_URL),
    endpoints: overrides.endpoints ?? createFeedbackEndpoints(env),
    transport: overrides.transport ?? fetchWebhookTransport,
    notices: new SqsAssignmentQueue(sqsClient, { brigade: config.ASSIGNMENT_QUEUE_URLS.brigade! }),
    clock: functionClock,
    policy,
    ...(overrides.random ? { random: overrides.random } : {}),
  };
  return {
    async sendMessage(body) {
      const deliveryId = deliveryIdIn(body);
      const outcome = await sendFeedback(deliveryId, deps);
      report(deliveryId, outcome);
      return outcome;
    },
    async relay() {
      const { queued } = await relayFeedback(deps);
      if (queued.length > 0) logger.info(`feedback relay queued ${queued.length} delivery(ies)`, { queued });
    },
  };
}

function deliveryIdIn(body: string): string {
  const parsed = z.object({ deliveryId: z.string().regex(/^msg_[a-z2-7]{26}$/) }).safeParse(JSON.parse(body));
  // Not ours: fail loudly (retried, then dead-lettered) rather than drop it.
  if (!parsed.success) throw new Error('feedback queue message without a delivery id');
  return parsed.data.deliveryId;
}

function report(deliveryId: string, outcome: SendOutcome): void {
  if (outcome.outcome !== 'attempted') {
    logger.debug(`feedback ${deliveryId}: ${outcome.outcome}`, { deliveryId, ...outcome });
    return;
  }
  const { delivery } = outcome;
  const last = delivery.attempts.at(-1);
  logger.info(
    `feedback ${deliveryId} ${delivery.source} ${delivery.type} #${delivery.sequence} attempt ${last?.attempt}: ${
      last?.responseCode ?? last?.error
    } → ${delivery.status}`,
    {
      deliveryId,
      source: delivery.source,
      type: delivery.type,
      status: delivery.status,
      attempt: last?.attempt,
      responseCode: last?.responseCode,
      latencyMs: last?.latencyMs,
      error: last?.error,
      nextAttemptAt: delivery.nextAttemptAt,
    },
  );
}
