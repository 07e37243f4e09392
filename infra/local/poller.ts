/**
 * Feeds an SQS-triggered handler the way Lambda's event source mapping does: batches of up to 10,
 * partial batch responses (ReportBatchItemFailures), deletes for successes only, and failures left
 * to come back after the visibility timeout, into the DLQ after maxReceiveCount receives.
 *
 * Two behaviours of local-aws-sqs 2.0.2 shape this file:
 * - a ReceiveMessage with WaitTimeSeconds > 0 always waits the full time unless it fills the batch,
 *   so this poller short-polls (WaitTimeSeconds 0) and sleeps briefly when the queue is empty;
 * - ChangeMessageVisibility counts as one more receive, so a "retry sooner" visibility change would
 *   send messages to the DLQ after about half of maxReceiveCount attempts. Failures are therefore
 *   left alone, as Lambda does; the queue's visibility timeout sets the retry delay. The emulator
 *   itself moves a message to the DLQ when its visibility ends after maxReceiveCount receives.
 */
import { createHash } from 'node:crypto';
import {
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  type Message,
  type MessageAttributeValue,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import type {
  Context,
  SQSBatchResponse,
  SQSEvent,
  SQSMessageAttribute,
  SQSMessageAttributes,
  SQSRecord,
  SQSRecordAttributes,
} from 'aws-lambda';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from './emulators.js';
import { lambdaContext } from './lambda-context.js';

/** Any SQS handler: Powertools' processPartialResponse, middy, or a plain async function. */
export type SqsBatchHandler = (event: SQSEvent, context: Context) => unknown;

/** A message a handler failed and that waits in its queue, invisible, for redelivery. */
export interface HeldMessage {
  queueUrl: string;
  messageId: string;
  body: string;
  messageAttributes?: Record<string, MessageAttributeValue>;
}

export interface PollerOptions {
  /** Function name, for the Lambda context and log lines (e.g. "route"). */
  functionName: string;
  queueUrl: string;
  /** The queue's ARN when the caller knows it (provisioning does); otherwise asked for once. */
  queueArn?: string;
  sqsEndpoint: string;
  handler: SqsBatchHandler;
  batchSize?: number;
  /** Pause after an empty receive (default 200 ms). */
  idleDelayMs?: number;
  /** What `context.getRemainingTimeInMillis()` counts down from (default 5 s: 30 s visibility / 6). */
  functionTimeoutMs?: number;
  log?: (line: string) => void;
}

export interface BatchOutcome {
  messageIds: string[];
  failedIds: string[];
  /** Why the whole batch failed, when it did (handler threw, malformed response). */
  wholeBatchFailure?: string;
}

export interface QueuePoller {
  readonly functionName: string;
  readonly queueUrl: string;
  start(): void;
  /** Stops receiving and waits for the batch in progress. */
  stop(): Promise<void>;
  /**
   * Waits until nothing is left to do: no batch in progress and no visible message; messages
   * waiting for redelivery after a failure do not count unless `untilEmpty` (then the queue must
   * hold nothing at all: their retries have run). False when `timeoutMs` ran out first.
   */
  drain(timeoutMs: number, options?: { untilEmpty?: boolean }): Promise<boolean>;
  heldMessages(): HeldMessage[];
  /** Processes one receive's worth of messages now (tests); returns undefined when none came. */
  pollOnce(): Promise<BatchOutcome | undefined>;
}

const md5 = (text: string) => createHash('md5').update(text, 'utf8').digest('hex');

function toLambdaAttribute(value: MessageAttributeValue): SQSMessageAttribute {
  const attribute: SQSMessageAttribute = {
    stringListValues: value.StringListValues ?? [],
    binaryListValues: (value.BinaryListValues ?? []).map((bytes) => Buffer.from(bytes).toString('base64')),
    dataType: (value.DataType ?? 'String') as SQSMessageAttribute['dataType'],
  };
  if (value.StringValue !== undefined) attribute.stringValue = value.StringValue;
  if (value.BinaryValue !== undefined)
    attribute.binaryValue = Buffer.from(value.BinaryValue).toString('base64');
  return attribute;
}

export function toSqsRecord(message: Message, queueArn: string, region = LOCAL_REGION): SQSRecord {
  const attributes = {
    SenderId: '',
    SentTimestamp: '',
    ApproximateFirstReceiveTimestamp: '',
    ...message.Attributes,
  };
  const messageAttributes: SQSMessageAttributes = {};
  for (const [name, value] of Object.entries(message.MessageAttributes ?? {})) {
    messageAttributes[name] = toLambdaAttribute(value);
  }
  const body = message.Body ?? '';
  const record: SQSRecord = {
    messageId: message.MessageId!,
    receiptHandle: message.ReceiptHandle!,
    body,
    attributes: attributes as SQSRecordAttributes,
    messageAttributes,
    md5OfBody: message.MD5OfBody ?? md5(body),
    eventSource: 'aws:sqs',
    eventSourceARN: queueArn,
    awsRegion: region,
  };
  if (message.MD5OfMessageAttributes) record.md5OfMessageAttributes = message.MD5OfMessageAttributes;
  return record;
}

/**
 * Reads a handler's result as Lambda does with ReportBatchItemFailures: nothing or an empty list
 * means all succeeded; anything malformed, or an id not in the batch, fails the whole batch.
 */
export function failedIdsOf(
  result: unknown,
  batchIds: readonly string[],
): { failedIds: string[]; malformed?: string } {
  if (result === undefined || result === null) return { failedIds: [] };
  if (typeof result !== 'object')
    return { failedIds: [...batchIds], malformed: 'the response is not an object' };
  const failures = (result as Partial<SQSBatchResponse>).batchItemFailures;
  if (failures === undefined || failures === null) return { failedIds: [] };
  if (!Array.isArray(failures))
    return { failedIds: [...batchIds], malformed: 'batchItemFailures is not a list' };
  const ids = new Set<string>();
  for (const failure of failures) {
    const id = (failure as { itemIdentifier?: unknown } | null)?.itemIdentifier;
    if (typeof id !== 'string' || id === '' || !batchIds.includes(id)) {
      return {
        failedIds: [...batchIds],
        malformed: 'a batchItemFailures entry names no message of the batch',
      };
    }
    ids.add(id);
  }
  return { failedIds: [...ids] };
}

export function createQueuePoller(options: PollerOptions): QueuePoller {
  const client = new SQSClient({
    endpoint: options.sqsEndpoint,
    region: LOCAL_REGION,
    credentials: LOCAL_CREDENTIALS,
  });
  const batchSize = options.batchSize ?? 10;
  const idleDelayMs = options.idleDelayMs ?? 200;
  const functionTimeoutMs = options.functionTimeoutMs ?? 5_000;
  const log = options.log ?? (() => {});
  const held = new Map<string, HeldMessage>();
  let queueArn: string | undefined = options.queueArn;
  let running = false;
  let loop: Promise<void> | undefined;
  let inFlight: Promise<unknown> | undefined;
  let wake: (() => void) | undefined;

  const pause = (ms: number) =>
    new Promise<void>((done) => {
      const timer = setTimeout(finish, ms);
      function finish() {
        clearTimeout(timer);
        wake = undefined;
        done();
      }
      wake = finish;
    });

  async function arn(): Promise<string> {
    if (!queueArn) {
      const attributes = await client.send(
        new GetQueueAttributesCommand({ QueueUrl: options.queueUrl, AttributeNames: ['QueueArn'] }),
      );
      queueArn = attributes.Attributes!.QueueArn!;
    }
    return queueArn;
  }

  async function deleteMessages(messages: Message[]): Promise<void> {
    for (let start = 0; start < messages.length; start += 10) {
      const chunk = messages.slice(start, start + 10);
      const result = await client.send(
        new DeleteMessageBatchCommand({
          QueueUrl: options.queueUrl,
          Entries: chunk.map((message, index) => ({
            Id: String(index),
            ReceiptHandle: message.ReceiptHandle!,
          })),
        }),
      );
      for (const failure of result.Failed ?? []) {
        log(
          `${options.functionName}: could not delete a processed message (${failure.Code}); it will be redelivered`,
        );
      }
    }
  }

  async function processBatch(messages: Message[]): Promise<BatchOutcome> {
    const event: SQSEvent = { Records: messages.map((message) => toSqsRecord(message, queueArn!)) };
    const messageIds = event.Records.map((record) => record.messageId);
    for (const id of messageIds) held.delete(id);
    let failedIds: string[];
    let wholeBatchFailure: string | undefined;
    try {
      const result = await options.handler(event, lambdaContext(options.functionName, functionTimeoutMs));
      const read = failedIdsOf(result, messageIds);
      failedIds = read.failedIds;
      wholeBatchFailure = read.malformed;
      if (read.malformed)
        log(`${options.functionName}: batch of ${messageIds.length} failed (${read.malformed})`);
    } catch (error) {
      failedIds = [...messageIds];
      wholeBatchFailure = `the handler threw: ${error instanceof Error ? error.name : 'error'}`;
      log(
        `${options.functionName}: batch of ${messageIds.length} failed (${wholeBatchFailure}); ${String(error)}`,
      );
    }
    const failed = new Set(failedIds);
    await deleteMessages(messages.filter((message) => !failed.has(message.MessageId!)));
    for (const message of messages) {
      if (!failed.has(message.MessageId!)) continue;
      const heldMessage: HeldMessage = {
        queueUrl: options.queueUrl,
        messageId: message.MessageId!,
        body: message.Body ?? '',
      };
      if (message.MessageAttributes) heldMessage.messageAttributes = message.MessageAttributes;
      held.set(message.MessageId!, heldMessage);
    }
    return wholeBatchFailure === undefined
      ? { messageIds, failedIds }
      : { messageIds, failedIds, wholeBatchFailure };
  }

  async function pollOnce(): Promise<BatchOutcome | undefined> {
    await arn();
    const received = await client.send(
      new ReceiveMessageCommand({
        QueueUrl: options.queueUrl,
        MaxNumberOfMessages: batchSize,
        WaitTimeSeconds: 0,
        // local-aws-sqs reads only the older AttributeNames field; real SQS reads either.
        AttributeNames: ['All'],
        MessageSystemAttributeNames: ['All'],
        MessageAttributeNames: ['All'],
      }),
    );
    const messages = received.Messages ?? [];
    if (messages.length === 0) return undefined;
    const batch = processBatch(messages);
    inFlight = batch;
    try {
      return await batch;
    } finally {
      inFlight = undefined;
    }
  }

  async function run(): Promise<void> {
    while (running) {
      try {
        const outcome = await pollOnce();
        if (!outcome && running) await pause(idleDelayMs);
      } catch (error) {
        log(`${options.functionName}: polling failed: ${String(error)}`);
        if (running) await pause(1_000);
      }
    }
  }

  async function queueCounts(): Promise<{ visible: number; notVisible: number }> {
    const result = await client.send(
      new GetQueueAttributesCommand({
        QueueUrl: options.queueUrl,
        AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
      }),
    );
    const total = Number(result.Attributes?.ApproximateNumberOfMessages ?? 0);
    const notVisible = Number(result.Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0);
    // local-aws-sqs counts invisible messages in ApproximateNumberOfMessages too.
    return { visible: Math.max(0, total - notVisible), notVisible };
  }

  return {
    functionName: options.functionName,
    queueUrl: options.queueUrl,
    start() {
      if (running) return;
      running = true;
      loop = run();
    },
    async stop() {
      running = false;
      wake?.();
      await loop;
      await inFlight;
      loop = undefined;
      client.destroy();
    },
    async drain(timeoutMs: number, { untilEmpty = false } = {}) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        if (!inFlight) {
          const counts = await queueCounts();
          const waiting = untilEmpty ? 0 : held.size;
          if (!inFlight && counts.visible === 0 && counts.notVisible <= waiting) return true;
        }
        if (Date.now() >= deadline) return false;
        await new Promise((done) => setTimeout(done, 100));
      }
    },
    heldMessages: () => [...held.values()],
    pollOnce,
  };
}
