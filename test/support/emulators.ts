/**
 * Emulators for integration tests: in-memory DynamoDB Local and local SQS on free ports. Nothing
 * global is touched (no process.env); pass `clientConfig(endpoint)` to the SDK clients under test.
 */
import {
  LOCAL_CREDENTIALS,
  LOCAL_REGION,
  startDynamoDbLocal,
  startLocalSqs,
} from '../../infra/local/emulators.js';

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

/**
 * Polls `probe` until it returns something other than undefined/false. For conditions that depend on
 * an emulator's own timers (visibility timeouts, redrive), which no injected clock can advance.
 */
export async function waitFor<T>(
  probe: () => Promise<T | undefined | false> | T | undefined | false,
  {
    timeoutMs = 15_000,
    intervalMs = 100,
    what = 'condition',
  }: { timeoutMs?: number; intervalMs?: number; what?: string } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((done) => setTimeout(done, intervalMs));
  }
}
