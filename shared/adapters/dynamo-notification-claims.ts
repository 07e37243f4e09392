/**
 * NotificationClaims in the one table (keys in table-schema.ts):
 *   pk=NOTIFY#<key>   sk=NOTIFY   notificationId, state (sending|sent), claimant, leaseUntil, sentAt
 * Each claim is one conditional write, so two deliveries of the same message cannot both send.
 */
import { randomUUID } from 'node:crypto';
import type { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, type DynamoDBDocumentClient, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { ClaimResult, NotificationClaims } from '../ports/notification-claims.js';
import { isConditionFailure } from './dynamo-conditions.js';
import { TABLE_TTL_ATTRIBUTE } from './table-schema.js';

export const claimKey = (key: string) => ({ pk: `NOTIFY#${key}`, sk: 'NOTIFY' });

/**
 * How long a claim is kept: far longer than any message can come back (4 days in its queue, 14 in
 * its dead-letter queue, then a redrive), and long enough to look up a notification's deliveries
 * for the year's assessment. DynamoDB deletes it some time after (the table's TTL).
 */
export const NOTIFICATION_CLAIM_TTL_DAYS = 400;

/** The TTL attribute's value for a record written at `now`. */
export const claimExpiry = (now: Date): number =>
  Math.floor(now.getTime() / 1000) + NOTIFICATION_CLAIM_TTL_DAYS * 86_400;

export class DynamoNotificationClaims implements NotificationClaims {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async claim(
    key: string,
    notificationId: string,
    now: Date,
    leaseMs: number,
    // Without a named delivery, every call is a claimant of its own.
    claimant: string = randomUUID(),
  ): Promise<ClaimResult> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...claimKey(key),
            type: 'notification',
            notificationId,
            state: 'sending',
            claimant,
            leaseUntil: new Date(now.getTime() + leaseMs).toISOString(),
            [TABLE_TTL_ATTRIBUTE]: claimExpiry(now),
          },
          // An unsent claim may be taken back by its own delivery at once, by any other once its
          // lease has passed (its sender died).
          ConditionExpression:
            'attribute_not_exists(pk) OR (#state = :sending AND (leaseUntil < :now OR claimant = :claimant))',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: {
            ':sending': 'sending',
            ':now': now.toISOString(),
            ':claimant': claimant,
          },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return 'claimed';
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      const existing = (error as ConditionalCheckFailedException).Item as
        | Record<string, { S?: string }>
        | undefined;
      return existing?.state?.S === 'sending' ? 'held' : 'sent';
    }
  }

  async markSent(key: string, at: Date): Promise<void> {
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: claimKey(key),
        UpdateExpression: 'SET #state = :sent, sentAt = :at REMOVE leaseUntil',
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: { ':sent': 'sent', ':at': at.toISOString() },
      }),
    );
  }

  async release(key: string): Promise<void> {
    await this.client
      .send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: claimKey(key),
          // Only an unsent claim: a sent notification must stay sent.
          ConditionExpression: '#state = :sending',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: { ':sending': 'sending' },
        }),
      )
      .catch((error: unknown) => {
        if (!isConditionFailure(error)) throw error;
      });
  }
}
