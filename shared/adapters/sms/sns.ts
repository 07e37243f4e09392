/**
 * SMS through Amazon SNS in a global region: one Publish straight to the phone number, as a
 * Transactional SMS (delivered ahead of promotional traffic, also to numbers on do-not-disturb
 * lists), with the whole text; SNS has no templates. SNS gives no receipt to pull: its delivery
 * status logs (CloudWatch Logs, switched on by the stack) and the `NumberOfNotificationsFailed`
 * metric it alarms on stand in for them. Not available in the China regions.
 */
import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { SmsChannel, SmsMessage, SmsSendResult } from '../../ports/sms.js';

/** Errors about this one number: recorded failed, not retried. */
const NUMBER_REJECTIONS = new Set(['InvalidParameterException', 'InvalidParameter', 'OptedOutException']);

export interface SnsSmsOptions {
  /** A registered sender id, where the destination country supports them (not mainland China). */
  readonly senderId?: string;
}

export function snsSmsChannel(client: SNSClient, options: SnsSmsOptions = {}): SmsChannel {
  return {
    name: 'sns',
    async send(message: SmsMessage): Promise<SmsSendResult> {
      try {
        const result = await client.send(
          new PublishCommand({
            PhoneNumber: message.phone,
            Message: message.text,
            MessageAttributes: {
              'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' },
              ...(options.senderId
                ? { 'AWS.SNS.SMS.SenderID': { DataType: 'String', StringValue: options.senderId } }
                : {}),
            },
          }),
        );
        return { status: 'accepted', ...(result.MessageId ? { providerMessageId: result.MessageId } : {}) };
      } catch (error) {
        const name = (error as { name?: string }).name ?? '';
        if (NUMBER_REJECTIONS.has(name)) {
          return { status: 'rejected', code: name, detail: (error as Error).message };
        }
        throw error;
      }
    },
  };
}
