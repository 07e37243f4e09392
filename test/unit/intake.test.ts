import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ReportableError } from '../../shared/domain/errors.js';
import type { Source } from '../../shared/domain/model.js';
import { errorResponse, isThrottlingError } from '../../shared/http/error-responses.js';
import { acceptTipDelivery, type IntakeDeps, MAX_BODY_BYTES } from '../../shared/http/intake.js';
import {
  deepMerge,
  make12336Tip,
  make12345Tip,
  makeCityManagementTip,
  makeTip,
  TEST_SECRETS,
  webhookHeaders,
} from '../fixtures/tips.js';
import { FakeVault, ManualClock, MemoryTipQueue } from '../support/memory-ports.js';

const NOW = new Date('2026-11-28T02:00:00Z');

function setup(overrides: Partial<IntakeDeps> = {}) {
  const queue = new MemoryTipQueue();
  const vault = new FakeVault();
  const deps: IntakeDeps = {
    secrets: (source: Source) => [TEST_SECRETS[source]],
    queue,
    vault,
    clock: new ManualClock(NOW),
    ...overrides,
  };
  return { deps, queue };
}

function signed(source: Source, body: unknown, options: { id?: string; raw?: string | Buffer } = {}) {
  const rawBody = options.raw ?? JSON.stringify(body);
  return {
    source,
    rawBody,
    headers: webhookHeaders(TEST_SECRETS[source], rawBody, { now: NOW, id: options.id }),
  };
}

/** Signs raw bytes directly (the package would first decode them as UTF-8). */
function signedBytes(source: Source, raw: Buffer) {
  const id = 'msg_raw';
  const timestamp = String(Math.floor(NOW.getTime() / 1000));
  const key = Buffer.from(TEST_SECRETS[source].slice('whsec_'.length), 'base64');
  const mac = createHmac('sha256', key).update(`${id}.${timestamp}.`).update(raw).digest('base64');
  return {
    source,
    rawBody: raw,
    headers: {
      'content-type': 'application/json',
      'webhook-id': id,
      'webhook-timestamp': timestamp,
      'webhook-signature': `v1,${mac}`,
    },
  };
}

async function rejection(promise: Promise<unknown>): Promise<{
  status: number;
  code: string;
  body: string;
  headers: Record<string, unknown>;
  error: ReportableError;
}> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(ReportableError);
    const response = errorResponse(error);
    const body = String(response.body);
    return {
      status: response.statusCode ?? 0,
      code: JSON.parse(body).error.code,
      body,
      headers: response.headers ?? {},
      error: error as ReportableError,
    };
  }
  throw new Error('expected the request to be rejected');
}

describe('acceptTipDelivery: 202', () => {
  it.each(['12336', '12345', 'city-management'] as const)(
    'queues a valid %s tip and answers its tip id',
    async (source) => {
      const { deps, queue } = setup();
      const result = await acceptTipDelivery(signed(source, makeTip(source, NOW)), deps);
      expect(result).toEqual({ tipId: expect.stringMatching(/^tip_[a-z2-7]{26}$/), status: 'queued' });
      expect(queue.messages).toHaveLength(1);
      expect(queue.messages[0]).toMatchObject({ tipId: result.tipId, source, acceptedAt: NOW.toISOString() });
    },
  );

  it('seals the reporter: the queued message carries neither name nor phone', async () => {
    const { deps, queue } = setup();
    const { tipId } = await acceptTipDelivery(signed('12336', make12336Tip({}, NOW)), deps);
    const message = JSON.stringify(queue.messages[0]);
    expect(message).not.toContain('张三');
    expect(message).not.toContain('13912345678');
    const reporter = queue.messages[0]?.reporter;
    expect(reporter).toMatchObject({ anonymous: false, confidential: false, wantsFeedback: true });
    if (reporter?.anonymous !== false) throw new Error('expected a sealed reporter');
    await expect(deps.vault.open(tipId, reporter.sealed)).resolves.toEqual({
      name: '张三',
      phone: '13912345678',
    });
  });

  it('does not call the vault for an anonymous tip', async () => {
    const { deps, queue } = setup({
      vault: {
        seal: async () => {
          throw new Error('must not be called');
        },
        open: async () => ({}),
      },
    });
    await acceptTipDelivery(signed('12336', make12336Tip({ reporter: { anonymous: true } }, NOW)), deps);
    expect(queue.messages[0]?.reporter).toEqual({ anonymous: true });
  });

  it('answers the same tip id for the same tip re-sent with a new webhook-id', async () => {
    const { deps, queue } = setup();
    const body = make12345Tip({}, NOW);
    const first = await acceptTipDelivery(signed('12345', body, { id: 'msg_a' }), deps);
    const second = await acceptTipDelivery(signed('12345', body, { id: 'msg_b' }), deps);
    expect(second.tipId).toBe(first.tipId);
    expect(queue.messages.map((tip) => tip.contentHash)).toEqual([
      queue.messages[0]?.contentHash,
      queue.messages[0]?.contentHash,
    ]);
  });

  it('gives an amendment (same external id, new content) the same tip id and a new content hash', async () => {
    const { deps, queue } = setup();
    const first = await acceptTipDelivery(signed('12345', make12345Tip({}, NOW)), deps);
    const second = await acceptTipDelivery(
      signed('12345', make12345Tip({ content: '又加盖了一层' }, NOW)),
      deps,
    );
    expect(second.tipId).toBe(first.tipId);
    expect(queue.messages[1]?.contentHash).not.toBe(queue.messages[0]?.contentHash);
  });

  it('accepts application/json with a utf-8 charset, a Uint8Array body and a leading BOM', async () => {
    const { deps, queue } = setup();
    const request = signed('12336', undefined, { raw: `\uFEFF${JSON.stringify(make12336Tip({}, NOW))}` });
    request.headers['content-type'] = 'Application/JSON; charset="UTF-8"';
    await acceptTipDelivery({ ...request, rawBody: new Uint8Array(Buffer.from(request.rawBody)) }, deps);
    expect(queue.messages).toHaveLength(1);
  });
});

