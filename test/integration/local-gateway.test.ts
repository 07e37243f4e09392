import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { afterEach, describe, expect, it } from 'vitest';
import { type LocalGateway, type RouteSpec, startGateway } from '../../infra/local/gateway.js';

let gateway: LocalGateway | undefined;
afterEach(async () => {
  await gateway?.close();
  gateway = undefined;
});

const echo = (seen: APIGatewayProxyEventV2[]) => async (event: APIGatewayProxyEventV2) => {
  seen.push(event);
  return {
    statusCode: 200,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ok: true }),
  };
};

async function readyGateway(routes: RouteSpec[], maxBodyBytes?: number): Promise<LocalGateway> {
  gateway = await startGateway({ port: 0, routes, ...(maxBodyBytes ? { maxBodyBytes } : {}) });
  gateway.setState('ready');
  return gateway;
}

describe('local gateway: API Gateway v2 events', () => {
  it('builds a payload 2.0 event with route key, path parameters, query, lower-cased headers and text JSON body', async () => {
    const seen: APIGatewayProxyEventV2[] = [];
    const { url } = await readyGateway([{ method: 'POST', path: '/v1/tips/{source}', handler: echo(seen) }]);
    const body = JSON.stringify({ reportId: 'r-1', description: '有人在基本农田上建厂房' });
    const response = await fetch(`${url}/v1/tips/12336?a=1&b=x%20y&a=2`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Webhook-Id': 'msg_1', Cookie: 'c1=v1; c2=v2' },
      body,
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('apigw-requestid')).toBeTruthy();
    const event = seen[0]!;
    expect(event.version).toBe('2.0');
    expect(event.routeKey).toBe('POST /v1/tips/{source}');
    expect(event.rawPath).toBe('/v1/tips/12336');
    expect(event.rawQueryString).toBe('a=1&b=x%20y&a=2');
    expect(event.queryStringParameters).toEqual({ a: '1,2', b: 'x y' });
    expect(event.pathParameters).toEqual({ source: '12336' });
    expect(event.headers['webhook-id']).toBe('msg_1');
    expect(event.headers['content-type']).toBe('application/json');
    expect(event.headers.cookie).toBeUndefined();
    expect(event.cookies).toEqual(['c1=v1', 'c2=v2']);
    expect(event.isBase64Encoded).toBe(false);
    expect(event.body).toBe(body);
    expect(event.requestContext.http).toMatchObject({
      method: 'POST',
      path: '/v1/tips/12336',
      sourceIp: '127.0.0.1',
    });
    expect(event.requestContext.routeKey).toBe('POST /v1/tips/{source}');
    expect(event.requestContext.requestId).toBe(response.headers.get('apigw-requestid'));
    expect(event.requestContext.time).toMatch(/^\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} \+0000$/);
    expect(Math.abs(event.requestContext.timeEpoch - Date.now())).toBeLessThan(10_000);
  });

  it('base64-encodes non-text bodies and invalid UTF-8, byte for byte', async () => {
    const seen: APIGatewayProxyEventV2[] = [];
    const { url } = await readyGateway([{ method: 'POST', path: '/v1/tips/{source}', handler: echo(seen) }]);
    const bytes = Buffer.from([0xff, 0xfe, 0x00, 0x41]);
    await fetch(`${url}/v1/tips/x`, {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream' },
      body: bytes,
    });
    await fetch(`${url}/v1/tips/x`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: bytes,
    });
    for (const event of seen) {
      expect(event.isBase64Encoded).toBe(true);
      expect(Buffer.from(event.body!, 'base64')).toEqual(bytes);
    }
    expect(seen).toHaveLength(2);
  });

  it('decodes path parameters and leaves the body out when there is none', async () => {
    const seen: APIGatewayProxyEventV2[] = [];
    const { url } = await readyGateway([{ method: 'GET', path: '/v1/cases/{caseId}', handler: echo(seen) }]);
    await fetch(`${url}/v1/cases/case%3A42`);
    expect(seen[0]!.pathParameters).toEqual({ caseId: 'case:42' });
    expect(seen[0]!.body).toBeUndefined();
    expect(seen[0]!.queryStringParameters).toBeUndefined();
  });

  it('writes the structured result: status, headers, cookies and base64 bodies', async () => {
    const { url } = await readyGateway([
      {
        method: 'GET',
        path: '/file',
        handler: async () => ({
          statusCode: 201,
          headers: { 'Content-Type': 'application/octet-stream', 'X-Thing': 'yes' },
          cookies: ['a=1; Path=/', 'b=2'],
          body: Buffer.from('hello').toString('base64'),
          isBase64Encoded: true,
        }),
      },
      { method: 'GET', path: '/bare', handler: async () => ({ hello: 'world' }) },
    ]);
    const file = await fetch(`${url}/file`);
    expect(file.status).toBe(201);
    expect(file.headers.get('x-thing')).toBe('yes');
    expect(file.headers.getSetCookie()).toEqual(['a=1; Path=/', 'b=2']);
    expect(Buffer.from(await file.arrayBuffer()).toString()).toBe('hello');
    const bare = await fetch(`${url}/bare`);
    expect(bare.status).toBe(200);
    expect(await bare.json()).toEqual({ hello: 'world' });
  });

  it('answers unknown routes 404 and wrong methods 405 in the contract error shape', async () => {
    const { url } = await readyGateway([{ method: 'GET', path: '/v1/cases', handler: echo([]) }]);
    const missing = await fetch(`${url}/v1/nothing`);
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error: { code: string } }).error.code).toBe('not_found');
    const wrong = await fetch(`${url}/v1/cases`, { method: 'DELETE' });
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('GET');
    expect(((await wrong.json()) as { error: { code: string } }).error.code).toBe('method_not_allowed');
  });

  it('refuses bodies above the cap with 413 before calling the handler', async () => {
    const seen: APIGatewayProxyEventV2[] = [];
    const { url } = await readyGateway(
      [{ method: 'POST', path: '/v1/tips/{source}', handler: echo(seen) }],
      1024,
    );
    const response = await fetch(`${url}/v1/tips/12336`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: 'x'.repeat(5000),
    });
    expect(response.status).toBe(413);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('payload_too_large');
    expect(seen).toHaveLength(0);
  });

  it('turns a throwing handler into an opaque 500', async () => {
    const { url } = await readyGateway([
      {
        method: 'GET',
        path: '/boom',
        handler: async () => {
          throw new Error('secret internals');
        },
      },
    ]);
    const response = await fetch(`${url}/boom`);
    expect(response.status).toBe(500);
    const text = await response.text();
    expect(text).not.toContain('secret internals');
    expect(JSON.parse(text).error.code).toBe('internal');
  });
});

