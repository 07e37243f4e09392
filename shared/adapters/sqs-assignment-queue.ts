/** AssignmentQueue over SQS: one queue per bureau plus the brigade's triage queue. */
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { WorkMessage } from '../domain/model.js';
import type { AssignmentQueue } from '../ports/index.js';

export class SqsAssignmentQueue implements AssignmentQueue {
  /** `queueUrls` maps each target (`bureau:<area>`, `brigade`) to its queue URL. */
  constructor(
    private readonly client: SQSClient,
    private readonly queueUrls: Readonly<Record<string, string>>,
  ) {}

  async send(message: WorkMessage): Promise<void> {
    const queueUrl = this.queueUrls[message.target];
    if (!queueUrl) throw new Error(`No queue is configured for ${message.target}`);
    await this.client.send(
      new SendMessageCommand({
        QueueUrl: queueUrl,
        MessageBody: JSON.stringify(message),
        MessageAttributes: {
          type: { DataType: 'String', StringValue: message.type },
          ...(message.type === 'notice'
            ? { key: { DataType: 'String', StringValue: message.key } }
            : { caseId: { DataType: 'String', StringValue: message.caseId } }),
        },
      }),
    );
  }
}