describe('acceptTipDelivery: every error of contract 2.4, nothing queued', () => {
  it('400 invalid_json for a body that is not JSON', async () => {
    const { deps, queue } = setup();
    const result = await rejection(
      acceptTipDelivery(signed('12336', undefined, { raw: '{"reportId": ' }), deps),
    );
    expect([result.status, result.code]).toEqual([400, 'invalid_json']);
    expect(queue.messages).toHaveLength(0);
  });

  it.each(['[]', 'null', '"text"', '42', ''])('400 invalid_json for the non-object JSON %j', async (raw) => {
    const { deps, queue } = setup();
    const result = await rejection(acceptTipDelivery(signed('12345', undefined, { raw }), deps));
    expect([result.status, result.code]).toEqual([400, 'invalid_json']);
    expect(queue.messages).toHaveLength(0);
  });

  it('400 invalid_json for a body that is not valid UTF-8', async () => {
    const { deps, queue } = setup();
    const raw = Buffer.concat([Buffer.from('{"orderNo": "'), Buffer.from([0xc3, 0x28]), Buffer.from('"}')]);
    const result = await rejection(acceptTipDelivery(signedBytes('12345', raw), deps));
    expect([result.status, result.code]).toEqual([400, 'invalid_json']);
    expect(queue.messages).toHaveLength(0);
  });

  it('400 validation_failed, naming every failing field', async () => {
    const { deps, queue } = setup();
    const body = deepMerge(make12336Tip({}, NOW), {
      reportId: undefined,
      channel: 'fax',
      location: { address: undefined, town: undefined, lng: undefined, lat: undefined },
      attachments: [{ url: 'https://example.org/ok.jpg' }, { url: 'http://example.org/a.jpg' }],
      description: '',
    });
    const result = await rejection(acceptTipDelivery(signed('12336', body), deps));
    expect([result.status, result.code]).toEqual([400, 'validation_failed']);
    expect(result.error.details?.map((detail) => detail.path).sort()).toEqual(
      ['attachments.1.url', 'channel', 'description', 'location', 'reportId'].sort(),
    );
    expect(queue.messages).toHaveLength(0);
  });

  it('401 unauthenticated for a wrong signature', async () => {
    const { deps, queue } = setup();
    const request = signed('12336', make12336Tip({}, NOW));
    const result = await rejection(acceptTipDelivery({ ...request, rawBody: `${request.rawBody} ` }, deps));
    expect([result.status, result.code]).toEqual([401, 'unauthenticated']);
    expect(queue.messages).toHaveLength(0);
  });

  it('401 unauthenticated for a stale timestamp', async () => {
    const { deps, queue } = setup();
    (deps.clock as ManualClock).advance(301_000);
    const result = await rejection(acceptTipDelivery(signed('12336', make12336Tip({}, NOW)), deps));
    expect([result.status, result.code]).toEqual([401, 'unauthenticated']);
    expect(queue.messages).toHaveLength(0);
  });

  it('401 unauthenticated without signature headers, checked before the body is parsed', async () => {
    const { deps, queue } = setup();
    const result = await rejection(
      acceptTipDelivery(
        { source: '12336', headers: { 'content-type': 'application/json' }, rawBody: 'not json' },
        deps,
      ),
    );
    expect([result.status, result.code]).toEqual([401, 'unauthenticated']);
    expect(queue.messages).toHaveLength(0);
  });

  it('401 for a signature made with another source secret', async () => {
    const { deps, queue } = setup();
    const rawBody = JSON.stringify(make12336Tip({}, NOW));
    const headers = webhookHeaders(TEST_SECRETS['12345'], rawBody, { now: NOW });
    const result = await rejection(acceptTipDelivery({ source: '12336', headers, rawBody }, deps));
    expect(result.status).toBe(401);
    expect(queue.messages).toHaveLength(0);
  });

  it('404 unknown_source, before anything else', async () => {
    const { deps, queue } = setup();
    const result = await rejection(acceptTipDelivery({ source: '110', headers: {}, rawBody: '' }, deps));
    expect([result.status, result.code]).toEqual([404, 'unknown_source']);
    expect(queue.messages).toHaveLength(0);
  });

  it('413 payload_too_large above 256 KiB, before the signature', async () => {
    const { deps, queue } = setup();
    const raw = JSON.stringify({ pad: 'x'.repeat(MAX_BODY_BYTES) });
    const result = await rejection(
      acceptTipDelivery(
        { source: '12336', headers: { 'content-type': 'application/json' }, rawBody: raw },
        deps,
      ),
    );
    expect([result.status, result.code]).toEqual([413, 'payload_too_large']);
    expect(queue.messages).toHaveLength(0);
  });

  it('counts bytes, not characters, and lets exactly 256 KiB through to the next check', async () => {
    const { deps } = setup();
    const prefix = '{"pad":"';
    const fill = MAX_BODY_BYTES - prefix.length - 2;
    const exact = `${prefix}${'x'.repeat(fill)}"}`;
    expect(
      (await rejection(acceptTipDelivery(signed('12336', undefined, { raw: exact }), deps))).status,
    ).toBe(400);
    const multibyte = `${prefix}${'地'.repeat(Math.ceil(fill / 3) + 1)}"}`;
    expect(
      (await rejection(acceptTipDelivery(signed('12336', undefined, { raw: multibyte }), deps))).status,
    ).toBe(413);
  });

  it.each([
    ['text/plain', 'text/plain'],
    ['a non-UTF-8 charset', 'application/json; charset=iso-8859-1'],
    ['a JSON-like type', 'application/jsonx'],
  ])('415 unsupported_media_type for %s', async (_label, contentType) => {
    const { deps, queue } = setup();
    const request = signed('12336', make12336Tip({}, NOW));
    request.headers['content-type'] = contentType;
    const result = await rejection(acceptTipDelivery(request, deps));
    expect([result.status, result.code]).toEqual([415, 'unsupported_media_type']);
    expect(queue.messages).toHaveLength(0);
  });

  it('415 when content-type is missing, before the signature', async () => {
    const { deps, queue } = setup();
    const result = await rejection(acceptTipDelivery({ source: '12345', headers: {}, rawBody: '{}' }, deps));
    expect([result.status, result.code]).toEqual([415, 'unsupported_media_type']);
    expect(queue.messages).toHaveLength(0);
  });

  it('422 unsupported_event for a non-dispatched event, even when the rest is not a valid case', async () => {
    const { deps, queue } = setup();
    const result = await rejection(
      acceptTipDelivery(signed('city-management', { eventType: 'case.closed', case: 42 }), deps),
    );
    expect([result.status, result.code]).toEqual([422, 'unsupported_event']);
    expect(queue.messages).toHaveLength(0);
  });

  it('422 only after the signature: an unsigned unsupported event is 401', async () => {
    const { deps } = setup();
    const request = signed('city-management', { eventType: 'case.closed' });
    const result = await rejection(
      acceptTipDelivery({ ...request, headers: { 'content-type': 'application/json' } }, deps),
    );
    expect(result.status).toBe(401);
  });

  it('429 throttled when the queue throttles', async () => {
    const throttling = Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
    const { deps } = setup({ queue: { enqueue: async () => Promise.reject(throttling) } });
    const result = await rejection(acceptTipDelivery(signed('12336', make12336Tip({}, NOW)), deps));
    expect([result.status, result.code]).toEqual([429, 'throttled']);
    expect(result.headers['retry-after']).toBeDefined();
  });

  it('503 unavailable when the queue fails otherwise, keeping the cause for the logs only', async () => {
    const failure = new Error('connect ECONNREFUSED 10.0.0.1:443');
    const { deps } = setup({ queue: { enqueue: async () => Promise.reject(failure) } });
    const result = await rejection(acceptTipDelivery(signed('12336', make12336Tip({}, NOW)), deps));
    expect([result.status, result.code]).toEqual([503, 'unavailable']);
    expect(result.error.cause).toBe(failure);
    expect(result.body).not.toContain('ECONNREFUSED');
  });

  it('503 unavailable when the vault fails, and nothing is queued', async () => {
    const queue = new MemoryTipQueue();
    const { deps } = setup({
      queue,
      vault: {
        seal: async () => Promise.reject(new Error('key file unreadable')),
        open: async () => ({}),
      },
    });
    const result = await rejection(acceptTipDelivery(signed('12345', make12345Tip({}, NOW)), deps));
    expect([result.status, result.code]).toEqual([503, 'unavailable']);
    expect(queue.messages).toHaveLength(0);
  });

  it('503 unavailable when no secret is configured for the source', async () => {
    const { deps, queue } = setup({ secrets: () => [] });
    const result = await rejection(acceptTipDelivery(signed('12336', make12336Tip({}, NOW)), deps));
    expect(result.status).toBe(503);
    expect(queue.messages).toHaveLength(0);
  });
});

