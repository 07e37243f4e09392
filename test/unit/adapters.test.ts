import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ConditionalCheckFailedException,
  DynamoDBClient,
  TransactionCanceledException,
} from '@aws-sdk/client-dynamodb';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import {
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  caseIndexAttributes,
  DynamoCaseStore,
  InvalidCursorError,
} from '../../shared/adapters/dynamo-case-store.js';
import { DynamoNotificationClaims } from '../../shared/adapters/dynamo-notification-claims.js';
import { OutboxNotifier } from '../../shared/adapters/outbox-notifier.js';
import { SnsNotifier, snsSubject } from '../../shared/adapters/sns-notifier.js';
import { SqsAssignmentQueue } from '../../shared/adapters/sqs-assignment-queue.js';
import { DEFAULT_DEADLINE_POLICY } from '../../shared/domain/deadlines.js';
import type { Notification } from '../../shared/domain/model.js';
import { ConditionFailedError } from '../../shared/ports/index.js';
import { caseRecord } from '../support/case-record.js';

const documentClient = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' }));
const dynamo = mockClient(documentClient);
const store = new DynamoCaseStore(documentClient, 'landline', DEFAULT_DEADLINE_POLICY);

const notification: Notification = {
  id: 'ntf_1',
  at: '2026-11-28T01:16:00.000Z',
  audience: 'bureau',
  target: 'bureau:guli',
  caseId: 'case_x',
  kind: 'assignment',
  subject: '【交办】案件2026-000001（古里镇）',
  sms: '短信',
  email: '邮件正文',
};

beforeEach(() => dynamo.reset());

const anchor = (caseId: string) => ({
  tipId: caseId === 'case_b' ? 'tip_b' : 'tip_a',
  source: '12336' as const,
  externalId: 'e',
  caseId,
  status: 'routed' as const,
  receivedAt: '',
  contentHashes: ['h'],
});

