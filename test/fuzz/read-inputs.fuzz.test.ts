/**
 * Property-based fuzzing of the case API's inputs and of the text hygiene rule (issue "No single
 * input can hurt anyone else"): whatever path parameter, cursor or query a token holder sends, the
 * answer is never a 5xx, a malformed id is 404, a cursor the API did not hand out is invalid_cursor;
 * and whatever a tip's text holds, what goes into SMS and e-mail has no control or bidi character.
 */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isSafeText, safeText } from '../../shared/domain/text-hygiene.js';
import { TokenAuthenticator } from '../../shared/http/auth.js';
import { handleCaseApi } from '../../shared/http/case-api.js';
import { createCursorCodec } from '../../shared/http/cursor.js';
import { errorResponse } from '../../shared/http/error-responses.js';
import { caseRecord } from '../support/case-record.js';
import {
  FakeVault,
  ManualClock,
  MemoryAssignmentQueue,
  MemoryAuditLog,
  MemoryCaseStore,
} from '../support/memory-ports.js';

const RUNS = 3_000;
const tokens = { 'tok-brigade': 'brigade', 'tok-guli': 'bureau:guli', 'tok-12336': 'source:12336' };

function api() {
  const store = new MemoryCaseStore();
  const record = caseRecord();
  store.cases.set(record.caseId, record);
  const deps = {
    store,
    vault: new FakeVault(),
    queue: new MemoryAssignmentQueue(),
    clock: new ManualClock(new Date('2026-11-28T03:00:00Z')),
    auth: TokenAuthenticator.fromPlainTokens(tokens),
    openApiDocument: () => ({}),
    cursors: createCursorCodec(() => new Uint8Array(32).fill(9)),
    eventContext: () => {
      throw new Error('no events are applied here');
    },
    audit: new MemoryAuditLog(),
  };
  return async (
    routeKey: string,
    token: string,
    path?: Record<string, string>,
    query?: Record<string, string>,
  ) => {
    const event = {
      routeKey,
      rawPath: routeKey.split(' ')[1],
      headers: { authorization: `Bearer ${token}` },
      pathParameters: path,
      queryStringParameters: query,
      isBase64Encoded: false,
    } as unknown as APIGatewayProxyEventV2;
    const response = await handleCaseApi(event, deps).catch((error: unknown) => errorResponse(error));
    return { status: response.statusCode ?? 500, body: JSON.parse(response.body ?? 'null') };
  };
}

const hostileText = fc.oneof(
  fc.string({ maxLength: 60 }),
  fc.string({ unit: 'binary', maxLength: 60 }),
  fc.string({ unit: 'grapheme', maxLength: 30 }),
  fc.integer({ min: 200, max: 4000 }).map((n) => 'a'.repeat(n)),
  fc.constantFrom('%E0', '%25E0', '%', '..', '../cases', 'case_', 'tip_', '\u0000', '\ud800', '{"p":-1}'),
);

const forgedCursor = fc.oneof(
  hostileText,
  fc.jsonValue().map((value) => Buffer.from(JSON.stringify(value)).toString('base64url')),
  fc
    .record({ p: fc.oneof(fc.integer(), fc.double()), k: fc.jsonValue() })
    .map((value) => Buffer.from(JSON.stringify(value)).toString('base64url')),
  fc
    .tuple(fc.base64String({ maxLength: 40 }), fc.base64String({ minLength: 40, maxLength: 48 }))
    .map(([a, b]) => `${a}.${b}`.replace(/\+/g, '-').replace(/\//g, '_').replace(/=/g, '')),
);

describe('case API read inputs', () => {
  it(`answers ${RUNS} generated path parameters with 404 and never a 5xx`, async () => {
    const call = api();
    await fc.assert(
      fc.asyncProperty(
        hostileText,
        fc.constantFrom('GET /v1/cases/{caseId}', 'GET /v1/tips/{tipId}'),
        fc.constantFrom(...Object.keys(tokens)),
        async (id, route, token) => {
          const name = route.includes('tipId') ? 'tipId' : 'caseId';
          const { status, body } = await call(route, token, { [name]: id });
          expect(status).toBe(404);
          expect(body.error.code).toBe('not_found');
        },
      ),
      { numRuns: RUNS, seed: 20261129 },
    );
  });

  it(`answers ${RUNS} generated cursors and queries with a 4xx, invalid_cursor for a cursor it did not hand out`, async () => {
    const call = api();
    await fc.assert(
      fc.asyncProperty(
        forgedCursor,
        fc.dictionary(fc.constantFrom('area', 'status', 'overdue', 'limit', 'x'), hostileText, {
          maxKeys: 3,
        }),
        fc.constantFrom(...Object.keys(tokens)),
        async (cursor, query, token) => {
          const { status, body } = await call('GET /v1/cases', token, undefined, { ...query, cursor });
          expect(status).toBeGreaterThanOrEqual(400);
          expect(status).toBeLessThan(500);
          expect(['invalid_cursor', 'validation_failed', 'forbidden']).toContain(body.error.code);
        },
      ),
      { numRuns: RUNS, seed: 20261130 },
    );
  });
});

// biome-ignore lint/suspicious/noControlCharactersInRegex: asserting their absence.
const UNSAFE_IN_LINE = /[\u0000-\u001F\u007F-\u009F\u200E\u200F\u202A-\u202E\u2066-\u2069]/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: asserting their absence (tab and line feed stay).
const UNSAFE_IN_EMAIL = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u200E\u200F\u202A-\u202E\u2066-\u2069]/;

describe('text hygiene', () => {
  it('leaves no control or bidi character in any text, and is idempotent', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ unit: 'binary', maxLength: 200 }),
          fc
            .array(
              fc.constantFrom(
                '\u0000',
                '\u001b[31m',
                '\u001b]0;x\u0007',
                '\u202e',
                '\u2066',
                '\r\n',
                '\u0085',
                'a',
              ),
            )
            .map((parts) => parts.join('')),
        ),
        (text) => {
          for (const multiline of [false, true]) {
            const cleaned = safeText(text, { multiline });
            expect(cleaned).not.toMatch(multiline ? UNSAFE_IN_EMAIL : UNSAFE_IN_LINE);
            expect(isSafeText(cleaned, { multiline })).toBe(true);
          }
        },
      ),
      { numRuns: 10_000, seed: 20261131 },
    );
  });
});
