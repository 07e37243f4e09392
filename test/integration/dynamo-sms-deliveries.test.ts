/**
 * The SMS records and the contact directory against DynamoDB Local: an SMS claimed and recorded
 * once, its receipt on both records, the pending list by Shanghai day, an operator's listing.
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoContactDirectory } from '../../shared/adapters/dynamo-contacts.js';
import { DynamoNotificationClaims } from '../../shared/adapters/dynamo-notification-claims.js';
import { DynamoSmsDeliveries } from '../../shared/adapters/dynamo-sms-deliveries.js';
import { maskPhone, phoneRef } from '../../shared/domain/contacts.js';
import type { SmsDeliveryRecord } from '../../shared/ports/sms.js';
import { startTestTable, type TestTable } from '../support/emulators.js';

let table: TestTable;
let claims: DynamoNotificationClaims;
let deliveries: DynamoSmsDeliveries;

beforeAll(async () => {
  table = await startTestTable('sms-test');
  claims = new DynamoNotificationClaims(table.client, table.tableName);
  deliveries = new DynamoSmsDeliveries(table.client, table.tableName);
});

afterAll(async () => {
  await table?.stop();
});

const item = async (pk: string) =>
  (await table.client.send(new GetCommand({ TableName: table.tableName, Key: { pk, sk: 'NOTIFY' } }))).Item;

describe('SMS records in the table', () => {
  it('claims an SMS once, records it sent and pending, then its receipt on both records', async () => {
    const sentAt = new Date('2026-11-29T17:30:00Z');
    const phone = '+8613912345678';
    const parentKey = 'case_1|assignment|bureau:guli';
    const reference = `${parentKey}|sms|${phoneRef(phone)}`;
    expect(await claims.claim(parentKey, 'ntf_1', sentAt, 60_000, 'd1')).toBe('claimed');
    expect(await claims.claim(reference, 'ntf_1', sentAt, 60_000, 'd1')).toBe('claimed');
    const record: SmsDeliveryRecord = {
      parentKey,
      notificationId: 'ntf_1',
      caseId: 'case_1',
      kind: 'assignment',
      target: 'bureau:guli',
      channel: 'aliyun',
      template: 'assignment',
      phoneRef: phoneRef(phone),
      phoneMasked: maskPhone(phone),
      status: 'pending',
      providerMessageId: 'biz-1',
    };
    await deliveries.recordSent(reference, record, sentAt, phone);
    // Sent: never claimable again, whoever asks.
    expect(await claims.claim(reference, 'ntf_1', new Date('2026-12-01T00:00:00Z'), 60_000, 'd2')).toBe(
      'sent',
    );
    expect(await item(`NOTIFY#${reference}`)).toMatchObject({
      smsStatus: 'pending',
      smsPhone: '139****5678',
    });
    expect(await item(`NOTIFY#${parentKey}`)).toMatchObject({ [`sms:${phoneRef(phone)}`]: 'pending' });

    const pending = await deliveries.listPending(new Date('2026-11-30T03:00:00Z'), 2);
    expect(pending).toEqual([
      { reference, phone, providerMessageId: 'biz-1', sentAt: sentAt.toISOString(), unconfirmed: false },
    ]);
    await deliveries.recordOutcome(pending[0]!, {
      status: 'unconfirmed',
      at: new Date('2026-11-30T00:10:00Z'),
    });
    expect((await deliveries.listPending(new Date('2026-11-30T03:00:00Z'), 2))[0]?.unconfirmed).toBe(true);
    await deliveries.recordOutcome(pending[0]!, {
      status: 'failed',
      code: 'MK:0001',
      at: new Date('2026-11-30T00:20:00Z'),
    });
    expect(await deliveries.listPending(new Date('2026-11-30T03:00:00Z'), 2)).toEqual([]);
    expect(await item(`NOTIFY#${reference}`)).toMatchObject({ smsStatus: 'failed', smsCode: 'MK:0001' });
    expect(await item(`NOTIFY#${parentKey}`)).toMatchObject({ [`sms:${phoneRef(phone)}`]: 'failed' });
    expect((await deliveries.listForCase('case_1')).map((sms) => sms.smsStatus)).toEqual(['failed']);
  });

  it('keeps contacts per target and lists them for operators', async () => {
    const directory = new DynamoContactDirectory(table.client, table.tableName);
    await directory.put({
      target: 'brigade',
      phones: ['+8613900000003'],
      emails: [],
      updatedAt: '2026-11-28T00:00:00Z',
    });
    expect(await directory.contactsOf('brigade')).toMatchObject({ phones: ['+8613900000003'] });
    expect((await directory.list()).map((c) => c.target)).toEqual(['brigade']);
    await directory.remove('brigade');
    expect(await directory.get('brigade')).toBeUndefined();
  });
});
