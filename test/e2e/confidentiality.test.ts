/**
 * Reporter confidentiality over a local run, proven with a canary: tips from every source carry a
 * reporter whose name and phone appear nowhere else on the machine. They must come back for the
 * brigade and the case's own bureau over HTTP (each time audited), and be absent from the raw
 * intake-queue messages, every other API answer, error responses, the outbox, the logs (at DEBUG),
 * and every byte of every file under DATA_DIR (DynamoDB Local's database, the key file, the outbox,
 * the saved queues).
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  CreateQueueCommand,
  DeleteQueueCommand,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createReporterVault } from '../../shared/adapters/reporter-vault.js';
import { SqsTipQueue } from '../../shared/adapters/sqs-tip-queue.js';
import type { Source } from '../../shared/domain/model.js';
import { acceptTipDelivery } from '../../shared/http/intake.js';
import { make12336Tip, make12345Tip, makeCityManagementTip, webhookHeaders } from '../fixtures/tips.js';
import { clientConfig, waitFor } from '../support/emulators.js';
import {
  DEV_API_TOKENS,
  DEV_BRIGADE_TOKEN,
  DEV_SOURCE_SECRETS,
  startTestStack,
  type TestLocalStack,
} from '../support/local-stack.js';

// The handlers' logger reads LOG_LEVEL when first imported: the most talkative level, before any import.
vi.hoisted(() => {
  process.env.LOG_LEVEL = 'DEBUG';
});

// biome-ignore lint/suspicious/noExplicitAny: responses are asserted field by field.
type Json = Record<string, any>;

const CANARY_NAME = '金丝雀测试人';
const CANARY_PHONE = '13700000042';
/** Stored in plain text on purpose: proves the byte search can see into the files it searches. */
const DESCRIPTION_MARKER = '金丝雀描述标记';
const OFFICER_TOKEN = 'tok-haiyu-officer-wangwu';
const run = Date.now();

let stack: TestLocalStack;
let sqs: SQSClient;
const captured: string[] = [];
const restoreOutput: Array<() => void> = [];

function captureStream(stream: NodeJS.WriteStream): void {
  const original = stream.write.bind(stream);
  stream.write = ((chunk: unknown, ...rest: unknown[]) => {
    captured.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8'));
    return (original as (...args: unknown[]) => boolean)(chunk, ...rest);
  }) as typeof stream.write;
  restoreOutput.push(() => {
    stream.write = original as typeof stream.write;
  });
}

const bodies = {
  named12336: () =>
    make12336Tip({
      reportId: `canary-12336-${run}`,
      description: `有人在基本农田上建厂房，已经开始打地基 ${DESCRIPTION_MARKER}`,
      reporter: { anonymous: false, name: CANARY_NAME, phone: CANARY_PHONE, wantsFeedback: true },
    }),
  amended12336: () =>
    make12336Tip({
      reportId: `canary-12336-${run}`,
      description: `有人在基本农田上建厂房，地基已经打好，开始砌墙 ${DESCRIPTION_MARKER}`,
      reporter: { anonymous: false, name: CANARY_NAME, phone: CANARY_PHONE, wantsFeedback: true },
    }),
  caller12345: () =>
    make12345Tip({
      orderNo: `GDCANARY${run}A`,
      caller: { name: CANARY_NAME, phone: CANARY_PHONE, confidential: false },
    }),
  confidential12345: () =>
    make12345Tip({
      orderNo: `GDCANARY${run}B`,
      caller: { name: CANARY_NAME, phone: CANARY_PHONE, confidential: true },
    }),
  cityManagement: () => makeCityManagementTip({ case: { caseNo: `CSCANARY${run}` } }),
};

async function submit(source: Source, payload: unknown) {
  const body = JSON.stringify(payload);
  const response = await fetch(`${stack.url}/v1/tips/${source}`, {
    method: 'POST',
    headers: webhookHeaders(DEV_SOURCE_SECRETS[source], body),
    body,
  });
  return { status: response.status, text: await response.text() };
}

