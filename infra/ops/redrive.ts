/**
 * `npm run redrive -- <queue> [--env <name>] [--rate <messages/s>]`: moves every message of a
 * queue's dead-letter queue back to the queue, once whatever dead-lettered them is fixed.
 *
 * <queue> is a short name (`intake`, `triage`, `bureau-guli`), the full name
 * (`landline-prod-bureau-guli`) or the DLQ's name; `--env` (default dev) picks the prefix.
 *
 * In AWS this starts an SQS message move task (the DLQ is the source, the queue the destination)
 * and prints its progress until it ends. Where message move tasks are not offered it receives from
 * the DLQ and re-sends in batches of 10, deleting each message only after it was sent: against a
 * local endpoint (AWS_ENDPOINT_URL_SQS or AWS_ENDPOINT_URL set; local queues are named
 * `landline-<short>` unless --env is given), and in the China regions (the environment's region in
 * infra/config.ts, or AWS_REGION, is `cn-…`: SQS there has no DLQ redrive API). `--resend` asks for
 * the receive-and-resend path anywhere.
 */

import { pathToFileURL } from 'node:url';
import {
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ListMessageMoveTasksCommand,
  type Message,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SQSClient,
  StartMessageMoveTaskCommand,
} from '@aws-sdk/client-sqs';
import { ENV_CONFIGS } from '../config.js';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../local/emulators.js';

export const DLQ_SUFFIX = '-dlq';
const POLL_INTERVAL_MS = 5_000;

export interface QueuePair {
  readonly queueName: string;
  readonly dlqName: string;
}

/** `bureau-guli` → `landline-dev-bureau-guli` and its `-dlq`; a full or DLQ name is used as given. */
export function resolveQueueNames(input: string, prefix: string): QueuePair {
  const trimmed = input.trim();
  if (!/^[A-Za-z0-9_-]+$/.test(trimmed)) {
    throw new Error(`"${input}" is not a queue name (letters, digits, - and _ only)`);
  }
  const withoutDlq = trimmed.endsWith(DLQ_SUFFIX) ? trimmed.slice(0, -DLQ_SUFFIX.length) : trimmed;
  const queueName = withoutDlq.startsWith(prefix) ? withoutDlq : `${prefix}${withoutDlq}`;
  return { queueName, dlqName: `${queueName}${DLQ_SUFFIX}` };
}

export interface RedriveOptions {
  readonly queue: string;
  readonly prefix: string;
  /** Receive-and-resend instead of a message move task (local endpoints, China regions). */
  readonly local: boolean;
  readonly maxPerSecond?: number;
}

export interface RedriveIo {
  readonly log: (line: string) => void;
  readonly sleep: (ms: number) => Promise<void>;
}

export interface RedriveResult {
  readonly moved: number;
  readonly status: string;
}

interface ResolvedQueue {
  readonly name: string;
  readonly url: string;
  readonly arn: string;
  readonly visible: number;
}

async function describeQueue(client: SQSClient, name: string): Promise<ResolvedQueue & { redrive?: string }> {
  let url: string | undefined;
  try {
    url = (await client.send(new GetQueueUrlCommand({ QueueName: name }))).QueueUrl;
  } catch (error) {
    const code = (error as { name?: string }).name ?? '';
    if (/NonExistentQueue|QueueDoesNotExist/.test(code)) throw new Error(`Queue ${name} does not exist`);
    throw error;
  }
  if (!url) throw new Error(`Queue ${name} does not exist`);
  const attributes =
    (
      await client.send(
        new GetQueueAttributesCommand({
          QueueUrl: url,
          AttributeNames: ['QueueArn', 'ApproximateNumberOfMessages', 'RedrivePolicy'],
        }),
      )
    ).Attributes ?? {};
  if (!attributes.QueueArn) throw new Error(`Queue ${name} reports no ARN`);
  return {
    name,
    url,
    arn: attributes.QueueArn,
    visible: Number(attributes.ApproximateNumberOfMessages ?? 0),
    redrive: attributes.RedrivePolicy,
  };
}

export async function redrive(
  client: SQSClient,
  options: RedriveOptions,
  io: RedriveIo,
): Promise<RedriveResult> {
  const { queueName, dlqName } = resolveQueueNames(options.queue, options.prefix);
  const queue = await describeQueue(client, queueName);
  const dlq = await describeQueue(client, dlqName);
  // Refuse to move messages into a queue that does not dead-letter into this DLQ: a typo in the
  // name must not feed one bureau's messages to another.
  const target = queue.redrive ? (JSON.parse(queue.redrive) as { deadLetterTargetArn?: string }) : {};
  if (target.deadLetterTargetArn !== dlq.arn) {
    throw new Error(`${dlqName} is not the dead-letter queue of ${queueName}; nothing moved`);
  }
  io.log(`${dlqName}: about ${dlq.visible} message(s) → ${queueName}`);
  return options.local ? resendInBatches(client, queue, dlq, io) : moveTask(client, queue, dlq, options, io);
}

