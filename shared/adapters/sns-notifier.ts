/**
 * Notifier over SNS: one topic per target (bureau, partner, town, brigade). The message uses
 * per-protocol bodies so SMS subscribers get the short text and e-mail subscribers the full one.
 */
import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { Notification } from '../domain/model.js';
import { clip } from '../domain/notifications.js';
import { safeText } from '../domain/text-hygiene.js';
import type { Notifier } from '../ports/index.js';

export class SnsNotifier implements Notifier {
  constructor(
    private readonly client: SNSClient,
    private readonly topicArns: Readonly<Record<string, string>>,
  ) {}

  async send(notification: Notification): Promise<void> {
    const topicArn = this.topicArns[notification.target];
    if (!topicArn) throw new Error(`No topic is configured for ${notification.target}`);
    const { sms, email, ...record } = notification;
    // Machine subscribers (e-mail JSON, SQS, Lambda, and any other protocol) get the whole record.
    const whole = JSON.stringify({ ...record, sms, email });
    await this.client.send(
      new PublishCommand({
        TopicArn: topicArn,
        // The e-mail subject people read: the rendered Chinese subject (contract 11).
        Subject: snsSubject(notification),
        MessageStructure: 'json',
        Message: JSON.stringify({
          default: whole,
          sms,
          email,
          'email-json': whole,
          sqs: whole,
          lambda: whole,
        }),
        MessageAttributes: {
          kind: { DataType: 'String', StringValue: notification.kind },
          audience: { DataType: 'String', StringValue: notification.audience },
          // A notice about a patrol period, a report or a source has no case: SNS refuses empty attributes.
          ...(notification.caseId
            ? { caseId: { DataType: 'String', StringValue: notification.caseId } }
            : {}),
        },
      }),
    );
  }
}

/**
 * SNS takes a UTF-8 subject of fewer than 100 characters without line breaks or control characters
 * (the Publish API reference): the notification's own subject, already one line and free of control
 * characters (text-hygiene), cut to 99 characters; the case number or kind if it were ever empty.
 */
export function snsSubject(notification: Notification): string {
  const subject = clip(safeText(notification.subject).trim(), 99);
  return subject || `${notification.kind} ${notification.caseId ?? ''}`.trim();
}