describe('local gateway: health and lifecycle', () => {
  it('reports starting, ok and stopping; refuses intake while stopping but still serves reads', async () => {
    const seen: APIGatewayProxyEventV2[] = [];
    gateway = await startGateway({
      port: 0,
      routes: [
        { method: 'POST', path: '/v1/tips/{source}', handler: echo(seen), refuseWhileStopping: true },
        { method: 'GET', path: '/v1/cases', handler: echo(seen) },
      ],
    });
    const { url } = gateway;
    const health = async () => {
      const response = await fetch(`${url}/health`);
      return [response.status, await response.json()];
    };

    expect(await health()).toEqual([503, { status: 'starting' }]);
    const early = await fetch(`${url}/v1/tips/12336`, { method: 'POST', body: '{}' });
    expect(early.status).toBe(503);

    gateway.setState('ready');
    expect(await health()).toEqual([200, { status: 'ok' }]);

    gateway.setState('stopping');
    expect(await health()).toEqual([503, { status: 'stopping' }]);
    const refused = await fetch(`${url}/v1/tips/12336`, { method: 'POST', body: '{}' });
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('5');
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('unavailable');
    const read = await fetch(`${url}/v1/cases`);
    expect(read.status).toBe(200);
    expect(seen.map((event) => event.routeKey)).toEqual(['GET /v1/cases']);
  });

  it('fails with a one-line LocalRunError when the port is taken', async () => {
    gateway = await startGateway({ port: 0 });
    await expect(startGateway({ port: gateway.port })).rejects.toMatchObject({
      name: 'LocalRunError',
      message: expect.stringMatching(/^Port \d+ on 127\.0\.0\.1 is already in use/),
    });
  });
});

describe('local gateway: hostile requests', () => {
  it('hands a JSON body over byte for byte, a leading BOM included (signatures cover it)', async () => {
    const seen: APIGatewayProxyEventV2[] = [];
    const { url } = await readyGateway([{ method: 'POST', path: '/v1/tips/{source}', handler: echo(seen) }]);
    const body = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"a":1}')]);
    await fetch(`${url}/v1/tips/12336`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    const event = seen[0]!;
    expect(Buffer.from(event.body!, event.isBase64Encoded ? 'base64' : 'utf8')).toEqual(body);
  });

  it('answers a declared Content-Length over the limit with 413 before reading the body', async () => {
    const seen: APIGatewayProxyEventV2[] = [];
    const { port } = await readyGateway(
      [{ method: 'POST', path: '/v1/tips/{source}', handler: echo(seen) }],
      1024,
    );
    const { request } = await import('node:http');
    const status = await new Promise<{ status: number; nosniff: string | undefined }>((done, fail) => {
      const req = request(
        {
          host: '127.0.0.1',
          port,
          method: 'POST',
          path: '/v1/tips/12336',
          headers: { 'content-type': 'application/json', 'content-length': '99999999999' },
        },
        (res) => {
          res.resume();
          done({ status: res.statusCode ?? 0, nosniff: res.headers['x-content-type-options'] as string });
        },
      );
      req.on('error', fail);
      // Headers only: the answer must come without a byte of the declared body.
      req.flushHeaders();
    });
    expect(status).toEqual({ status: 413, nosniff: 'nosniff' });
    expect(seen).toHaveLength(0);
  });

  it('answers a path parameter that is not well-formed percent-encoding with 404', async () => {
    const seen: APIGatewayProxyEventV2[] = [];
    const { url } = await readyGateway([{ method: 'GET', path: '/v1/cases/{caseId}', handler: echo(seen) }]);
    const response = await fetch(`${url}/v1/cases/%E0`);
    expect(response.status).toBe(404);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('cache-control')).toBe('no-store');
    // Decoded once: %25E0 arrives as the text "%E0", never decoded again into a malformed one.
    await fetch(`${url}/v1/cases/%25E0`);
    expect(seen.map((event) => event.pathParameters)).toEqual([{ caseId: '%E0' }]);
  });
});
