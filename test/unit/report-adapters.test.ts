/**
 * The reports' DynamoDB adapters with a mocked client: the keys and conditions they write with (a
 * submission once, a mark once, the watermark forward only, the first-started day once), and the
 * case reader bounded by createdAt on the area index (a query, never a scan).
 */
import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  ScanCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { DynamoCaseReader } from '../../shared/adapters/dynamo-case-store.js';
import { DynamoDeploymentSettings } from '../../shared/adapters/dynamo-deployment-settings.js';
import { DynamoReportStore } from '../../shared/adapters/dynamo-report-store.js';
import { ConditionFailedError } from '../../shared/ports/index.js';
import { caseRecord } from '../support/case-record.js';

const documentClient = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' }));
const dynamo = mockClient(documentClient);
const reports = new DynamoReportStore(documentClient, 'landline');
const conditionFailed = () => new ConditionalCheckFailedException({ message: 'no', $metadata: {} });

beforeEach(() => dynamo.reset());

describe('DynamoReportStore', () => {
  it('stores a submission once, in its month’s partition, on condition that none is there', async () => {
    dynamo.on(UpdateCommand).resolves({});
    await reports.submit({
      unit: 'meili',
      month: '2026-11',
      submittedAt: '2026-12-02T02:00:00.000Z',
      submittedBy: 'bureau:meili',
      zeroReport: true,
      analysis: null,
      figures: { cases: { new: 0 } },
    });
    const input = dynamo.commandCalls(UpdateCommand)[0]!.args[0].input;
    expect(input.Key).toEqual({ pk: 'REPORT#2026-11', sk: 'AREA#meili' });
    expect(input.ConditionExpression).toBe('attribute_not_exists(submittedAt)');
    expect(input.ExpressionAttributeValues?.[':at']).toBe('2026-12-02T02:00:00.000Z');

    dynamo.on(UpdateCommand).rejects(conditionFailed());
    await expect(
      reports.submit({ unit: 'city', month: '2026-11', submittedAt: 'x', submittedBy: 'brigade' }),
    ).rejects.toBeInstanceOf(ConditionFailedError);
    expect(dynamo.commandCalls(UpdateCommand)[1]!.args[0].input.Key).toEqual({
      pk: 'REPORT#2026-11',
      sk: 'CITY',
    });
  });

  it('sets a mark only where it is not set, and says whether this call set it', async () => {
    dynamo.on(UpdateCommand).resolvesOnce({}).rejectsOnce(conditionFailed());
    expect(await reports.mark('guli', '2026-11', 'overdueAt', '2026-12-26T00:00:00.000Z')).toBe(true);
    expect(await reports.mark('guli', '2026-11', 'overdueAt', '2026-12-26T00:01:00.000Z')).toBe(false);
    const input = dynamo.commandCalls(UpdateCommand)[0]!.args[0].input;
    expect(input.ConditionExpression).toBe('attribute_not_exists(#mark)');
    expect(input.ExpressionAttributeNames?.['#mark']).toBe('overdueAt');
  });

  it('reads a month with one query and the submission with its marks', async () => {
    dynamo.on(QueryCommand).resolves({
      Items: [
        {
          pk: 'REPORT#2026-11',
          sk: 'AREA#guli',
          unit: 'guli',
          month: '2026-11',
          submittedAt: '2026-12-02T02:00:00.000Z',
          notifiedAt: '2026-12-02T02:00:01.000Z',
          data: { submittedBy: 'bureau:guli', zeroReport: true, submittedAt: '2026-12-02T02:00:00.000Z' },
        },
        {
          pk: 'REPORT#2026-11',
          sk: 'AREA#meili',
          unit: 'meili',
          month: '2026-11',
          remindedAt: '2026-12-23T01:00:00.000Z',
        },
      ],
    });
    expect(await reports.listMonth('2026-11')).toEqual([
      {
        unit: 'guli',
        month: '2026-11',
        submittedAt: '2026-12-02T02:00:00.000Z',
        notifiedAt: '2026-12-02T02:00:01.000Z',
        submittedBy: 'bureau:guli',
        zeroReport: true,
      },
      { unit: 'meili', month: '2026-11', remindedAt: '2026-12-23T01:00:00.000Z' },
    ]);
    expect(dynamo.commandCalls(QueryCommand)[0]!.args[0].input.ExpressionAttributeValues).toEqual({
      ':pk': 'REPORT#2026-11',
    });
    expect(dynamo.commandCalls(ScanCommand)).toHaveLength(0);
  });

  it('moves the watermark forward only, and takes losing to a further one calmly', async () => {
    dynamo.on(UpdateCommand).resolvesOnce({}).rejectsOnce(conditionFailed());
    await reports.advanceSweptThrough('2026-11');
    await reports.advanceSweptThrough('2026-10');
    expect(dynamo.commandCalls(UpdateCommand)[0]!.args[0].input.ConditionExpression).toBe(
      'attribute_not_exists(#value) OR #value < :month',
    );
  });
});

