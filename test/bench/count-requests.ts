/**
 * Counts the AWS requests the handlers make during a local run, through middleware on the very
 * client instances the handlers use (shared/adapters/clients/*.ts; same process as the local
 * run). Import only after the local run has set the endpoint variables.
 *
 * "Billed requests per routed tip" counts what our code calls: SQS sends, DynamoDB reads and writes,
 * and one SNS publish per notification (a local run writes the outbox instead of publishing).
 * Partner notices are set aside as the issue asks: the claims, completions and publishes of
 * `joint_enforcement` notifications. Lambda's own SQS polling (ReceiveMessage/DeleteMessageBatch,
 * one each per batch of up to 10) is billed too and is reported apart, not counted here.
 */
import type { MiddlewareStack } from '@smithy/types';

const WRITE_COMMANDS = new Set([
  'PutItemCommand',
  'UpdateItemCommand',
  'DeleteItemCommand',
  'TransactWriteItemsCommand',
  'BatchWriteItemCommand',
  'PutCommand',
  'UpdateCommand',
  'DeleteCommand',
  'TransactWriteCommand',
  'BatchWriteCommand',
]);

function partitionKeyOf(input: Record<string, unknown>): string {
  const item = (input.Item ?? input.Key) as Record<string, unknown> | undefined;
  const pk = item?.pk as unknown;
  if (typeof pk === 'string') return pk;
  if (pk && typeof pk === 'object' && typeof (pk as { S?: unknown }).S === 'string')
    return (pk as { S: string }).S;
  return '';
}

export interface RequestCounts {
  awsRequestsPerTip: number;
  dynamoWritesPerTip: number;
  byOperation: Record<string, number>;
  partnerNoticeRequests: number;
  /** Requests a container makes once, whatever the number of tips (e.g. reading the case sequence). */
  startupRequests: number;
}

export async function countAwsRequests(): Promise<{
  result: (tips: number, publishes?: number) => RequestCounts;
}> {
  const { dynamoDocumentClient } = await import('../../shared/adapters/clients/dynamodb.js');
  const { sqsClient } = await import('../../shared/adapters/clients/sqs.js');
  const { snsClient } = await import('../../shared/adapters/clients/sns.js');
  const counts = new Map<string, number>();
  let partner = 0;
  let startup = 0;
  let dynamoWrites = 0;
  const attach = (service: string, stack: MiddlewareStack<object, object>) => {
    stack.add(
      (next, context) => async (args) => {
        const command = String((context as { commandName?: string }).commandName ?? 'unknown');
        const input = (args as { input: Record<string, unknown> }).input ?? {};
        const pk = partitionKeyOf(input);
        if (pk.includes('|joint_enforcement|')) partner += 1;
        // Read once per container start (the case-number sequence), not once per tip.
        else if (pk.startsWith('SEQ#') && command.startsWith('Get')) startup += 1;
        else {
          const operation = `${service}.${command.replace(/Command$/, '')}`;
          counts.set(operation, (counts.get(operation) ?? 0) + 1);
        }
        if (service === 'DynamoDB' && WRITE_COMMANDS.has(command)) dynamoWrites += 1;
        return next(args);
      },
      { step: 'initialize', name: 'landlineBenchRequestCounter', override: true },
    );
  };
  attach('DynamoDB', dynamoDocumentClient.middlewareStack as unknown as MiddlewareStack<object, object>);
  attach('SQS', sqsClient.middlewareStack as unknown as MiddlewareStack<object, object>);
  attach('SNS', snsClient.middlewareStack as unknown as MiddlewareStack<object, object>);
  return {
    result(tips, publishes = 0) {
      const byOperation: Record<string, number> = {};
      let total = 0;
      for (const [operation, count] of [...counts.entries()].sort()) {
        // Status polling by the load generator is not part of routing a tip.
        if (operation === 'DynamoDB.Query') continue;
        byOperation[operation] = count / tips;
        total += count;
      }
      if (publishes > 0) byOperation['SNS.Publish (outbox lines, partners aside)'] = publishes / tips;
      return {
        awsRequestsPerTip: (total + publishes) / tips,
        dynamoWritesPerTip: dynamoWrites / tips,
        byOperation,
        partnerNoticeRequests: partner,
        startupRequests: startup,
      };
    },
  };
}
