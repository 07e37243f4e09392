/** The intake queue over SQS: the message body is the CanonicalTip as JSON (reporter sealed). */
import { createHash } from 'node:crypto';
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { FollowUpMessage } from '../domain/follow-ups.js';
import type { CanonicalTip } from '../domain/model.js';
import type { FollowUpQueue } from '../ports/feedback.js';
import type { TipQueue } from '../ports/index.js';

export class SqsTipQueue implements TipQueue, FollowUpQueue {
  private readonly fifo: boolean;

  constructor(
    private readonly client: SQSClient,
    private readonly queueUrl: string,
  ) {
    this.fifo = queueUrl.endsWith('.fifo');
  }

  async enqueue(tip: CanonicalTip): Promise<void> {
    await this.client.send(
      new SendMessageCommand({
        QueueUrl: this.queueUrl,
        MessageBody: JSON.stringify(tip),
        MessageAttributes: {
          source: { DataType: 'String', StringValue: tip.source },
          tipId: { DataType: 'String', StringValue: tip.tipId },
        },
        // On a FIFO queue, one group per tip keeps a tip's amendments in order without serializing
        // other tips, and an identical retry within the dedup window is dropped by SQS itself.
        ...(this.fifo
          ? {
              MessageGroupId: tip.tipId,
              MessageDeduplicationId: createHash('sha256')
                .update(`${tip.tipId}:${tip.contentHash}`)
                .digest('hex'),
            }
          : {}),
      }),
    );
  }

  /** A source's follow-up (contract 9), on the same queue: the router applies it to the tip's case. */
  async enqueueFollowUp(message: FollowUpMessage): Promise<void> {
    await this.client.send(
      new SendMessageCommand({
        QueueUrl: this.queueUrl,
        MessageBody: JSON.stringify(message),
        MessageAttributes: {
          source: { DataType: 'String', StringValue: message.source },
          tipId: { DataType: 'String', StringValue: message.tipId },
          type: { DataType: 'String', StringValue: 'follow_up' },
        },
        // In the tip's group, after the tip itself; a resend of the same request is dropped by SQS.
        ...(this.fifo
          ? {
              MessageGroupId: message.tipId,
              MessageDeduplicationId: createHash('sha256')
                .update(`${message.tipId}:follow_up:${message.webhookId}`)
                .digest('hex'),
            }
          : {}),
      }),
    );
  }
}
