/**
 * Emulators for integration tests: in-memory DynamoDB Local and local SQS on free ports. Nothing
 * global is touched (no process.env); pass `clientConfig(endpoint)` to the SDK clients under test.
 */
import { createHash } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import {
  LOCAL_CREDENTIALS,
  LOCAL_REGION,
  startDynamoDbLocal,
  startLocalSqs,
} from '../../infra/local/emulators.js';
import { provisionTable } from '../../infra/local/provision.js';

export interface TestEmulators {
  dynamodbEndpoint: string;
  sqsEndpoint: string;
  stop(): Promise<void>;
}

export interface SdkClientConfig {
  endpoint: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
}

/** Config for `new DynamoDBClient(...)` / `new SQSClient(...)` pointed at an emulator. */
export function clientConfig(endpoint: string): SdkClientConfig {
  return { endpoint, region: LOCAL_REGION, credentials: { ...LOCAL_CREDENTIALS } };
}

export interface TestTable {
  /** A document client as the handlers build theirs (undefined values removed). */
  client: DynamoDBDocumentClient;
  tableName: string;
  /** Destroys the client and stops DynamoDB Local. */
  stop(): Promise<void>;
}

/** DynamoDB Local in memory with landline's table provisioned: for a store's integration tests. */
export async function startTestTable(tableName: string): Promise<TestTable> {
  const dynamo = await startDynamoDbLocal();
  try {
    await provisionTable(dynamo.endpoint, tableName);
  } catch (error) {
    await dynamo.stop();
    throw error;
  }
  const client = DynamoDBDocumentClient.from(new DynamoDBClient(clientConfig(dynamo.endpoint)), {
    marshallOptions: { removeUndefinedValues: true },
  });
  return {
    client,
    tableName,
    stop: async () => {
      client.destroy();
      await dynamo.stop();
    },
  };
}

/** Starts both emulators (DynamoDB in memory). Call `stop()` in afterAll. */
export async function startEmulators(): Promise<TestEmulators> {
  const sqs = await startLocalSqs();
  try {
    const dynamodb = await startDynamoDbLocal();
    return {
      dynamodbEndpoint: dynamodb.endpoint,
      sqsEndpoint: sqs.endpoint,
      stop: async () => {
        await Promise.all([dynamodb.stop(), sqs.stop()]);
      },
    };
  } catch (error) {
    await sqs.stop();
    throw error;
  }
}

/** Wall time of the calibration work on an idle machine of CI's kind (2 vCPU), in ms. */
const CALIBRATION_IDLE_MS = 45;
const CALIBRATION_BUFFER = Buffer.alloc(64 * 1024, 7);
let slowdown: number | undefined;

/**
 * How many times slower than an idle machine of CI's kind this process runs now (1 to 8), measured
 * once per process: the median wall time of a fixed piece of hashing over its idle figure. On a
 * loaded 2-vCPU machine it grows with the load, and waits' budgets grow with it.
 */
export function machineSlowdown(): number {
  if (slowdown === undefined) {
    const samples: number[] = [];
    for (let sample = 0; sample < 5; sample++) {
      const started = performance.now();
      for (let round = 0; round < 1000; round++) createHash('sha256').update(CALIBRATION_BUFFER).digest();
      samples.push(performance.now() - started);
    }
    samples.sort((a, b) => a - b);
    slowdown = Math.min(8, Math.max(1, samples[2]! / CALIBRATION_IDLE_MS));
  }
  return slowdown;
}

/**
 * Polls `probe` until it returns something other than undefined/false. For conditions that depend on
 * an emulator's own timers (visibility timeouts, redrive), which no injected clock can advance.
 * `timeoutMs` is the budget on an idle machine; it is stretched by `machineSlowdown()`, so that a
 * busy machine fails a wait only when the system is really stuck.
 */
export async function waitFor<T>(
  probe: () => Promise<T | undefined | false> | T | undefined | false,
  {
    timeoutMs = 15_000,
    intervalMs = 100,
    what = 'condition',
  }: { timeoutMs?: number; intervalMs?: number; what?: string } = {},
): Promise<T> {
  const budgetMs = Math.round(timeoutMs * machineSlowdown());
  const deadline = Date.now() + budgetMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${budgetMs} ms waiting for ${what}`);
    await new Promise((done) => setTimeout(done, intervalMs));
  }
}
