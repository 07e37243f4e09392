import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { TokenAuthenticator } from '../../shared/http/auth.js';
import { handleCaseApi } from '../../shared/http/case-api.js';
import { createCursorCodec } from '../../shared/http/cursor.js';
import { errorResponse } from '../../shared/http/error-responses.js';
import { parseAuditReason } from '../../shared/http/query.js';
import { DEFAULT_AUDIT_REASON } from '../../shared/usecases/audit.js';
import { caseRecord } from '../support/case-record.js';
import {
  FakeVault,
  ManualClock,
  MemoryAssignmentQueue,
  MemoryAuditLog,
  MemoryCaseStore,
} from '../support/memory-ports.js';

const TEST_CURSOR_KEY = new Uint8Array(32).fill(7);

const tokens = {
  'tok-brigade': { principal: 'brigade', actor: { name: '周队长', role: 'chief' as const } },
  'tok-shajiabang': 'bureau:shajiabang',
  'tok-planning': 'partner:planning',
};

async function setup(reporter: 'named' | 'confidential' | 'anonymous' = 'named') {
  const store = new MemoryCaseStore();
  const vault = new FakeVault();
  const audit = new MemoryAuditLog();
  let opened = 0;
  const countingVault = {
    seal: vault.seal.bind(vault),
    open: async (tipId: string, sealed: string) => {
      opened += 1;
      return vault.open(tipId, sealed);
    },
  };
  const record = caseRecord({
    reporter:
      reporter === 'anonymous'
        ? { anonymous: true }
        : {
            anonymous: false,
            confidential: reporter === 'confidential',
            sealed: await vault.seal('tip_aaaaaaaaaaaaaaaaaaaaaaaaaa', {
              name: '张三',
              phone: '13912345678',
            }),
          },
  });
  store.cases.set(record.caseId, record);
  const deps = {
    store,
    vault: countingVault,
    audit,
    queue: new MemoryAssignmentQueue(),
    clock: new ManualClock(new Date('2026-11-28T03:00:00Z')),
    newId: () => 'audit-1',
    auth: TokenAuthenticator.fromPlainTokens(tokens),
    openApiDocument: () => ({}),
    cursors: createCursorCodec(() => TEST_CURSOR_KEY),
    eventContext: () => {
      throw new Error('not used');
    },
  };
  const call = async (routeKey: string, token: string, query?: Record<string, string>) => {
    const event = {
      routeKey,
      rawPath: routeKey.split(' ')[1],
      headers: { authorization: `Bearer ${token}` },
      pathParameters: { caseId: record.caseId },
      queryStringParameters: query,
      isBase64Encoded: false,
    } as unknown as APIGatewayProxyEventV2;
    const response = await handleCaseApi(event, deps).catch((error: unknown) => errorResponse(error));
    return { status: response.statusCode, body: JSON.parse(response.body ?? 'null') };
  };
  return { record, audit, call, opened: () => opened };
}