describe('acceptTipDelivery: error bodies never echo submitted values', () => {
  const CANARY = 'CANARY-9d41e';

  it.each([
    [
      '12336',
      () =>
        make12336Tip({ reportId: `${CANARY}`.repeat(10), channel: CANARY as 'web', receivedAt: CANARY }, NOW),
    ],
    [
      '12336',
      () =>
        deepMerge(make12336Tip({}, NOW), {
          violationType: CANARY,
          location: { lng: CANARY, crs: CANARY, address: 7 },
          attachments: [{ url: `http://${CANARY}.example.org/` }, { url: CANARY }],
          reporter: { anonymous: CANARY, name: 12 },
          [CANARY]: CANARY,
        }),
    ],
    [
      '12345',
      () =>
        make12345Tip(
          { appealType: CANARY as 'help', urgency: CANARY as 'normal', handlingDeadline: CANARY },
          NOW,
        ),
    ],
    [
      'city-management',
      () =>
        deepMerge(makeCityManagementTip({}, NOW), {
          case: { origin: CANARY, photos: [CANARY], dueAt: CANARY },
        }),
    ],
  ] as const)('%s validation errors', async (source, build) => {
    const { deps, queue } = setup();
    const result = await rejection(acceptTipDelivery(signed(source, build()), deps));
    expect(result.status).toBe(400);
    expect(result.body).not.toContain('CANARY');
    expect(queue.messages).toHaveLength(0);
  });

  it('unsupported event, invalid JSON and signature errors', async () => {
    const { deps } = setup();
    const bodies = [
      await rejection(acceptTipDelivery(signed('city-management', { eventType: CANARY }), deps)),
      await rejection(
        acceptTipDelivery(signed('12336', undefined, { raw: `{"${CANARY}": ${CANARY}}` }), deps),
      ),
      await rejection(
        acceptTipDelivery(
          {
            source: '12336',
            headers: {
              'content-type': 'application/json',
              'webhook-id': CANARY,
              'webhook-timestamp': CANARY,
              'webhook-signature': `v1,${CANARY}`,
            },
            rawBody: CANARY,
          },
          deps,
        ),
      ),
      await rejection(acceptTipDelivery({ source: CANARY, headers: {}, rawBody: CANARY }, deps)),
      await rejection(
        acceptTipDelivery({ source: '12336', headers: { 'content-type': CANARY }, rawBody: CANARY }, deps),
      ),
    ];
    for (const result of bodies) expect(result.body).not.toContain('CANARY');
  });
});

describe('isThrottlingError', () => {
  it.each([
    [{ name: 'ThrottlingException' }, true],
    [{ name: 'RequestThrottled' }, true],
    [{ name: 'KMSThrottlingException' }, true],
    [{ name: 'Error', $metadata: { httpStatusCode: 429 } }, true],
    [{ name: 'Error', $retryable: { throttling: true } }, true],
    [{ name: 'ServiceUnavailable', $metadata: { httpStatusCode: 503 } }, false],
    [new Error('throttled in the message only'), false],
    ['ThrottlingException', false],
    [null, false],
  ])('%j → %s', (error, expected) => {
    expect(isThrottlingError(error)).toBe(expected);
  });
});
