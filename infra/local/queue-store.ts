/**
 * local-aws-sqs keeps messages in memory only. On shutdown whatever is still queued (dead letters
 * above all) is written to `$DATA_DIR/queues.json` and put back on the next start, so a restart
 * loses nothing. Receive counts start again from zero after a restart; message ids are new.
 */
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import {
  type MessageAttributeValue,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from './emulators.js';
import type { HeldMessage } from './poller.js';

interface SavedAttribute {
  DataType: string;
  StringValue?: string;
  /** base64 */
  BinaryValue?: string;
}

export interface SavedMessage {
  queue: string;
  messageId: string;
  body: string;
  messageAttributes?: Record<string, SavedAttribute>;
}

export interface SavedQueues {
  version: 1;
  savedAt: string;
  messages: SavedMessage[];
}

const NEVER_AGAIN_S = 43_200;

const sqsClient = (endpoint: string) =>
  new SQSClient({ endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });

function toSaved(
  attributes: Record<string, MessageAttributeValue> | undefined,
): Record<string, SavedAttribute> | undefined {
  if (!attributes || Object.keys(attributes).length === 0) return undefined;
  const saved: Record<string, SavedAttribute> = {};
  for (const [name, value] of Object.entries(attributes)) {
    const attribute: SavedAttribute = { DataType: value.DataType ?? 'String' };
    if (value.StringValue !== undefined) attribute.StringValue = value.StringValue;
    if (value.BinaryValue !== undefined)
      attribute.BinaryValue = Buffer.from(value.BinaryValue).toString('base64');
    saved[name] = attribute;
  }
  return saved;
}

function fromSaved(
  attributes: Record<string, SavedAttribute> | undefined,
): Record<string, MessageAttributeValue> | undefined {
  if (!attributes) return undefined;
  const restored: Record<string, MessageAttributeValue> = {};
  for (const [name, value] of Object.entries(attributes)) {
    restored[name] = {
      DataType: value.DataType,
      ...(value.StringValue !== undefined ? { StringValue: value.StringValue } : {}),
      ...(value.BinaryValue !== undefined ? { BinaryValue: Buffer.from(value.BinaryValue, 'base64') } : {}),
    };
  }
  return restored;
}

export interface SaveOptions {
  sqsEndpoint: string;
  /** Queue name → URL, DLQs included. */
  queueUrls: Record<string, string>;
  /** Messages the pollers failed and that are invisible now (they cannot be received until later). */
  held?: HeldMessage[];
  file: string;
}

/**
 * Takes every message out of every queue and writes them to `file` (nothing written when there are
 * none). Call it with the pollers stopped; the emulator is about to go away with its memory.
 */
export async function saveQueueMessages(options: SaveOptions): Promise<number> {
  const client = sqsClient(options.sqsEndpoint);
  const messages: SavedMessage[] = [];
  const seen = new Set<string>();
  try {
    for (const [queue, url] of Object.entries(options.queueUrls)) {
      for (;;) {
        const received = await client.send(
          new ReceiveMessageCommand({
            QueueUrl: url,
            MaxNumberOfMessages: 10,
            WaitTimeSeconds: 0,
            VisibilityTimeout: NEVER_AGAIN_S,
            MessageAttributeNames: ['All'],
          }),
        );
        const batch = received.Messages ?? [];
        if (batch.length === 0) break;
        for (const message of batch) {
          if (seen.has(message.MessageId!)) continue;
          seen.add(message.MessageId!);
          const saved: SavedMessage = { queue, messageId: message.MessageId!, body: message.Body ?? '' };
          const attributes = toSaved(message.MessageAttributes);
          if (attributes) saved.messageAttributes = attributes;
          messages.push(saved);
        }
      }
    }
  } finally {
    client.destroy();
  }
  const nameByUrl = new Map(Object.entries(options.queueUrls).map(([name, url]) => [url, name]));
  for (const held of options.held ?? []) {
    // Seen elsewhere means the emulator already moved it (to its DLQ): keep that copy only.
    if (seen.has(held.messageId)) continue;
    const queue = nameByUrl.get(held.queueUrl);
    if (!queue) continue;
    seen.add(held.messageId);
    const saved: SavedMessage = { queue, messageId: held.messageId, body: held.body };
    const attributes = toSaved(held.messageAttributes);
    if (attributes) saved.messageAttributes = attributes;
    messages.push(saved);
  }
  if (messages.length === 0) return 0;
  const document: SavedQueues = { version: 1, savedAt: new Date().toISOString(), messages };
  // Written whole, then renamed: a crash mid-write never leaves half a file to restore from.
  await writeFile(`${options.file}.tmp`, `${JSON.stringify(document, null, 2)}\n`, 'utf8');
  await rename(`${options.file}.tmp`, options.file);
  return messages.length;
}

export interface RestoreOptions {
  sqsEndpoint: string;
  queueUrls: Record<string, string>;
  file: string;
}

/** Puts saved messages back on their queues, then deletes the file. Returns how many. */
export async function restoreQueueMessages(options: RestoreOptions): Promise<number> {
  let text: string;
  try {
    text = await readFile(options.file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw error;
  }
  const document = JSON.parse(text) as SavedQueues;
  const client = sqsClient(options.sqsEndpoint);
  try {
    for (const message of document.messages) {
      const url = options.queueUrls[message.queue];
      if (!url) throw new Error(`${options.file} names a queue that does not exist: ${message.queue}`);
      const attributes = fromSaved(message.messageAttributes);
      await client.send(
        new SendMessageCommand({
          QueueUrl: url,
          MessageBody: message.body,
          ...(attributes ? { MessageAttributes: attributes } : {}),
        }),
      );
    }
  } finally {
    client.destroy();
  }
  await rm(options.file, { force: true });
  return document.messages.length;
}
