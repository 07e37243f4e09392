/**
 * The business figures an operator watches, as the EMF records CloudWatch reads from the log:
 * tips accepted per source and cases created per area at once (each with a dimension of its
 * own), breaches and notifications stored until the handler publishes them.
 */

import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import {
  DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { canonicalTip } from '../support/canonical-tip.js';

type Observability = typeof import('../../shared/observability.js');
let observability: Observability;
const written: string[] = [];

beforeAll(async () => {
  vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'false');
  vi.stubEnv('POWERTOOLS_METRICS_NAMESPACE', 'landline-test');
  vi.stubEnv('LOG_LEVEL', 'SILENT');
  // Metrics read their switches when created: only now, with the environment above.
  observability = await import('../../shared/observability.js');
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    written.push(String(chunk));
    return true;
  });
});
afterEach(() => {
  written.length = 0;
});
afterAll(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

const records = () =>
  written
    .flatMap((chunk) => chunk.split('\n'))
    .filter((line) => line.includes('"_aws"'))
    .map((line) => JSON.parse(line) as Record<string, unknown> & { _aws: { CloudWatchMetrics: unknown[] } });

describe('business metrics', () => {
  it('writes an accepted tip at once, in the namespace of the deployment, by source', () => {
    observability.countTipAccepted('12336');
    const [record, ...others] = records();
    expect(others).toEqual([]);
    expect(record).toMatchObject({ TipsAccepted: 1, source: '12336', service: 'landline' });
    expect(record!._aws.CloudWatchMetrics).toEqual([
      {
        Namespace: 'landline-test',
        Dimensions: [['service', 'source']],
        Metrics: [{ Name: 'TipsAccepted', Unit: 'Count' }],
      },
    ]);
  });

  it('writes each created case with its own area, triage for none', () => {
    observability.countCaseCreated('guli');
    observability.countCaseCreated(null);
    expect(records().map(({ CasesCreated, area }) => ({ CasesCreated, area }))).toEqual([
      { CasesCreated: 1, area: 'guli' },
      { CasesCreated: 1, area: 'triage' },
    ]);
  });

  it("writes the two alarmed figures under the service dimension alone, as the stack's alarms read them", () => {
    observability.countAmendmentUnapplied();
    observability.countSweepCaseFailures(0);
    observability.countSweepCaseFailures(2);
    observability.publishMetrics();
    const dimensions = records().map((record) => record._aws.CloudWatchMetrics);
    expect(records()).toMatchObject([
      { AmendmentsUnapplied: 1, service: 'landline' },
      { SweepCaseFailures: 2, service: 'landline' },
    ]);
    expect(dimensions.flat()).toMatchObject([
      { Namespace: 'landline-test', Dimensions: [['service']] },
      { Namespace: 'landline-test', Dimensions: [['service']] },
    ]);
  });

  it('stores breaches and notifications sent until published, and publishes nothing when none', () => {
    observability.countDeadlinesBreached(0);
    observability.countNotificationsSent(0);
    observability.publishMetrics();
    expect(written).toEqual([]);
    observability.countDeadlinesBreached(2);
    observability.countNotificationsSent(3);
    expect(records()).toEqual([]);
    observability.publishMetrics();
    expect(records()).toEqual([expect.objectContaining({ DeadlinesBreached: 2, NotificationsSent: 3 })]);
    observability.publishMetrics();
    expect(records()).toHaveLength(1);
  });

  it('counts a case the router created, by its area, and not a redelivery of its tip', async () => {
    const dynamo = mockClient(DynamoDBDocumentClient);
    const sqs = mockClient(SQSClient);
    dynamo.on(GetCommand).resolves({});
    // The same-site lookup (并单) finds no open case nearby.
    dynamo.on(QueryCommand).resolves({ Items: [] });
    dynamo.on(TransactWriteCommand).resolves({});
    sqs.on(SendMessageCommand).resolves({ MessageId: 'm-1' });
    const { buildRouter } = await import('../../shared/composition/route.js');
    const router = buildRouter({
      TABLE_NAME: 'landline-test',
      ASSIGNMENT_QUEUE_URLS: JSON.stringify({
        'bureau:shajiabang': 'https://sqs.cn-north-1.amazonaws.com.cn/123456789012/bureau-shajiabang',
      }),
    });
    const tip = canonicalTip();
    await router.routeMessage(JSON.stringify(tip));
    expect(records().map(({ CasesCreated, area }) => ({ CasesCreated, area }))).toEqual([
      { CasesCreated: 1, area: 'shajiabang' },
    ]);

    // The same tip again: its anchor exists, the case is found, nothing new is counted.
    const [anchorPut, casePut] = dynamo.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems!;
    written.length = 0;
    dynamo.on(TransactWriteCommand).rejects(
      new TransactionCanceledException({
        message: 'cancelled',
        $metadata: {},
        CancellationReasons: [{ Code: 'ConditionalCheckFailed' }, { Code: 'None' }, { Code: 'None' }],
      }),
    );
    dynamo
      .on(GetCommand, { Key: { pk: `TIP#${tip.tipId}`, sk: 'TIP' } })
      .resolves({ Item: anchorPut!.Put!.Item });
    const caseItem = casePut!.Put!.Item!;
    dynamo.on(GetCommand, { Key: { pk: caseItem.pk, sk: 'CASE' } }).resolves({ Item: caseItem });
    await router.routeMessage(JSON.stringify(tip));
    expect(records()).toEqual([]);
    expect(sqs.commandCalls(SendMessageCommand)).toHaveLength(2);
    dynamo.restore();
    sqs.restore();
  });
});