describe('DynamoCaseStore', () => {
  it('writes the tip anchor, the case and its number in one conditional transaction', async () => {
    dynamo.on(GetCommand).resolves({ Item: { value: 41 } });
    dynamo.on(TransactWriteCommand).resolves({});
    const record = caseRecord();
    const written = await store.createCase(anchor(record.caseId), 2026, (sequence) => ({
      ...record,
      caseNo: `2026-${String(sequence).padStart(6, '0')}`,
    }));
    expect(written.caseNo).toBe('2026-000042');
    const input = dynamo.commandCalls(TransactWriteCommand)[0]!.args[0].input;
    expect(input.TransactItems).toHaveLength(3);
    expect(input.TransactItems?.[0]?.Put).toMatchObject({
      ConditionExpression: 'attribute_not_exists(pk)',
      Item: { pk: 'TIP#tip_a', sk: 'TIP' },
    });
    expect(input.TransactItems?.[1]?.Put).toMatchObject({
      ConditionExpression: 'attribute_not_exists(pk)',
      Item: { pk: `CASE#${record.caseId}`, gsi1pk: 'AREA#shajiabang', version: 1 },
    });
    expect(input.TransactItems?.[2]?.Update).toMatchObject({
      Key: { pk: 'SEQ#case#2026' },
      ConditionExpression: '#value = :last',
      ExpressionAttributeValues: { ':next': 42, ':last': 41 },
    });
    // The sequence is read once per container; the next case needs no read.
    await store.createCase(anchor('case_b'), 2026, (sequence) => ({
      ...record,
      caseId: 'case_b',
      caseNo: String(sequence),
    }));
    expect(dynamo.commandCalls(GetCommand)).toHaveLength(1);
    expect(
      dynamo.commandCalls(TransactWriteCommand)[1]!.args[0].input.TransactItems?.[2]?.Update
        ?.ExpressionAttributeValues,
    ).toMatchObject({ ':next': 43 });
  });

  it('retries with the next number when another container took it, reading the number from the refusal', async () => {
    dynamo.on(GetCommand).resolves({ Item: { value: 5 } });
    dynamo
      .on(TransactWriteCommand)
      .rejectsOnce(
        new TransactionCanceledException({
          message: 'cancelled',
          $metadata: {},
          CancellationReasons: [
            { Code: 'None' },
            { Code: 'None' },
            { Code: 'ConditionalCheckFailed', Item: { value: { N: '9' } } },
          ],
        }),
      )
      .resolves({});
    const record = caseRecord();
    // A fresh container: it reads the sequence (5), finds 6 taken, and learns 9 from the refusal.
    const container = new DynamoCaseStore(documentClient, 'landline', DEFAULT_DEADLINE_POLICY);
    const written = await container.createCase(anchor(record.caseId), 2026, (sequence) => ({
      ...record,
      caseNo: String(sequence),
    }));
    expect(written.caseNo).toBe('10');
  });

  it('turns a cancelled transaction into ConditionFailedError', async () => {
    dynamo.on(TransactWriteCommand).rejects(
      new TransactionCanceledException({
        message: 'cancelled',
        $metadata: {},
        CancellationReasons: [{ Code: 'ConditionalCheckFailed' }, { Code: 'None' }],
      }),
    );
    const record = caseRecord();
    await expect(store.createCase(anchor(record.caseId), 2026, () => record)).rejects.toBeInstanceOf(
      ConditionFailedError,
    );
  });

  it('passes throttling and other failures through for the queue to retry', async () => {
    dynamo
      .on(PutCommand)
      .rejects(Object.assign(new Error('slow down'), { name: 'ProvisionedThroughputExceededException' }));
    await expect(store.putCase(caseRecord(), 1)).rejects.toThrow('slow down');
  });

  it('guards case updates with the expected version', async () => {
    dynamo.on(PutCommand).rejects(new ConditionalCheckFailedException({ message: 'no', $metadata: {} }));
    await expect(store.putCase(caseRecord({ version: 3 }), 2)).rejects.toBeInstanceOf(ConditionFailedError);
    expect(dynamo.commandCalls(PutCommand)[0]!.args[0].input).toMatchObject({
      ConditionExpression: 'version = :expected',
      ExpressionAttributeValues: { ':expected': 2 },
    });
  });

  it('lists one area through its index and pages with an opaque cursor', async () => {
    dynamo
      .on(QueryCommand)
      .resolves({ Items: [{ data: caseRecord() }], LastEvaluatedKey: { pk: 'a', sk: 'b' } });
    const page = await store.listCases({ area: 'shajiabang', status: 'assigned' }, 1);
    expect(page.items).toHaveLength(1);
    expect(page.cursor).toBeTypeOf('string');
    const input = dynamo.commandCalls(QueryCommand)[0]!.args[0].input;
    expect(input).toMatchObject({
      IndexName: 'byArea',
      ExpressionAttributeValues: { ':pk': 'AREA#shajiabang', ':status': 'assigned' },
    });
    await store.listCases({ area: 'shajiabang' }, 1, page.cursor!);
    expect(dynamo.commandCalls(QueryCommand)[1]!.args[0].input.ExclusiveStartKey).toEqual({
      pk: 'a',
      sk: 'b',
    });
    await expect(store.listCases({}, 1, 'not-a-cursor')).rejects.toBeInstanceOf(InvalidCursorError);
  });

  it('indexes only open deadlines, in write shards', () => {
    const open = caseIndexAttributes(caseRecord());
    expect(open.gsi3pk).toMatch(/^DUE#[0-7]$/);
    // Two hours before the acknowledge deadline (2026-11-30T15:59:59Z): its reminder.
    expect(open.gsi3sk).toMatch(/^2026-11-30T13:59:59.000Z#case_/);
    expect(open.overdueAt).toBe('2026-11-30T15:59:59.000Z');
    expect(caseIndexAttributes(caseRecord({ status: 'closed' })).gsi3pk).toBeUndefined();
  });
});

describe('DynamoNotificationClaims', () => {
  const claims = new DynamoNotificationClaims(documentClient, 'landline');

  it('claims a notification once, and again only after a dead sender’s lease', async () => {
    dynamo
      .on(PutCommand)
      .resolvesOnce({})
      .rejects(new ConditionalCheckFailedException({ message: 'taken', $metadata: {} }));
    const now = new Date('2026-11-28T00:00:00Z');
    expect(await claims.claim('k', 'ntf', now, 1000)).toBe('claimed');
    expect(await claims.claim('k', 'ntf', now, 1000)).toBe('sent');
    const input = dynamo.commandCalls(PutCommand)[0]!.args[0].input;
    expect(input.ConditionExpression).toContain('leaseUntil < :now');
    expect(input.Item).toMatchObject({
      pk: 'NOTIFY#k',
      state: 'sending',
      leaseUntil: '2026-11-28T00:00:01.000Z',
    });
  });
});

describe('SqsAssignmentQueue', () => {
  const sqs = mockClient(SQSClient);
  afterEach(() => sqs.reset());
  it('sends to the target’s own queue', async () => {
    sqs.on(SendMessageCommand).resolves({ MessageId: '1' });
    const queue = new SqsAssignmentQueue(new SQSClient({ region: 'us-east-1' }), {
      'bureau:guli': 'https://sqs/guli',
      brigade: 'https://sqs/triage',
    });
    await queue.send({ type: 'assignment', caseId: 'case_x', target: 'bureau:guli' });
    expect(sqs.commandCalls(SendMessageCommand)[0]!.args[0].input).toMatchObject({
      QueueUrl: 'https://sqs/guli',
    });
    await expect(
      queue.send({ type: 'assignment', caseId: 'case_x', target: 'bureau:nowhere' }),
    ).rejects.toThrow(/No queue/);
  });
});

describe('SnsNotifier', () => {
  const sns = mockClient(SNSClient);
  afterEach(() => sns.reset());
  it('publishes per-protocol bodies to the target’s topic with the Chinese subject', async () => {
    sns.on(PublishCommand).resolves({ MessageId: 'm' });
    const notifier = new SnsNotifier(new SNSClient({ region: 'us-east-1' }), {
      'bureau:guli': 'arn:aws:sns:cn-north-1:1:guli',
    });
    await notifier.send(notification);
    const input = sns.commandCalls(PublishCommand)[0]!.args[0].input;
    expect(input.TopicArn).toBe('arn:aws:sns:cn-north-1:1:guli');
    expect(input.MessageStructure).toBe('json');
    const message = JSON.parse(input.Message!);
    expect(message.sms).toBe('短信');
    expect(message.email).toBe('邮件正文');
    expect(input.Subject).toBe(notification.subject);
  });

  it('keeps the subject under 100 characters on one line', () => {
    const long = { ...notification, subject: `【交办】${'违'.repeat(120)}\n第二行` };
    const subject = snsSubject(long);
    expect([...subject]).toHaveLength(99);
    expect(subject).not.toMatch(/[\n\r]/);
    expect(snsSubject({ ...notification, subject: '' })).toBe(`${notification.kind} ${notification.caseId}`);
  });

  it('publishes a notice about a patrol period without a case attribute', async () => {
    sns.on(PublishCommand).resolves({ MessageId: 'm' });
    const notifier = new SnsNotifier(new SNSClient({ region: 'us-east-1' }), {
      brigade: 'arn:aws:sns:cn-north-1:1:brigade',
    });
    const { caseId: _caseId, ...rest } = notification;
    await notifier.send({
      ...rest,
      audience: 'brigade',
      target: 'brigade',
      kind: 'patrol_shortfall',
      unit: 'bureau:guli',
      period: '2026-W49',
    });
    const input = sns.commandCalls(PublishCommand)[0]!.args[0].input;
    expect(input.MessageAttributes).not.toHaveProperty('caseId');
    // The notice's own (Chinese) subject, as for every notification.
    expect(input.Subject).toBe(rest.subject);
  });
});

describe('OutboxNotifier', () => {
  it('appends one JSON line per notification', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'landline-outbox-'));
    try {
      const notifier = new OutboxNotifier(join(dir, 'nested', 'outbox.jsonl'));
      await Promise.all([notifier.send(notification), notifier.send({ ...notification, id: 'ntf_2' })]);
      const lines = (await readFile(join(dir, 'nested', 'outbox.jsonl'), 'utf8')).trim().split('\n');
      expect(lines.map((line) => JSON.parse(line).id).sort()).toEqual(['ntf_1', 'ntf_2']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
