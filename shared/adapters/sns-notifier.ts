/**
 * Notifier over SNS: one topic per target (bureau, partner, town, brigade). The message uses
 * per-protocol bodies so SMS subscribers get the short text and e-mail subscribers the full one.
 */
import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { Notification } from '../domain/model.js';
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
        // SNS subjects are ASCII-limited in practice for e-mail; the case number keeps it useful.
        Subject: asciiSubject(notification),
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
          // Notices about a patrol period or a report carry no case (SNS refuses an empty value).
          ...(notification.caseId
            ? { caseId: { DataType: 'String', StringValue: notification.caseId } }
            : {}),
        },
      }),
    );
  }
}

/** SNS rejects subjects with non-ASCII or control characters; keep the ASCII part, capped at 100. */
function asciiSubject(notification: Notification): string {
  const about =
    notification.caseId ??
    [notification.unit, notification.period, notification.report].filter(Boolean).join(' ');
  const ascii = `landline ${notification.kind} ${about}`.replace(/[^\x20-\x7e]/g, '');
  return ascii.slice(0, 100);
}
