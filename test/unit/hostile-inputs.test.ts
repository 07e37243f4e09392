/**
 * Inputs meant to hurt others (issue "No single input can hurt anyone else"), against the pure
 * rules: source times outside the window, attachment links into a network, control characters
 * bound for SMS and e-mail. The HTTP side is in test/e2e/hostile-inputs.test.ts.
 */
import middy from '@middy/core';
import type {
  APIGatewayProxyEventV2,
  APIGatewayProxyResultV2,
  APIGatewayProxyStructuredResultV2,
  Context,
} from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { createCursorKey } from '../../shared/adapters/cursor-key.js';
import { shanghaiYear } from '../../shared/domain/calendar.js';
import { LEDGER_YEARS } from '../../shared/domain/ledger.js';
import type { CaseSnapshot, Source } from '../../shared/domain/model.js';
import { assignmentNotification } from '../../shared/domain/notifications.js';
import { DEFAULT_MAX_RECEIVE_AGE_DAYS } from '../../shared/domain/sources/fields.js';
import { parseSourceBody, SOURCE_MODULES } from '../../shared/domain/sources/index.js';
import type { NowSource } from '../../shared/domain/sources/types.js';
import { isSafeText, safeText } from '../../shared/domain/text-hygiene.js';
import { zodIssuesToDetails } from '../../shared/domain/validation-details.js';
import { createCursorCodec } from '../../shared/http/cursor.js';
import { errorResponse } from '../../shared/http/error-responses.js';
import { InvalidCursorError } from '../../shared/http/errors.js';
import { httpErrorHandler, securityHeaders } from '../../shared/http/middleware.js';
import { buildOpenApiDocument } from '../../shared/http/openapi.js';
import { ledgerQuerySchema } from '../../shared/http/query.js';
import { NotFoundError } from '../../shared/usecases/errors.js';
import { make12336Tip, make12345Tip, makeCityManagementTip, shanghaiIso } from '../fixtures/tips.js';
import { testNow } from '../support/clock.js';

const DAY = 86_400_000;
// biome-ignore lint/suspicious/noExplicitAny: the document is asserted field by field.
type Json = Record<string, any>;

function failingPaths<S extends Source>(source: S, body: unknown, clock: NowSource = { now: testNow }) {
  const result = parseSourceBody(SOURCE_MODULES[source], body, clock);
  return result.success ? [] : zodIssuesToDetails(result.issues).map((detail) => detail.path);
}

describe('source times (contract 12)', () => {
  const now = testNow();
  const daysAgo = (days: number) => shanghaiIso(new Date(now.getTime() - days * DAY));

  it.each([['1970-01-01T00:00:00Z'], ['0001-01-01T00:00:00Z'], [daysAgo(DEFAULT_MAX_RECEIVE_AGE_DAYS + 1)]])(
    'refuses a receive time of %s, naming the field, for every source',
    (at) => {
      expect(failingPaths('12336', make12336Tip({ receivedAt: at }, now))).toEqual(['receivedAt']);
      expect(failingPaths('12345', make12345Tip({ createdAt: at }, now))).toContain('createdAt');
      expect(
        failingPaths('city-management', makeCityManagementTip({ case: { reportedAt: at } }, now)),
      ).toContain('case.reportedAt');
    },
  );

  it('accepts a receive time just inside the window, and honours a configured window', () => {
    const at = daysAgo(DEFAULT_MAX_RECEIVE_AGE_DAYS - 1);
    expect(failingPaths('12336', make12336Tip({ receivedAt: at }, now))).toEqual([]);
    const narrow = { now: testNow, maxReceiveAgeDays: 2 };
    expect(failingPaths('12336', make12336Tip({ receivedAt: daysAgo(3) }, now), narrow)).toEqual([
      'receivedAt',
    ]);
    expect(failingPaths('12336', make12336Tip({ receivedAt: daysAgo(1) }, now), narrow)).toEqual([]);
  });

  it('refuses a source deadline before the receive time or more than a year after it', () => {
    expect(
      failingPaths('12345', make12345Tip({ handlingDeadline: '2001-01-01T00:00:00+08:00' }, now)),
    ).toEqual(['handlingDeadline']);
    expect(
      failingPaths(
        'city-management',
        makeCityManagementTip({ case: { dueAt: '1999-12-31T17:00:00+08:00' } }, now),
      ),
    ).toEqual(['case.dueAt']);
    const farAhead = shanghaiIso(new Date(now.getTime() + 400 * DAY));
    expect(failingPaths('12345', make12345Tip({ handlingDeadline: farAhead }, now))).toEqual([
      'handlingDeadline',
    ]);
    expect(
      failingPaths('city-management', makeCityManagementTip({ case: { dueAt: farAhead } }, now)),
    ).toEqual(['case.dueAt']);
  });

  it('keeps the case number year of any accepted receive time among the years the ledger serves', () => {
    for (const days of [0, DEFAULT_MAX_RECEIVE_AGE_DAYS - 1]) {
      const at = daysAgo(days);
      expect(failingPaths('12336', make12336Tip({ receivedAt: at }, now))).toEqual([]);
      expect(shanghaiYear(at)).toBeGreaterThanOrEqual(LEDGER_YEARS.min);
      expect(shanghaiYear(at)).toBeLessThanOrEqual(LEDGER_YEARS.max);
      expect(ledgerQuerySchema.safeParse({ year: String(shanghaiYear(at)) }).success).toBe(true);
    }
  });

  it('names both fields when the receive time is ancient and the deadline before it', () => {
    const paths = failingPaths(
      '12345',
      make12345Tip({ createdAt: '1970-01-02T00:00:00Z', handlingDeadline: '1970-01-01T00:00:00Z' }, now),
    );
    expect(paths).toEqual(expect.arrayContaining(['createdAt', 'handlingDeadline']));
  });
});