async function api(path: string, token: string | undefined = DEV_BRIGADE_TOKEN, init: RequestInit = {}) {
  const response = await fetch(`${stack.url}${path}`, {
    ...init,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(init.headers ?? {}) },
  });
  return { status: response.status, text: await response.text() };
}

async function routedCase(tipId: string): Promise<string> {
  const tip = await waitFor(
    async () => {
      const response = await api(`/v1/tips/${tipId}`);
      return response.status === 200 ? (JSON.parse(response.text) as Json) : undefined;
    },
    { what: `tip ${tipId} to be routed`, timeoutMs: 20_000 },
  );
  return tip.caseId;
}

function expectNoCanary(text: string, where: string): void {
  expect(text.includes(CANARY_NAME), `${where} holds the canary name`).toBe(false);
  expect(text.includes(CANARY_PHONE), `${where} holds the canary phone`).toBe(false);
}

function expectNoCanaryBytes(bytes: Buffer, where: string): void {
  for (const [label, needle] of [
    ['name (UTF-8)', Buffer.from(CANARY_NAME, 'utf8')],
    ['name (UTF-16)', Buffer.from(CANARY_NAME, 'utf16le')],
    ['phone (ASCII)', Buffer.from(CANARY_PHONE, 'latin1')],
    ['phone (UTF-16)', Buffer.from(CANARY_PHONE, 'utf16le')],
  ] as const) {
    expect(bytes.includes(needle), `${where} holds the canary ${label}`).toBe(false);
  }
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
}

const caseIds: Record<'named' | 'caller' | 'confidential' | 'city', string> = {
  named: '',
  caller: '',
  confidential: '',
  city: '',
};
let namedArea = '';

beforeAll(async () => {
  captureStream(process.stdout);
  captureStream(process.stderr);
  stack = await startTestStack({
    quiet: false,
    log: (line) => captured.push(line),
    apiTokens: {
      ...DEV_API_TOKENS,
      [OFFICER_TOKEN]: { principal: 'bureau:haiyu', actor: { name: '王五', role: 'officer' } },
    },
  });
  sqs = new SQSClient(clientConfig(stack.endpoints.sqs));
});

afterAll(async () => {
  sqs?.destroy();
  await stack?.cleanup();
  for (const restore of restoreOutput.reverse()) restore();
});

