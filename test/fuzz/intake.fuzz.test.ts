/**
 * Property-based fuzzing of intake (issue 7): for each source, valid, near-valid and hostile bodies,
 * 10,000 per source. Whatever arrives: never a 5xx, nothing queued unless the answer is 202, every
 * validation error names its fields, and no error response echoes a submitted value.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Source } from '../../shared/domain/model.js';
import { publicHttpsHostProblem } from '../../shared/domain/sources/fields.js';
import { errorResponse } from '../../shared/http/error-responses.js';
import { acceptTipDelivery, type IntakeDeps } from '../../shared/http/intake.js';
import {
  make12336Tip,
  make12345Tip,
  makeCityManagementTip,
  TEST_SECRETS,
  webhookHeaders,
} from '../fixtures/tips.js';
import { FakeVault, ManualClock, MemoryTipQueue } from '../support/memory-ports.js';

const NOW = new Date('2026-11-28T02:00:00Z');
const RUNS_PER_SOURCE = 10_000;
const DAY = 86_400_000;
/** Marks values the fuzzer submits, so a response that echoes one is caught. */
const CANARY = 'ZZCANARYZZ';

const validBody: Record<Source, () => Record<string, unknown>> = {
  '12336': () => make12336Tip({}, NOW) as Record<string, unknown>,
  '12345': () => make12345Tip({}, NOW) as Record<string, unknown>,
  'city-management': () => makeCityManagementTip({}, NOW) as Record<string, unknown>,
};

/** Strings callers and broken systems send: CJK, emoji, control characters, lone surrogates, the canary. */
const nastyString = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom(
    '',
    ' ',
    '\u0000',
    '\ud800',
    '\udfff',
    '𠮷野家',
    '常熟市沙家浜镇',
    '<script>',
    '{"a":1}',
    `${CANARY}`,
  ),
  fc.string({ maxLength: 20 }).map((s) => `${CANARY}${s}`),
  fc.integer({ min: 5001, max: 12_000 }).map((n) => `${CANARY}${'长'.repeat(n)}`),
);

const oddTimestamp = fc.oneof(
  fc.constantFrom(
    '2026-11-28',
    '2026-11-28T10:00:00',
    '2026-13-01T00:00:00+08:00',
    '2099-01-01T00:00:00+08:00',
    'yesterday',
    '0',
    '',
    // Ancient instants (contract 12): refused as receive times and as source deadlines.
    '1970-01-01T00:00:00Z',
    '0001-01-01T00:00:00Z',
    '1999-12-31T17:00:00+08:00',
    '2001-01-01T00:00:00+08:00',
  ),
  fc
    .date({ min: new Date('1900-01-01'), max: new Date('2100-01-01'), noInvalidDate: true })
    .map((d) => d.toISOString()),
  fc.integer().map(String),
);

/** Links that must not reach a bureau's browser: credentials, localhost, addresses inside a network. */
const hostileUrl = fc.oneof(
  fc.constantFrom(
    'https://user:pw@example.org/a.jpg',
    'https://localhost/a.jpg',
    'https://127.0.0.1/a.jpg',
    'https://2130706433/a.jpg',
    'https://10.0.0.1/a.jpg',
    'https://192.168.0.1/a.jpg',
    'https://169.254.169.254/latest/meta-data',
    'https://[::1]/a.jpg',
    'https://[fe80::1]/a.jpg',
    'http://example.org/a.jpg',
    'javascript:alert(1)',
  ),
  fc.webUrl({ validSchemes: ['https', 'http'], withQueryParameters: true, withFragments: true }),
  fc.ipV4().map((ip) => `https://${ip}/p.jpg`),
);

const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  nastyString,
  hostileUrl,
  hostileUrl.map((url) => [url]),
  hostileUrl.map((url) => [{ url }]),
  oddTimestamp,
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.anything({ maxDepth: 2 }), { maxLength: 5 }),
  fc.anything({ maxDepth: 3 }),
  fc.nat({ max: 200 }).map((depth) => {
    let nested: unknown = CANARY;
    for (let i = 0; i < depth; i++) nested = { a: nested };
    return nested;
  }),
);

/** Paths (dot-separated) of fields in a body, nested ones included. */
function fieldPaths(value: unknown, prefix = ''): string[] {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return [];
  return Object.entries(value as Record<string, unknown>).flatMap(([key, child]) => {
    const path = prefix ? `${prefix}.${key}` : key;
    return [path, ...fieldPaths(child, path)];
  });
}

function setPath(body: Record<string, unknown>, path: string, value: unknown): Record<string, unknown> {
  const copy = structuredClone(body);
  const keys = path.split('.');
  let target: Record<string, unknown> = copy;
  for (const key of keys.slice(0, -1)) target = target[key] as Record<string, unknown>;
  const last = keys.at(-1)!;
  if (value === undefined) delete target[last];
  else target[last] = value;
  return copy;
}

type Case = { kind: 'valid' | 'near-valid' | 'hostile'; raw: string };

