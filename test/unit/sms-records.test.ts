/**
 * The table adapters around SMS: what is written for a sent SMS and its receipt (the number only on
 * the pending item), the claims' TTL, and the contact directory's cache.
 */
import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { DynamoContactDirectory } from '../../shared/adapters/dynamo-contacts.js';
import { DynamoNotificationClaims } from '../../shared/adapters/dynamo-notification-claims.js';
import {
  DynamoSmsDeliveries,
  parentKeyOf,
  shanghaiDay,
} from '../../shared/adapters/dynamo-sms-deliveries.js';
import { phoneRef } from '../../shared/domain/contacts.js';
import type { SmsDeliveryRecord } from '../../shared/ports/sms.js';

const ddb = mockClient(DynamoDBDocumentClient);
const client = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'cn-north-1' }));
const at = new Date('2026-11-29T17:30:00Z'); // 01:30 on 30 November in Shanghai
const phone = '+8613912345678';
const parentKey = 'case_1|assignment|bureau:guli';
const reference = `${parentKey}|sms|${phoneRef(phone)}`;
const record: SmsDeliveryRecord = {
  parentKey,
  notificationId: 'ntf_1',
  caseId: 'case_1',
  kind: 'assignment',
  target: 'bureau:guli',
  channel: 'aliyun',
  template: 'assignment',
  phoneRef: phoneRef(phone),
  phoneMasked: '139****5678',
  status: 'pending',
  providerMessageId: 'biz-1',
};

beforeEach(() => ddb.reset());

describe('DynamoSmsDeliveries', () => {
  it('marks the SMS claim sent with its delivery, updates the notification record and lists it as pending', async () => {
    await new DynamoSmsDeliveries(client, 'T').recordSent(reference, record, at, phone);
    const [sent, parent] = ddb.commandCalls(UpdateCommand).map((c) => c.args[0].input);
    expect(sent).toMatchObject({ Key: { pk: `NOTIFY#${reference}`, sk: 'NOTIFY' } });
    expect(sent?.UpdateExpression).toMatch(/^SET #state = :sent, sentAt = :at, #ttl = :ttl/);
    expect(sent?.ExpressionAttributeValues).toMatchObject({ ':sent': 'sent', ':at': at.toISOString() });
    expect(Object.values(sent?.ExpressionAttributeValues ?? {})).toEqual(
      expect.arrayContaining(['pending', 'aliyun', '139****5678', 'biz-1', parentKey]),
    );
    expect(JSON.stringify(sent)).not.toContain('13912345678');
    expect(parent).toMatchObject({
      Key: { pk: `NOTIFY#${parentKey}` },
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeNames: { '#sms': `sms:${phoneRef(phone)}` },
      ExpressionAttributeValues: { ':status': 'pending' },
    });
    const [pending] = ddb.commandCalls(PutCommand).map((c) => c.args[0].input);
    expect(pending?.Item).toMatchObject({
      pk: 'SMSPENDING#2026-11-30',
      sk: reference,
      phone,
      providerMessageId: 'biz-1',
    });
    expect(pending?.Item?.expiresAt).toBe(Math.floor(at.getTime() / 1000) + 3 * 86_400);
  });

  it('lists nothing as pending for a channel without receipts, or an SMS refused', async () => {
    const deliveries = new DynamoSmsDeliveries(client, 'T');
    await deliveries.recordSent(reference, { ...record, status: 'accepted' }, at, phone);
    await deliveries.recordSent(reference, { ...record, status: 'failed', code: 'x' }, at, phone);
    expect(ddb.commandCalls(PutCommand)).toEqual([]);
  });

  it('records a receipt on both records and ends the wait; an unconfirmed SMS keeps waiting', async () => {
    const deliveries = new DynamoSmsDeliveries(client, 'T');
    const pending = { reference, phone, providerMessageId: 'biz-1', sentAt: at.toISOString() };
    await deliveries.recordOutcome(pending, { status: 'delivered', at });
    expect(ddb.commandCalls(DeleteCommand)[0]?.args[0].input.Key).toEqual({
      pk: 'SMSPENDING#2026-11-30',
      sk: reference,
    });
    ddb.reset();
    await deliveries.recordOutcome(pending, { status: 'unconfirmed', at });
    expect(ddb.commandCalls(DeleteCommand)).toEqual([]);
    const updates = ddb.commandCalls(UpdateCommand).map((c) => c.args[0].input);
    expect(updates.map((u) => u.Key?.pk)).toEqual([
      `NOTIFY#${reference}`,
      `NOTIFY#${parentKey}`,
      'SMSPENDING#2026-11-30',
    ]);
  });

  it('ignores a record that has expired meanwhile', async () => {
    ddb.on(UpdateCommand).rejects(new ConditionalCheckFailedException({ message: 'gone', $metadata: {} }));
    const pending = { reference, phone, sentAt: at.toISOString() };
    await expect(
      new DynamoSmsDeliveries(client, 'T').recordOutcome(pending, { status: 'failed', at }),
    ).resolves.toBeUndefined();
  });

  it('reads the pending SMS of the last days by their Shanghai day', async () => {
    ddb
      .on(QueryCommand)
      .resolves({ Items: [{ sk: reference, phone, sentAt: at.toISOString(), unconfirmed: false }] });
    const pending = await new DynamoSmsDeliveries(client, 'T').listPending(
      new Date('2026-11-30T02:00:00Z'),
      2,
    );
    expect(
      ddb.commandCalls(QueryCommand).map((c) => c.args[0].input.ExpressionAttributeValues?.[':pk']),
    ).toEqual(['SMSPENDING#2026-11-30', 'SMSPENDING#2026-11-29']);
    expect(pending[0]).toEqual({ reference, phone, sentAt: at.toISOString(), unconfirmed: false });
  });

  it('finds the notification record an SMS belongs to', () => {
    expect(parentKeyOf(reference)).toBe(parentKey);
    expect(parentKeyOf(parentKey)).toBe(parentKey);
    expect(shanghaiDay(at)).toBe('2026-11-30');
  });
});

describe('notification claims', () => {
  it('expire by the table TTL, a good while after any redelivery could come', async () => {
    await new DynamoNotificationClaims(client, 'T').claim('k', 'n', at, 60_000, 'a');
    const item = ddb.commandCalls(PutCommand)[0]?.args[0].input.Item;
    expect(item?.expiresAt).toBe(Math.floor(at.getTime() / 1000) + 400 * 86_400);
  });
});

describe('DynamoContactDirectory', () => {
  it('reads a target once a minute, a target without contacts too', async () => {
    let now = 0;
    ddb
      .on(GetCommand, { Key: { pk: 'CONTACTS#bureau:guli', sk: 'CONTACTS' } })
      .resolves({ Item: { data: { target: 'bureau:guli', phones: [phone], emails: [] } } });
    ddb.on(GetCommand, { Key: { pk: 'CONTACTS#town:guli', sk: 'CONTACTS' } }).resolves({});
    const directory = new DynamoContactDirectory(client, 'T', () => now);
    expect(await directory.contactsOf('bureau:guli')).toMatchObject({ phones: [phone] });
    expect(await directory.contactsOf('town:guli')).toBeUndefined();
    await directory.contactsOf('bureau:guli');
    await directory.contactsOf('town:guli');
    expect(ddb.commandCalls(GetCommand)).toHaveLength(2);
    now += 60_001;
    await directory.contactsOf('bureau:guli');
    expect(ddb.commandCalls(GetCommand)).toHaveLength(3);
  });
});