async function moveTask(
  client: SQSClient,
  queue: ResolvedQueue,
  dlq: ResolvedQueue,
  options: RedriveOptions,
  io: RedriveIo,
): Promise<RedriveResult> {
  const started = await client.send(
    new StartMessageMoveTaskCommand({
      SourceArn: dlq.arn,
      DestinationArn: queue.arn,
      MaxNumberOfMessagesPerSecond: options.maxPerSecond,
    }),
  );
  io.log(`message move task started (${started.TaskHandle ?? 'no handle'})`);
  for (;;) {
    await io.sleep(POLL_INTERVAL_MS);
    const { Results = [] } = await client.send(
      new ListMessageMoveTasksCommand({ SourceArn: dlq.arn, MaxResults: 1 }),
    );
    const task = Results[0];
    if (!task) throw new Error('the message move task disappeared; check the SQS console');
    const moved = task.ApproximateNumberOfMessagesMoved ?? 0;
    const total = task.ApproximateNumberOfMessagesToMove;
    io.log(`${task.Status}: ${moved}${total === undefined ? '' : ` of ${total}`} moved`);
    if (task.Status === 'RUNNING') continue;
    if (task.Status === 'COMPLETED') return { moved, status: 'COMPLETED' };
    throw new Error(`message move task ${task.Status}${task.FailureReason ? `: ${task.FailureReason}` : ''}`);
  }
}

async function resendInBatches(
  client: SQSClient,
  queue: ResolvedQueue,
  dlq: ResolvedQueue,
  io: RedriveIo,
): Promise<RedriveResult> {
  io.log('local endpoint: receiving and re-sending in batches (no message move task)');
  let moved = 0;
  for (;;) {
    const { Messages = [] } = await client.send(
      new ReceiveMessageCommand({
        QueueUrl: dlq.url,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 0,
        VisibilityTimeout: 60,
        MessageAttributeNames: ['All'],
      }),
    );
    if (Messages.length === 0) break;
    const sent = await client.send(
      new SendMessageBatchCommand({
        QueueUrl: queue.url,
        Entries: Messages.map((message: Message, index) => ({
          Id: String(index),
          MessageBody: message.Body ?? '',
          MessageAttributes: message.MessageAttributes,
        })),
      }),
    );
    const delivered = new Set((sent.Successful ?? []).map((entry) => entry.Id));
    const toDelete = Messages.flatMap((message, index) =>
      delivered.has(String(index)) && message.ReceiptHandle
        ? [{ Id: String(index), ReceiptHandle: message.ReceiptHandle }]
        : [],
    );
    if (toDelete.length > 0) {
      await client.send(new DeleteMessageBatchCommand({ QueueUrl: dlq.url, Entries: toDelete }));
    }
    moved += toDelete.length;
    io.log(`${moved} moved`);
    if ((sent.Failed ?? []).length > 0) {
      // Stop rather than loop: the unsent messages come back to the DLQ after their visibility timeout.
      throw new Error(`${sent.Failed?.length} message(s) could not be re-sent; ${moved} moved so far`);
    }
  }
  return { moved, status: 'COMPLETED' };
}

function optionValue(argv: readonly string[], name: string): string | undefined {
  const index = argv.indexOf(name);
  return index >= 0 ? argv[index + 1] : undefined;
}

/**
 * Receive-and-resend instead of a message move task: for a local endpoint, in the China regions
 * (no DLQ redrive API there), or when asked.
 */
export function usesResend(options: { local: boolean; region?: string; forced?: boolean }): boolean {
  return options.local || Boolean(options.forced) || Boolean(options.region?.startsWith('cn-'));
}

async function main(argv: readonly string[]): Promise<number> {
  const queue = argv.find(
    (arg, index) =>
      !arg.startsWith('--') && !(['--env', '--rate'] as const).some((flag) => argv[index - 1] === flag),
  );
  if (!queue) {
    console.error('usage: npm run redrive -- <queue> [--env dev] [--rate <messages/s>] [--resend]');
    console.error('  <queue>: intake | triage | bureau-<area> | a full queue name');
    return 2;
  }
  const envName = optionValue(argv, '--env');
  const rate = optionValue(argv, '--rate');
  const local = Boolean(process.env.AWS_ENDPOINT_URL_SQS || process.env.AWS_ENDPOINT_URL);
  const prefix = local && !envName ? 'landline-' : `landline-${envName ?? 'dev'}-`;
  const configured = envName ? ENV_CONFIGS[envName] : undefined;
  const region = process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? configured?.region;
  const resend = usesResend({ local, region, forced: argv.includes('--resend') });
  const client = new SQSClient(
    local && !process.env.AWS_ACCESS_KEY_ID
      ? {
          region: process.env.AWS_REGION ?? LOCAL_REGION,
          credentials: { ...LOCAL_CREDENTIALS },
        }
      : {},
  );
  const result = await redrive(
    client,
    { queue, prefix, local: resend, maxPerSecond: rate ? Number(rate) : undefined },
    { log: (line) => console.log(line), sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)) },
  );
  console.log(`done: ${result.moved} message(s) moved back`);
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    },
  );
}
