/** DynamoDB Local's raw write rate on this machine, on disk as in a local run, at a given concurrency. */

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { LOCAL_CREDENTIALS, LOCAL_REGION, startDynamoDbLocal } from '../../infra/local/emulators.js';
import { provisionTable } from '../../infra/local/provision.js';

export async function measureDynamoDbLocalWrites(options: {
  seconds: number;
  concurrency: number;
}): Promise<number> {
  const dataDir = await mkdtemp(join(tmpdir(), 'landline-ddb-bench-'));
  const dynamo = await startDynamoDbLocal({ dataDir });
  const client = DynamoDBDocumentClient.from(
    new DynamoDBClient({ endpoint: dynamo.endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS }),
  );
  try {
    await provisionTable(dynamo.endpoint, 'bench');
    // Items the size of a case (about 2 KB) so the rate matches the pipeline's writes.
    const payload = 'x'.repeat(2000);
    const write = (n: number) =>
      client.send(
        new PutCommand({
          TableName: 'bench',
          Item: { pk: `BENCH#${n}`, sk: 'X', gsi1pk: 'A', gsi1sk: String(n), data: payload },
        }),
      );
    for (let i = 0; i < 200; i++) await write(-i - 1); // warm the JVM
    let done = 0;
    const until = Date.now() + options.seconds * 1000;
    const started = Date.now();
    await Promise.all(
      Array.from({ length: options.concurrency }, async () => {
        while (Date.now() < until) await write(done++);
      }),
    );
    return done / ((Date.now() - started) / 1000);
  } finally {
    client.destroy();
    await dynamo.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}