describe('reporter confidentiality with a canary reporter', () => {
  it('seals the reporter before the message is queued: raw intake messages hold only v3 ciphertext', async () => {
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: `canary-peek-${run}` }));
    const vault = createReporterVault({ REPORTER_KEY_FILE: join(stack.dataDir, 'reporter.key') });
    const deps = {
      secrets: (source: Source) => [DEV_SOURCE_SECRETS[source]],
      queue: new SqsTipQueue(sqs, QueueUrl!),
      vault,
      clock: { now: () => new Date() },
    };
    for (const [source, payload] of [
      ['12336', bodies.named12336()],
      ['12345', bodies.caller12345()],
      ['12345', bodies.confidential12345()],
    ] as const) {
      const rawBody = JSON.stringify(payload);
      await acceptTipDelivery(
        { source, headers: webhookHeaders(DEV_SOURCE_SECRETS[source], rawBody), rawBody },
        deps,
      );
    }
    const received = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl,
        MaxNumberOfMessages: 10,
        MessageAttributeNames: ['All'],
        WaitTimeSeconds: 1,
      }),
    );
    await sqs.send(new DeleteQueueCommand({ QueueUrl }));
    expect(received.Messages).toHaveLength(3);
    for (const message of received.Messages ?? []) {
      expectNoCanary(JSON.stringify(message), 'a raw intake-queue message');
      const tip = JSON.parse(message.Body!) as Json;
      expect(tip.reporter.sealed).toMatch(/^v3\./);
      // Sanity: the ciphertext really holds the canary, and opens only under its own tip.
      await expect(vault.open(tip.tipId, tip.reporter.sealed)).resolves.toEqual({
        name: CANARY_NAME,
        phone: CANARY_PHONE,
      });
      await expect(vault.open('tip_another', tip.reporter.sealed)).rejects.toThrow();
    }
  });

  it('routes tips from every source and an amendment', async () => {
    const named = await submit('12336', bodies.named12336());
    const caller = await submit('12345', bodies.caller12345());
    const confidential = await submit('12345', bodies.confidential12345());
    const city = await submit('city-management', bodies.cityManagement());
    for (const response of [named, caller, confidential, city]) {
      expect(response.status).toBe(202);
      expectNoCanary(response.text, 'an intake response');
    }
    caseIds.named = await routedCase(JSON.parse(named.text).tipId);
    caseIds.caller = await routedCase(JSON.parse(caller.text).tipId);
    caseIds.confidential = await routedCase(JSON.parse(confidential.text).tipId);
    caseIds.city = await routedCase(JSON.parse(city.text).tipId);
    expect((await submit('12336', bodies.amended12336())).status).toBe(202);
    await waitFor(
      async () => {
        const view = JSON.parse((await api(`/v1/cases/${caseIds.named}?reason=wait`)).text) as Json;
        namedArea = view.area;
        return view.events.some((event: Json) => event.type === 'amended') || undefined;
      },
      { what: 'the amendment', timeoutMs: 20_000 },
    );
  });

  it('never echoes the reporter in an error response', async () => {
    const invalid = make12336Tip({
      reportId: `canary-invalid-${run}`,
      description: '',
      reporter: { anonymous: false, name: CANARY_NAME, phone: CANARY_PHONE },
    });
    const response = await submit('12336', invalid);
    expect(response.status).toBe(400);
    expectNoCanary(response.text, 'a validation error');
    const badSignature = await fetch(`${stack.url}/v1/tips/12345`, {
      method: 'POST',
      headers: { ...webhookHeaders(DEV_SOURCE_SECRETS['12336'], '{}'), 'content-type': 'application/json' },
      body: JSON.stringify(bodies.caller12345()),
    });
    expect(badSignature.status).toBe(401);
    expectNoCanary(await badSignature.text(), 'an authentication error');
  });

  it('shows the reporter to the brigade and the own bureau, and to no one else', async () => {
    const brigade = JSON.parse(
      (await api(`/v1/cases/${caseIds.named}?reason=${encodeURIComponent('回访举报人')}`)).text,
    ) as Json;
    expect(brigade.reporter).toMatchObject({ anonymous: false, name: CANARY_NAME, phone: CANARY_PHONE });
    const { reporter: _shown, ...rest } = brigade;
    expectNoCanary(JSON.stringify(rest), 'the case outside its reporter field (events, amendment)');

    const bureau = JSON.parse(
      (await api(`/v1/cases/${caseIds.named}`, `dev-bureau-${namedArea}`)).text,
    ) as Json;
    expect(bureau.reporter).toMatchObject({ name: CANARY_NAME, phone: CANARY_PHONE });

    const officer = JSON.parse((await api(`/v1/cases/${caseIds.caller}`, OFFICER_TOKEN)).text) as Json;
    expect(officer.reporter).toMatchObject({ name: CANARY_NAME, phone: CANARY_PHONE, confidential: false });

    // A confidential caller: the brigade only.
    const confidentialForBureau = await api(`/v1/cases/${caseIds.confidential}`, OFFICER_TOKEN);
    expect(confidentialForBureau.status).toBe(200);
    expect(JSON.parse(confidentialForBureau.text).reporter).toBeUndefined();
    expectNoCanary(confidentialForBureau.text, 'a confidential case seen by its bureau');
    const confidentialForBrigade = JSON.parse((await api(`/v1/cases/${caseIds.confidential}`)).text) as Json;
    expect(confidentialForBrigade.reporter).toMatchObject({ name: CANARY_NAME, confidential: true });

    // An anonymous tip stays anonymous, even for the brigade.
    const city = JSON.parse((await api(`/v1/cases/${caseIds.city}`)).text) as Json;
    expect(city.reporter).toEqual({ anonymous: true });

    for (const [path, token] of [
      [`/v1/cases/${caseIds.named}`, `dev-partner-${brigade.partners[0]}`],
      [`/v1/cases/${caseIds.named}`, 'dev-source-12336'],
      [`/v1/cases/${caseIds.named}`, `dev-bureau-${namedArea === 'guli' ? 'haiyu' : 'guli'}`],
      ['/v1/cases', DEV_BRIGADE_TOKEN],
      [`/v1/cases?area=${namedArea}`, `dev-bureau-${namedArea}`],
      ['/v1/cases', OFFICER_TOKEN],
      [`/v1/tips/${brigade.tips[0].tipId}`, 'dev-source-12336'],
    ] as const) {
      expectNoCanary((await api(path, token)).text, `GET ${path}`);
    }
    const event = await api(`/v1/cases/${caseIds.named}/events`, DEV_BRIGADE_TOKEN, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'comment', note: '已回访' }),
    });
    expect(event.status).toBe(200);
    expectNoCanary(event.text, 'an event response');
  });

  it('audits every opened identity, and only the brigade reads the trail', async () => {
    const trail = JSON.parse((await api(`/v1/audit?caseId=${caseIds.named}`)).text) as Json;
    expect(trail.items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ principal: 'brigade', reason: '回访举报人', caseId: caseIds.named }),
        expect.objectContaining({ principal: `bureau:${namedArea}`, reason: '查看案件' }),
      ]),
    );
    expectNoCanary(JSON.stringify(trail), 'the audit trail');
    const officerTrail = JSON.parse((await api(`/v1/audit?caseId=${caseIds.caller}`)).text) as Json;
    expect(officerTrail.items).toEqual([
      expect.objectContaining({ principal: 'bureau:haiyu', actor: { name: '王五', role: 'officer' } }),
    ]);
    // Nothing was opened for the confidential case's bureau nor for the anonymous tip.
    const confidentialTrail = JSON.parse(
      (await api(`/v1/audit?caseId=${caseIds.confidential}`)).text,
    ) as Json;
    expect(confidentialTrail.items.map((item: Json) => item.principal)).toEqual(['brigade']);
    expect(JSON.parse((await api(`/v1/audit?caseId=${caseIds.city}`)).text).items).toEqual([]);
    expect((await api(`/v1/audit?caseId=${caseIds.named}`, `dev-bureau-${namedArea}`)).status).toBe(403);
    expect((await api('/v1/audit')).status).toBe(400);
  });

  it('keeps the reporter out of the outbox', async () => {
    await stack.sweepNow();
    const outbox = await readFile(stack.outboxFile, 'utf8');
    expect(outbox.split('\n').filter(Boolean).length).toBeGreaterThan(0);
    expectNoCanary(outbox, 'the outbox');
  });

  it('keeps the reporter out of every file under DATA_DIR, and the data survives a restart', async () => {
    stack = await stack.restart();
    const files = await filesUnder(stack.dataDir);
    let sawDescription = false;
    for (const file of files) {
      const bytes = await readFile(file);
      expectNoCanaryBytes(bytes, file);
      if (bytes.includes(Buffer.from(DESCRIPTION_MARKER, 'utf8'))) sawDescription = true;
    }
    expect(files.some((file) => file.includes('dynamodb'))).toBe(true);
    // The search sees into DynamoDB Local's files: the plain description is found there.
    expect(sawDescription).toBe(true);
    const brigade = JSON.parse((await api(`/v1/cases/${caseIds.named}`)).text) as Json;
    expect(brigade.reporter).toMatchObject({ name: CANARY_NAME, phone: CANARY_PHONE });
  });

  it('keeps the reporter out of the logs, at DEBUG', () => {
    const logs = captured.join('');
    expect(logs).toContain('/v1/cases');
    expectNoCanary(logs, 'the logs');
  });
});