describe('DynamoDeploymentSettings', () => {
  const settings = new DynamoDeploymentSettings(documentClient, 'landline');

  it('records the first day once and reads it back ever after', async () => {
    dynamo.on(GetCommand).resolves({});
    dynamo.on(PutCommand).resolves({});
    expect(await settings.firstStartedOn('2026-11-30')).toBe('2026-11-30');
    const put = dynamo.commandCalls(PutCommand)[0]!.args[0].input;
    expect(put.Item).toMatchObject({ pk: 'SETTING', sk: 'FIRST_STARTED', value: '2026-11-30' });
    expect(put.ConditionExpression).toBe('attribute_not_exists(pk)');

    dynamo.reset();
    dynamo.on(GetCommand).resolves({ Item: { value: '2026-11-30' } });
    expect(await settings.firstStartedOn('2027-01-05')).toBe('2026-11-30');
    expect(dynamo.commandCalls(PutCommand)).toHaveLength(0);
  });

  it('takes the day another function recorded first', async () => {
    dynamo
      .on(GetCommand)
      .resolvesOnce({})
      .resolvesOnce({ Item: { value: '2026-11-29' } });
    dynamo.on(PutCommand).rejects(conditionFailed());
    expect(await settings.firstStartedOn('2026-11-30')).toBe('2026-11-29');
  });
});

describe('DynamoCaseReader.casesOfAreaCreatedBetween', () => {
  it('queries the area index between two createdAt bounds, page after page', async () => {
    const first = caseRecord({ caseId: 'case_a', createdAt: '2026-11-02T01:00:00.000Z' });
    const second = caseRecord({ caseId: 'case_b', createdAt: '2026-11-20T01:00:00.000Z' });
    dynamo
      .on(QueryCommand)
      .resolvesOnce({ Items: [{ data: first }], LastEvaluatedKey: { pk: 'x' } })
      .resolvesOnce({ Items: [{ data: second }] });
    const reader = new DynamoCaseReader(documentClient, 'landline');
    const found = await reader.casesOfAreaCreatedBetween(
      'meili',
      '2026-11-01T00:00:00+08:00',
      '2026-12-01T00:00:00+08:00',
    );
    expect(found.map((record) => record.caseId)).toEqual(['case_a', 'case_b']);
    const input = dynamo.commandCalls(QueryCommand)[0]!.args[0].input;
    expect(input).toMatchObject({
      IndexName: 'byArea',
      KeyConditionExpression: '#pk = :pk AND #sk BETWEEN :from AND :to',
      ExpressionAttributeValues: {
        ':pk': 'AREA#meili',
        ':from': '2026-10-31T16:00:00.000Z',
        ':to': '2026-11-30T16:00:00.000Z',
      },
    });
    expect(dynamo.commandCalls(ScanCommand)).toHaveLength(0);
  });
});