describe('attachment links', () => {
  it.each([
    'https://user:pw@example.org/a.jpg',
    'https://localhost/a.jpg',
    'https://files.localhost/a.jpg',
    'https://127.0.0.1/a.jpg',
    'https://2130706433/a.jpg',
    'https://10.0.0.8/a.jpg',
    'https://172.16.3.4/a.jpg',
    'https://192.168.1.10/a.jpg',
    'https://169.254.169.254/latest/meta-data',
    'https://[::1]/a.jpg',
    'https://[fe80::1]/a.jpg',
    'https://[fd00::1]/a.jpg',
    'https://[::ffff:10.0.0.1]/a.jpg',
    'http://example.org/a.jpg',
    'ftp://example.org/a.jpg',
  ])('refuses %s, naming the field', (url) => {
    expect(failingPaths('12336', make12336Tip({ attachments: [{ url }] }))).toEqual(['attachments.0.url']);
    expect(failingPaths('city-management', makeCityManagementTip({ case: { photos: [url] } }))).toEqual([
      'case.photos.0',
    ]);
  });

  it.each(['https://example.org/a.jpg', 'https://8.8.8.8/a.jpg', 'https://[2001:db8::1]/a.jpg'])(
    'accepts %s',
    (url) => {
      expect(failingPaths('12336', make12336Tip({ attachments: [{ url }] }))).toEqual([]);
    },
  );
});

describe('text hygiene for SMS and e-mail', () => {
  const hostile = 'A\u0000B\u001b[31mC\u001b]0;title\u0007D\u202eE\u2066F\u0085G\rH\nI\tJ\u007fK';

  it('removes control characters, escape sequences and bidi controls', () => {
    expect(safeText(hostile)).toBe('ABCDEFG H I JK');
    expect(safeText(hostile, { multiline: true })).toBe('ABCDEFG\nH\nI\tJK');
    expect(isSafeText(safeText(hostile))).toBe(true);
    expect(safeText('有人在基本农田上建厂房')).toBe('有人在基本农田上建厂房');
  });

  it('cleans every text of a notification built from a hostile case', () => {
    const record = {
      caseId: 'case_aaaaaaaaaaaaaaaaaaaaaaaaaa',
      caseNo: `${testNow().getUTCFullYear()}-000001`,
      area: 'guli',
      areaName: '古里镇',
      district: 'district-1',
      bureau: 'bureau:guli',
      routing: { method: 'address', matched: '古里', explanation: 'x\u001b[2J' },
      title: 'T\u202eitle\nBcc: x@example.org',
      description: hostile,
      location: { address: 'addr\u0000ess' },
      violationType: 'illegal_occupation',
      severity: 'normal',
      partners: [],
      partnerReasons: {},
      severityReasons: [],
      deadlines: [],
    } as unknown as CaseSnapshot;
    const notification = assignmentNotification(record, { id: 'n1', at: testNow().toISOString() });
    expect(isSafeText(notification.subject)).toBe(true);
    expect(isSafeText(notification.sms)).toBe(true);
    expect(isSafeText(notification.email, { multiline: true })).toBe(true);
    expect(notification.email).toContain('ABCDEFG');
  });
});

