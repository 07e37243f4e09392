/**
 * The notifier's claims port: the in-memory double follows the rules the DynamoDB adapter's
 * conditions enforce (test/integration runs those against DynamoDB Local), and the adapter writes
 * the item shape the table already holds (pk=NOTIFY#<key>, state, claimant, leaseUntil, sentAt).
 */
import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, DynamoDBDocumentClient, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { DynamoNotificationClaims } from '../../shared/adapters/dynamo-notification-claims.js';
import { MemoryNotificationClaims } from '../support/memory-ports.js';

const t0 = new Date('2026-11-28T00:00:00Z');
const later = (ms: number) => new Date(t0.getTime() + ms);

describe('MemoryNotificationClaims', () => {
  it('lets one delivery claim, holds the others until the lease passes, and never reopens a sent one', async () => {
    const claims = new MemoryNotificationClaims();
    expect(await claims.claim('k', 'n', t0, 1000, 'a')).toBe('claimed');
    expect(await claims.claim('k', 'n', t0, 1000, 'b')).toBe('held');
    // The same delivery takes its own unsent claim back at once (its answer was lost).
    expect(await claims.claim('k', 'n', t0, 1000, 'a')).toBe('claimed');
    expect(await claims.claim('k', 'n', later(2000), 1000, 'b')).toBe('claimed');
    await claims.markSent('k');
    expect(await claims.claim('k', 'n', later(3_600_000), 1000, 'b')).toBe('sent');
    await claims.release('k');
    expect(await claims.claim('k', 'n', later(3_600_000), 1000)).toBe('sent');
  });

  it('gives a released claim to the next delivery at once', async () => {
    const claims = new MemoryNotificationClaims();
    expect(await claims.claim('k', 'n', t0, 60_000, 'a')).toBe('claimed');
    await claims.release('k');
    expect(await claims.claim('k', 'n', t0, 60_000, 'b')).toBe('claimed');
  });

  it('treats calls without a named delivery as claimants of their own', async () => {
    const claims = new MemoryNotificationClaims();
    expect(await claims.claim('k', 'n', t0, 60_000)).toBe('claimed');
    expect(await claims.claim('k', 'n', t0, 60_000)).toBe('held');
  });
});

describe('DynamoNotificationClaims', () => {
  const documentClient = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' }));
  const dynamo = mockClient(documentClient);
  const claims = new DynamoNotificationClaims(documentClient, 'landline');
  const conditionFailed = (item?: Record<string, unknown>) =>
    new ConditionalCheckFailedException({ message: 'taken', $metadata: {}, Item: item as never });

  beforeEach(() => dynamo.reset());

  it('claims with one conditional put of the stored item shape', async () => {
    dynamo.on(PutCommand).resolves({});
    expect(await claims.claim('case_x|assignment|bureau:guli', 'ntf_1', t0, 60_000, 'msg-1')).toBe('claimed');
    const input = dynamo.commandCalls(PutCommand)[0]!.args[0].input;
    expect(input).toMatchObject({
      TableName: 'landline',
      Item: {
        pk: 'NOTIFY#case_x|assignment|bureau:guli',
        sk: 'NOTIFY',
        type: 'notification',
        notificationId: 'ntf_1',
        state: 'sending',
        claimant: 'msg-1',
        leaseUntil: '2026-11-28T00:01:00.000Z',
      },
      ExpressionAttributeValues: { ':sending': 'sending', ':now': t0.toISOString(), ':claimant': 'msg-1' },
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    });
    expect(input.ConditionExpression).toBe(
      'attribute_not_exists(pk) OR (#state = :sending AND (leaseUntil < :now OR claimant = :claimant))',
    );
  });

  it('answers held while another delivery sends, sent once it was sent', async () => {
    dynamo
      .on(PutCommand)
      .rejectsOnce(conditionFailed({ state: { S: 'sending' } }))
      .rejectsOnce(conditionFailed({ state: { S: 'sent' } }));
    expect(await claims.claim('k', 'n', t0, 1000, 'b')).toBe('held');
    expect(await claims.claim('k', 'n', t0, 1000, 'b')).toBe('sent');
  });

  it('passes on failures that are not a lost condition', async () => {
    dynamo.on(PutCommand).rejects(Object.assign(new Error('slow down'), { name: 'ThrottlingException' }));
    await expect(claims.claim('k', 'n', t0, 1000)).rejects.toThrow('slow down');
  });

  it('marks a claim sent and ends its lease', async () => {
    dynamo.on(UpdateCommand).resolves({});
    await claims.markSent('k', t0);
    expect(dynamo.commandCalls(UpdateCommand)[0]!.args[0].input).toMatchObject({
      Key: { pk: 'NOTIFY#k', sk: 'NOTIFY' },
      UpdateExpression: 'SET #state = :sent, sentAt = :at REMOVE leaseUntil',
      ExpressionAttributeValues: { ':sent': 'sent', ':at': t0.toISOString() },
    });
  });

  it('releases only an unsent claim, quietly when it was sent meanwhile', async () => {
    dynamo.on(DeleteCommand).rejectsOnce(conditionFailed());
    await expect(claims.release('k')).resolves.toBeUndefined();
    expect(dynamo.commandCalls(DeleteCommand)[0]!.args[0].input).toMatchObject({
      Key: { pk: 'NOTIFY#k', sk: 'NOTIFY' },
      ConditionExpression: '#state = :sending',
    });
    dynamo.on(DeleteCommand).rejects(Object.assign(new Error('slow down'), { name: 'ThrottlingException' }));
    await expect(claims.release('k')).rejects.toThrow('slow down');
  });
});
