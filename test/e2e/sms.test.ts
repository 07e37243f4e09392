/**
 * SMS on a local run: officers set with the contacts store get each notification of their target
 * through the fake provider, which goes the template path a domestic provider needs (template,
 * variables within their length) and writes what it sent; the SMS is recorded on the notification
 * and is sent once however often the message comes back.
 */
import { readFile } from 'node:fs/promises';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoContactDirectory } from '../../shared/adapters/dynamo-contacts.js';
import type { FakeSmsLine } from '../../shared/adapters/sms/fake.js';
import { phoneRef } from '../../shared/domain/contacts.js';
import { make12336Tip } from '../fixtures/tips.js';
import { clientConfig } from '../support/emulators.js';
import { startTestStack, submitAndRoute, type TestLocalStack } from '../support/local-stack.js';
import { readOutbox } from '../support/outbox.js';

const OFFICERS = ['+8613900000001', '+8613900000002'];

let stack: TestLocalStack;
let sqs: SQSClient;
let ddb: DynamoDBDocumentClient;

beforeAll(async () => {
  stack = await startTestStack();
  sqs = new SQSClient(clientConfig(stack.endpoints.sqs));
  ddb = DynamoDBDocumentClient.from(new DynamoDBClient(clientConfig(stack.endpoints.dynamodb)));
  // As `npm run contacts -- --local set bureau:shajiabang --phone … --phone …` would.
  await new DynamoContactDirectory(ddb, stack.tableName).put({
    target: 'bureau:shajiabang',
    phones: OFFICERS,
    emails: [],
    smsKinds: ['assignment', 'escalation'],
    updatedAt: new Date().toISOString(),
  });
});

afterAll(async () => {
  sqs?.destroy();
  ddb?.destroy();
  await stack?.cleanup();
});

async function smsLines(): Promise<FakeSmsLine[]> {
  try {
    return (await readFile(stack.smsFile, 'utf8'))
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as FakeSmsLine);
  } catch (error) {
    if ((error as { code?: string }).code === 'ENOENT') return [];
    throw error;
  }
}

describe('SMS to the officers of a target (local fake provider)', () => {
  it('sends each officer the assignment through its template, once, recorded on the notification', async () => {
    const caseId = await submitAndRoute(stack, '12336', make12336Tip({ reportId: '12336-320581-sms-0001' }));
    await stack.settle();

    const [assignment] = (
      await readOutbox<{ caseId: string; kind: string; target: string; sms: string }>(stack.outboxFile)
    ).filter((n) => n.caseId === caseId && n.kind === 'assignment');
    expect(assignment?.target).toBe('bureau:shajiabang');
    const sent = (await smsLines()).filter((line) => line.reference.startsWith(caseId));
    expect(sent.map((line) => line.phone).sort()).toEqual(['139****0001', '139****0002']);
    for (const line of sent) {
      expect(line.template).toBe('assignment');
      expect(line.text).toBe(assignment?.sms);
      expect(Object.keys(line.variables)).toEqual(['caseNo', 'place', 'due']);
    }
    // Joint-enforcement notices go to partners, who have no contacts here: no SMS.
    expect(sent).toHaveLength(2);

    // The same assignment message again (a redelivery): nothing is sent twice.
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: stack.assignmentQueueUrls['bureau:shajiabang'],
        MessageBody: JSON.stringify({ type: 'assignment', caseId, target: 'bureau:shajiabang' }),
      }),
    );
    await stack.settle();
    expect((await smsLines()).filter((line) => line.reference.startsWith(caseId))).toHaveLength(2);
    expect(
      (await readOutbox<{ caseId: string; kind: string }>(stack.outboxFile)).filter(
        (n) => n.caseId === caseId && n.kind === 'assignment',
      ),
    ).toHaveLength(1);

    const record = await ddb.send(
      new GetCommand({
        TableName: stack.tableName,
        Key: { pk: `NOTIFY#${caseId}|assignment|bureau:shajiabang`, sk: 'NOTIFY' },
      }),
    );
    expect(record.Item).toMatchObject({
      state: 'sent',
      [`sms:${phoneRef(OFFICERS[0]!)}`]: 'pending',
      [`sms:${phoneRef(OFFICERS[1]!)}`]: 'pending',
    });
    expect(JSON.stringify(record.Item)).not.toContain('13900000001');
  });
});
