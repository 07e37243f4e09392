/** The feedback sender's queue over SQS: one message per attempt to make, by delivery id. */
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { MAX_QUEUE_DELAY_S } from '../domain/feedback.js';
import type { FeedbackQueue } from '../ports/feedback.js';

export class SqsFeedbackQueue implements FeedbackQueue {
  constructor(
    private readonly client: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async send(deliveryId: string, delaySeconds = 0): Promise<void> {
    await this.client.send(
      new SendMessageCommand({
        QueueUrl: this.queueUrl,
        MessageBody: JSON.stringify({ deliveryId }),
        ...(delaySeconds > 0
          ? { DelaySeconds: Math.min(MAX_QUEUE_DELAY_S, Math.max(0, Math.ceil(delaySeconds))) }
          : {}),
      }),
    );
  }
}