function bodies(source: Source): fc.Arbitrary<Case> {
  const base = validBody[source]();
  const paths = fieldPaths(base);
  const valid = fc
    .record({
      id: fc.string({ minLength: 1, maxLength: 30 }).filter((s) => s.trim().length > 0),
      text: fc.string({ minLength: 1, maxLength: 200 }).filter((s) => s.trim().length > 0),
    })
    .map(({ id, text }): Case => {
      let body = base;
      if (source === '12336') body = { ...base, reportId: id, description: text };
      if (source === '12345') body = { ...base, orderNo: id, content: text };
      if (source === 'city-management')
        body = { ...base, case: { ...(base.case as object), caseNo: id, description: text } };
      return { kind: 'valid', raw: JSON.stringify(body) };
    });
  const nearValid = fc
    .record({ path: fc.constantFrom(...paths), value: fc.oneof(hostileValue, fc.constant(undefined)) })
    .map(
      ({ path, value }): Case => ({ kind: 'near-valid', raw: JSON.stringify(setPath(base, path, value)) }),
    );
  const hostile = fc.oneof(
    fc
      .anything({ maxDepth: 4 })
      .map((value): Case => ({ kind: 'hostile', raw: JSON.stringify(value) ?? 'undefined' })),
    fc
      .dictionary(
        fc.oneof(fc.constantFrom('__proto__', 'constructor', 'prototype'), fc.string()),
        hostileValue,
      )
      .map((value): Case => ({ kind: 'hostile', raw: JSON.stringify({ ...base, ...value }) })),
    fc.constantFrom('__proto__', 'constructor').map(
      (key): Case => ({
        kind: 'hostile',
        raw: `{"${key}": {"polluted": true}, ${JSON.stringify(base).slice(1)}`,
      }),
    ),
    fc.string({ maxLength: 200 }).map((text): Case => ({ kind: 'hostile', raw: text })),
    fc
      .uint8Array({ maxLength: 200 })
      .map((bytes): Case => ({ kind: 'hostile', raw: Buffer.from(bytes).toString('latin1') })),
    fc
      .nat({ max: 5000 })
      .map((depth): Case => ({ kind: 'hostile', raw: `${'['.repeat(depth)}${']'.repeat(depth)}` })),
  );
  return fc.oneof(
    { arbitrary: valid, weight: 2 },
    { arbitrary: nearValid, weight: 5 },
    { arbitrary: hostile, weight: 3 },
  );
}

describe.each(['12336', '12345', 'city-management'] as const)('intake fuzzing: %s', (source) => {
  it(`handles ${RUNS_PER_SOURCE} generated bodies without a 5xx, queueing only what it accepts`, async () => {
    const tally = { accepted: 0, rejected: 0 };
    await fc.assert(
      fc.asyncProperty(bodies(source), async ({ kind, raw }) => {
        const queue = new MemoryTipQueue();
        const deps: IntakeDeps = {
          secrets: (s) => [TEST_SECRETS[s]],
          queue,
          vault: new FakeVault(),
          clock: new ManualClock(NOW),
        };
        const request = {
          source,
          rawBody: raw,
          headers: webhookHeaders(TEST_SECRETS[source], raw, { now: NOW }),
        };
        let status = 202;
        let body: {
          error?: { code: string; message: string; details?: Array<{ path: string; message: string }> };
        } = {};
        try {
          await acceptTipDelivery(request, deps);
        } catch (error) {
          const response = errorResponse(error);
          status = response.statusCode ?? 500;
          body = JSON.parse(response.body ?? '{}');
        }
        expect(status).toBeLessThan(500);
        if (status === 202) {
          tally.accepted += 1;
          expect(queue.messages).toHaveLength(1);
          // What is accepted stays inside the rules the read APIs accept (contract 12).
          const [tip] = queue.messages;
          const received = Date.parse(tip!.receivedAt);
          expect(received).toBeGreaterThanOrEqual(NOW.getTime() - 30 * DAY);
          expect(received).toBeLessThanOrEqual(NOW.getTime() + 5 * 60_000);
          if (tip!.sourceDeadline) {
            expect(Date.parse(tip!.sourceDeadline)).toBeGreaterThanOrEqual(received);
            expect(Date.parse(tip!.sourceDeadline)).toBeLessThanOrEqual(received + 366 * DAY);
          }
          for (const { url } of tip!.attachments) expect(publicHttpsHostProblem(url)).toBeUndefined();
        } else {
          tally.rejected += 1;
          expect(queue.messages).toHaveLength(0);
          expect([400, 413, 422]).toContain(status);
          expect(JSON.stringify(body)).not.toContain(CANARY);
          if (body.error?.code === 'validation_failed') {
            expect(body.error.details?.length).toBeGreaterThan(0);
            for (const detail of body.error.details ?? []) {
              expect(detail.path).toMatch(/\S/);
              expect(detail.message).toMatch(/\S/);
            }
          }
        }
        if (kind === 'valid') expect(status).toBe(202);
      }),
      { numRuns: RUNS_PER_SOURCE, seed: 20261128 },
    );
    // The generator must exercise both sides, or the property proves little.
    expect(tally.accepted).toBeGreaterThan(RUNS_PER_SOURCE / 10);
    expect(tally.rejected).toBeGreaterThan(RUNS_PER_SOURCE / 10);
  }, 180_000);
});