describe('page cursors', () => {
  const codec = createCursorCodec(() => new Uint8Array(32).fill(1));
  const brigade = { principal: { kind: 'brigade' as const }, list: 'cases', filters: { area: 'guli' } };

  it('gives back what it sealed, for the same principal and query', async () => {
    const sealed = await codec.seal('eyJwIjoxfQ', brigade);
    expect(sealed).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
    expect(await codec.open(sealed!, brigade)).toBe('eyJwIjoxfQ');
    expect(await codec.seal(null, brigade)).toBeNull();
  });

  it('refuses forged, garbled and foreign cursors', async () => {
    const sealed = (await codec.seal('eyJwIjoxfQ', brigade))!;
    const forged = Buffer.from(JSON.stringify({ p: -1 })).toString('base64url');
    const foreign = [
      { ...brigade, principal: { kind: 'bureau' as const, area: 'guli' as const } },
      { ...brigade, filters: { area: 'haiyu' } },
      { ...brigade, list: 'audit' },
    ];
    for (const cursor of [
      forged,
      `${forged}.${sealed.split('.')[1]}`,
      'x',
      '.',
      `${sealed}x`,
      `a${sealed}`,
      '{"k":{}}',
    ])
      await expect(codec.open(cursor, brigade)).rejects.toBeInstanceOf(InvalidCursorError);
    for (const scope of foreign)
      await expect(codec.open(sealed, scope)).rejects.toBeInstanceOf(InvalidCursorError);
    const other = createCursorCodec(() => new Uint8Array(32).fill(2));
    await expect(other.open(sealed, brigade)).rejects.toBeInstanceOf(InvalidCursorError);
  });

  it('answers a store ValidationException with 400, never 500', () => {
    const refused = Object.assign(new Error('ExclusiveStartKey is invalid'), {
      name: 'ValidationException',
      $metadata: { httpStatusCode: 400 },
      $fault: 'client',
    });
    const response = errorResponse(refused);
    expect(response.statusCode).toBe(400);
    expect(JSON.parse(response.body!).error.code).toBe('validation_failed');
    expect(response.body).not.toContain('ExclusiveStartKey');
  });
});

describe('security headers', () => {
  it('puts nosniff and no-store on every response, error answers included', async () => {
    const handler = middy<APIGatewayProxyEventV2, APIGatewayProxyResultV2>(
      async (event: APIGatewayProxyEventV2) => {
        if (event.rawPath === '/fail') throw new NotFoundError('No case with this id.');
        if (event.rawPath === '/cached')
          return {
            statusCode: 200,
            headers: { 'Cache-Control': 'max-age=60', 'X-Content-Type-Options': 'x' },
          };
        return { statusCode: 200, body: '{}' };
      },
    )
      .use(securityHeaders())
      .use(httpErrorHandler({ logger: { info() {}, warn() {}, error() {} } }));
    const call = (rawPath: string) =>
      handler(
        { rawPath } as APIGatewayProxyEventV2,
        {} as Context,
      ) as Promise<APIGatewayProxyStructuredResultV2>;
    for (const path of ['/ok', '/fail']) {
      const response = await call(path);
      expect(response.headers).toMatchObject({
        'x-content-type-options': 'nosniff',
        'cache-control': 'no-store',
      });
    }
    expect((await call('/fail')).statusCode).toBe(404);
    // A handler may choose its own caching, never its own sniffing.
    expect((await call('/cached')).headers).toEqual({
      'Cache-Control': 'max-age=60',
      'x-content-type-options': 'nosniff',
    });
  });
});

describe('the OpenAPI document', () => {
  it('lists invalid_cursor among the error codes and for the paged lists', () => {
    const document = buildOpenApiDocument() as Json;
    expect(document.components.schemas.Error.properties.error.properties.code.enum).toContain(
      'invalid_cursor',
    );
    for (const path of ['/v1/cases', '/v1/audit'])
      expect(document.paths[path].get.responses['400'].description).toContain('invalid_cursor');
    // A tip the caller may not see is a 404, never a 403; a case outside the caller's area or role
    // is a 403 (contract section 3).
    expect(document.paths['/v1/tips/{tipId}'].get.responses['403']).toBeUndefined();
    expect(document.paths['/v1/cases/{caseId}'].get.responses['403']).toBeDefined();
  });
});

describe('the cursor key', () => {
  it('reads CURSOR_KEY locally, and needs one of CURSOR_KEY or CURSOR_KEY_ARN', async () => {
    const key = await createCursorKey({ CURSOR_KEY: 'k'.repeat(32) })();
    expect(key).toHaveLength(32);
    expect(() => createCursorKey({})).toThrow(/CURSOR_KEY/);
    expect(() => createCursorKey({ CURSOR_KEY: 'short' })).toThrow(/CURSOR_KEY/);
  });

  it('fetches the secret named by CURSOR_KEY_ARN, and refuses a short one', async () => {
    const asked: string[] = [];
    const fetcher = (value: string) => ({
      get: async (name: string) => {
        asked.push(name);
        return value;
      },
    });
    const arn = 'arn:aws:secretsmanager:cn-north-1:123456789012:secret:landline-dev/cursor-key';
    const key = createCursorKey({ CURSOR_KEY_ARN: arn }, fetcher('g'.repeat(64)));
    expect(await key()).toEqual(await createCursorKey({ CURSOR_KEY: 'g'.repeat(64) })());
    expect(asked).toEqual([arn]);
    await expect(createCursorKey({ CURSOR_KEY_ARN: arn }, fetcher('placeholder'))()).rejects.toThrow(
      /fewer than/,
    );
  });
});
