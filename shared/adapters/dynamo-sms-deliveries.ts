/**
 * SmsDeliveryLog in the one table (keys in table-schema.ts):
 *   pk=NOTIFY#<SMS claim key>    sk=NOTIFY   the SMS's claim, marked sent with its delivery (`smsStatus`, …)
 *   pk=NOTIFY#<notification key> sk=NOTIFY   the notification's record: `sms:<phoneRef>` = the SMS's status
 *   pk=SMSPENDING#<day>          sk=<SMS claim key>   awaiting its receipt (Asia/Shanghai day it was sent)
 * The number itself is kept only on the pending item, which the receipt check needs to ask Alibaba
 * Cloud about it, and which goes with the receipt (or its TTL).
 */
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  PutCommand,
  paginateQuery,
  paginateScan,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { phoneRef } from '../domain/contacts.js';
import type { PendingSms, SmsDeliveryLog, SmsDeliveryRecord } from '../ports/sms.js';
import { isConditionFailure } from './dynamo-conditions.js';
import { claimExpiry, claimKey } from './dynamo-notification-claims.js';
import { TABLE_TTL_ATTRIBUTE } from './table-schema.js';

const SHANGHAI_OFFSET_MS = 8 * 3600_000;
/** The Asia/Shanghai calendar day of an instant, `yyyy-mm-dd`. */
export const shanghaiDay = (at: Date): string =>
  new Date(at.getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);

const pendingKey = (reference: string, sentAt: string) => ({
  pk: `SMSPENDING#${shanghaiDay(new Date(sentAt))}`,
  sk: reference,
});

/** The notification record an SMS claim belongs to: its key without `|sms|<phoneRef>`. */
export const parentKeyOf = (reference: string): string => reference.replace(/\|sms\|ph_[A-Za-z0-9_-]+$/, '');

/** Runs a conditional write whose condition failing means "nothing to do" (the item is gone). */
async function unlessGone(write: () => Promise<unknown>): Promise<void> {
  try {
    await write();
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
  }
}

export class DynamoSmsDeliveries implements SmsDeliveryLog {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    /** How many days a pending item outlives its day (the receipt check looks back 2). */
    private readonly pendingDays = 3,
  ) {}

  async recordSent(reference: string, record: SmsDeliveryRecord, at: Date, phone: string): Promise<void> {
    const sentAt = at.toISOString();
    const fields: Record<string, unknown> = {
      smsStatus: record.status,
      smsChannel: record.channel,
      smsTemplate: record.template,
      smsPhone: record.phoneMasked,
      smsPhoneRef: record.phoneRef,
      smsProviderId: record.providerMessageId,
      smsCode: record.code,
      smsDetail: record.detail,
      notificationId: record.notificationId,
      caseId: record.caseId,
      kind: record.kind,
      target: record.target,
      parentKey: record.parentKey,
    };
    const present = Object.entries(fields).filter(([, value]) => value !== undefined);
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: claimKey(reference),
        UpdateExpression: `SET #state = :sent, sentAt = :at, #ttl = :ttl, ${present
          .map((_, index) => `#f${index} = :f${index}`)
          .join(', ')} REMOVE leaseUntil`,
        ExpressionAttributeNames: {
          '#state': 'state',
          '#ttl': TABLE_TTL_ATTRIBUTE,
          ...Object.fromEntries(present.map(([name], index) => [`#f${index}`, name])),
        },
        ExpressionAttributeValues: {
          ':sent': 'sent',
          ':at': sentAt,
          ':ttl': claimExpiry(at),
          ...Object.fromEntries(present.map(([, value], index) => [`:f${index}`, value])),
        },
      }),
    );
    await this.setParentStatus(record.parentKey, record.phoneRef, record.status);
    if (record.status === 'pending') {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...pendingKey(reference, sentAt),
            type: 'sms-pending',
            phone,
            providerMessageId: record.providerMessageId,
            sentAt,
            unconfirmed: false,
            [TABLE_TTL_ATTRIBUTE]: Math.floor(at.getTime() / 1000) + this.pendingDays * 86_400,
          },
        }),
      );
    }
  }

  async listPending(now: Date, days: number): Promise<Array<PendingSms & { unconfirmed: boolean }>> {
    const pending: Array<PendingSms & { unconfirmed: boolean }> = [];
    for (let back = 0; back < days; back++) {
      const day = shanghaiDay(new Date(now.getTime() - back * 86_400_000));
      const pages = paginateQuery(
        { client: this.client },
        {
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': `SMSPENDING#${day}` },
        },
      );
      for await (const page of pages) {
        for (const item of page.Items ?? []) {
          pending.push({
            reference: item.sk as string,
            phone: item.phone as string,
            ...(item.providerMessageId ? { providerMessageId: item.providerMessageId as string } : {}),
            sentAt: item.sentAt as string,
            unconfirmed: item.unconfirmed === true,
          });
        }
      }
    }
    return pending;
  }

  async recordOutcome(
    pending: PendingSms,
    outcome: { status: 'delivered' | 'failed' | 'unconfirmed'; code?: string; at: Date },
  ): Promise<void> {
    // The record may have expired (or never been written): the pending item is all there is left.
    await unlessGone(() =>
      this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: claimKey(pending.reference),
          UpdateExpression: `SET smsStatus = :status, receiptAt = :at${outcome.code ? ', smsCode = :code' : ''}`,
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: {
            ':status': outcome.status,
            ':at': outcome.at.toISOString(),
            ...(outcome.code ? { ':code': outcome.code } : {}),
          },
        }),
      ),
    );
    await this.setParentStatus(parentKeyOf(pending.reference), phoneRef(pending.phone), outcome.status);
    const key = pendingKey(pending.reference, pending.sentAt);
    if (outcome.status === 'unconfirmed') {
      await unlessGone(() =>
        this.client.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: key,
            UpdateExpression: 'SET unconfirmed = :yes',
            ConditionExpression: 'attribute_exists(pk)',
            ExpressionAttributeValues: { ':yes': true },
          }),
        ),
      );
      return;
    }
    await this.client.send(new DeleteCommand({ TableName: this.tableName, Key: key }));
  }

  /**
   * Every SMS of a case's notifications, for an operator (`npm run contacts -- deliveries`): a
   * filtered scan, like the other operator listings.
   */
  async listForCase(caseId: string): Promise<Array<Record<string, unknown>>> {
    const found: Array<Record<string, unknown>> = [];
    const pages = paginateScan(
      { client: this.client },
      {
        TableName: this.tableName,
        FilterExpression: 'begins_with(pk, :prefix) AND attribute_exists(smsStatus)',
        ExpressionAttributeValues: { ':prefix': `NOTIFY#${caseId}|` },
      },
    );
    for await (const page of pages) found.push(...(page.Items ?? []));
    return found.sort((a, b) => String(a.sentAt).localeCompare(String(b.sentAt)));
  }

  /** `sms:<phoneRef>` on the notification's record; nothing when that record is gone. */
  private async setParentStatus(parentKey: string, ref: string, status: string): Promise<void> {
    await unlessGone(() =>
      this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: claimKey(parentKey),
          UpdateExpression: 'SET #sms = :status',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeNames: { '#sms': `sms:${ref}` },
          ExpressionAttributeValues: { ':status': status },
        }),
      ),
    );
  }
}
