import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2, Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { httpErrorHandler, requestLogger } from '../../shared/http/middleware.js';
import { UnavailableError, ValidationError } from '../../shared/usecases/errors.js';

function recordingLogger() {
  const lines: { level: string; message: string; extra: Record<string, unknown> }[] = [];
  const at =
    (level: string) =>
    (message: string, ...extra: Record<string, unknown>[]) =>
      lines.push({ level, message, extra: Object.assign({}, ...extra) });
  return { lines, logger: { info: at('info'), warn: at('warn'), error: at('error') } };
}

const SECRET_BODY = '{"reporter":{"name":"张三","phone":"13912345678"}}';

function event(): APIGatewayProxyEventV2 {
  return {
    version: '2.0',
    routeKey: 'POST /v1/tips/{source}',
    rawPath: '/v1/tips/12336',
    rawQueryString: '',
    headers: { 'content-type': 'application/json' },
    requestContext: { requestId: 'req-1', http: { method: 'POST', path: '/v1/tips/12336' } },
    body: SECRET_BODY,
    isBase64Encoded: false,
  } as unknown as APIGatewayProxyEventV2;
}

function wrap(handler: () => Promise<APIGatewayProxyResultV2>) {
  const { lines, logger } = recordingLogger();
  let clock = 0;
  const wrapped = middy<APIGatewayProxyEventV2, APIGatewayProxyResultV2>(handler)
    .use(requestLogger({ logger, now: () => (clock += 5) }))
    .use(httpErrorHandler({ logger }));
  return { lines, invoke: () => wrapped(event(), {} as Context) };
}

describe('httpErrorHandler and requestLogger', () => {
  it('logs method, route, status, duration and request id of a success, and nothing of the body', async () => {
    const { lines, invoke } = wrap(async () => ({ statusCode: 202, body: '{}' }));
    expect(await invoke()).toEqual({ statusCode: 202, body: '{}' });
    expect(lines).toEqual([
      {
        level: 'info',
        message: expect.stringContaining('202'),
        extra: {
          method: 'POST',
          route: 'POST /v1/tips/{source}',
          status: 202,
          durationMs: 5,
          requestId: 'req-1',
        },
      },
    ]);
  });

  it('maps a known error to its response and logs its status', async () => {
    const { lines, invoke } = wrap(async () => {
      throw new ValidationError('bad', [{ path: 'reportId', message: 'is required' }]);
    });
    const response = (await invoke()) as { statusCode: number; body: string };
    expect(response.statusCode).toBe(400);
    expect(JSON.parse(response.body)).toEqual({
      error: {
        code: 'validation_failed',
        message: 'bad',
        details: [{ path: 'reportId', message: 'is required' }],
      },
    });
    expect(lines.map((line) => [line.level, line.extra.status])).toEqual([['info', 400]]);
  });

  it('answers an opaque 500 for an unexpected error and logs it without the event', async () => {
    const { lines, invoke } = wrap(async () => {
      throw new TypeError('cannot read x of undefined');
    });
    const response = (await invoke()) as { statusCode: number; body: string };
    expect(response.statusCode).toBe(500);
    expect(response.body).not.toContain('cannot read');
    expect(lines.map((line) => line.level)).toEqual(['error', 'info']);
    expect(lines[0]?.extra).toMatchObject({
      errorName: 'TypeError',
      errorMessage: 'cannot read x of undefined',
    });
    expect(JSON.stringify(lines)).not.toContain('张三');
  });

  it('logs the cause of a 503 while the client sees only "retry later"', async () => {
    const { lines, invoke } = wrap(async () => {
      throw Object.assign(new UnavailableError(), { cause: new Error('ECONNREFUSED') });
    });
    const response = (await invoke()) as {
      statusCode: number;
      body: string;
      headers: Record<string, string>;
    };
    expect(response.statusCode).toBe(503);
    expect(response.headers['retry-after']).toBe('5');
    expect(response.body).not.toContain('ECONNREFUSED');
    expect(lines[0]).toMatchObject({
      level: 'warn',
      extra: { code: 'unavailable', cause: { errorMessage: 'ECONNREFUSED' } },
    });
  });
});

describe('dependency failures', () => {
  it('answers a throttled or failing AWS dependency with 429 or 503, not an internal error', async () => {
    const { dependencyFailure } = await import('../../shared/http/error-responses.js');
    const throttled = Object.assign(new Error('Rate exceeded'), {
      name: 'ThrottlingException',
      $metadata: { httpStatusCode: 400 },
    });
    const down = Object.assign(new Error('boom'), {
      name: 'InternalServerError',
      $fault: 'server',
      $metadata: { httpStatusCode: 500 },
    });
    expect(dependencyFailure(throttled)?.status).toBe(429);
    expect(dependencyFailure(down)?.status).toBe(503);
    expect(dependencyFailure(new Error('a bug'))).toBeUndefined();
  });

  it('answers running out of time with 503 and Retry-After: the same request again is safe', async () => {
    const { dependencyFailure } = await import('../../shared/http/error-responses.js');
    // What middy's timeoutEarlyResponse throws shortly before the function's timeout.
    const timedOut = Object.assign(new Error('[AbortError]: The operation was aborted.'), {
      name: 'TimeoutError',
    });
    const answer = dependencyFailure(timedOut);
    expect(answer?.status).toBe(503);
    expect(answer?.headers['retry-after']).toBeDefined();
  });
});