describe('reporter access audit', () => {
  it('records who, when, which case and why before showing the reporter', async () => {
    const { record, audit, call } = await setup();
    const response = await call('GET /v1/cases/{caseId}', 'tok-brigade', { reason: '  回访   举报人 ' });
    expect(response.body.reporter).toMatchObject({ name: '张三' });
    expect(audit.records).toEqual([
      {
        id: 'audit-1',
        at: '2026-11-28T03:00:00.000Z',
        action: 'reporter.view',
        caseId: record.caseId,
        caseNo: record.caseNo,
        tipId: record.reporterTipId,
        principal: 'brigade',
        actor: { name: '周队长', role: 'chief' },
        reason: '回访 举报人',
      },
    ]);
    await call('GET /v1/cases/{caseId}', 'tok-shajiabang');
    expect(audit.records[1]).toMatchObject({ principal: 'bureau:shajiabang', reason: DEFAULT_AUDIT_REASON });
    expect(audit.records[1]).not.toHaveProperty('actor');
  });

  it('fails closed: no audit record, no reporter (503) and no decryption', async () => {
    const { audit, call, opened } = await setup();
    audit.failNext = 1;
    const response = await call('GET /v1/cases/{caseId}', 'tok-brigade');
    expect(response.status).toBe(503);
    expect(JSON.stringify(response.body)).not.toMatch(/张三|13912345678/);
    expect(opened()).toBe(0);
  });

  it('records nothing when nothing is opened: partners, confidential callers for the bureau, anonymous tips', async () => {
    const named = await setup();
    await named.call('GET /v1/cases/{caseId}', 'tok-planning');
    await named.call('GET /v1/cases', 'tok-brigade');
    expect(named.audit.records).toEqual([]);

    const confidential = await setup('confidential');
    const bureau = await confidential.call('GET /v1/cases/{caseId}', 'tok-shajiabang');
    expect(bureau.body.reporter).toBeUndefined();
    expect(confidential.audit.records).toEqual([]);
    const brigade = await confidential.call('GET /v1/cases/{caseId}', 'tok-brigade');
    expect(brigade.body.reporter).toMatchObject({ name: '张三', confidential: true });
    expect(confidential.audit.records).toHaveLength(1);

    const anonymous = await setup('anonymous');
    expect((await anonymous.call('GET /v1/cases/{caseId}', 'tok-brigade')).body.reporter).toEqual({
      anonymous: true,
    });
    expect(anonymous.audit.records).toEqual([]);
  });

  it('opens and records nothing for reporter=omit, the console’s page view', async () => {
    const { audit, call, opened } = await setup();
    const response = await call('GET /v1/cases/{caseId}', 'tok-brigade', { reporter: 'omit' });
    expect(response.status).toBe(200);
    expect(response.body.reporter).toBeUndefined();
    expect(response.body.allowedEvents).toEqual([
      'acknowledge',
      'inspect',
      'close',
      'reassign',
      'comment',
      'merge',
      'request_extension',
      'return',
    ]);
    expect(audit.records).toEqual([]);
    expect(opened()).toBe(0);
    const anonymous = await setup('anonymous');
    const plain = await anonymous.call('GET /v1/cases/{caseId}', 'tok-brigade', { reporter: 'omit' });
    expect(plain.body.reporter).toEqual({ anonymous: true });
    const wrong = await call('GET /v1/cases/{caseId}', 'tok-brigade', { reporter: 'hide' });
    expect(wrong).toMatchObject({ status: 400, body: { error: { details: [{ path: 'reporter' }] } } });
  });

  it('serves the trail to the brigade only, and needs a caseId', async () => {
    const { record, call } = await setup();
    await call('GET /v1/cases/{caseId}', 'tok-shajiabang');
    const trail = await call('GET /v1/audit', 'tok-brigade', { caseId: record.caseId });
    expect(trail).toMatchObject({
      status: 200,
      body: { items: [{ principal: 'bureau:shajiabang' }], cursor: null },
    });
    expect((await call('GET /v1/audit', 'tok-shajiabang', { caseId: record.caseId })).status).toBe(403);
    expect((await call('GET /v1/audit', 'tok-planning')).status).toBe(403);
    const missing = await call('GET /v1/audit', 'tok-brigade');
    expect(missing).toMatchObject({ status: 400, body: { error: { details: [{ path: 'caseId' }] } } });
    expect(
      (await call('GET /v1/audit', 'tok-brigade', { caseId: 'case_zzzzzzzzzzzzzzzzzzzzzzzzzz' })).status,
    ).toBe(404);
    // Not the shape of a case id: refused before any store is asked.
    expect((await call('GET /v1/audit', 'tok-brigade', { caseId: 'case_unknown' })).status).toBe(400);
  });

  it('limits the reason to 200 characters and defaults a blank one', () => {
    expect(parseAuditReason({})).toBe(DEFAULT_AUDIT_REASON);
    expect(parseAuditReason({ reason: '   ' })).toBe(DEFAULT_AUDIT_REASON);
    expect(parseAuditReason({ reason: '核'.repeat(200) })).toHaveLength(200);
    expect(() => parseAuditReason({ reason: '核'.repeat(201) })).toThrow(/查看原因过长/);
  });
});
