/**
 * The middy pieces every HTTP handler shares. Use them in this order so that the request log sees
 * the mapped status:
 *
 *   middy(handler).use(injectLambdaContext(logger, { logEvent: false })).use(requestLogger())
 *     .use(securityHeaders()).use(httpErrorHandler())
 *
 * (middy runs `after` and `onError` in reverse order: the error handler maps first, then the
 * security headers go onto whatever response it made, then the request is logged.)
 *
 * Neither piece ever logs the event or the body: bodies carry reporter identities.
 */
import type { MiddlewareObj, Request } from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import { logger as sharedLogger } from '../observability.js';
import { errorResponse, httpFailureOf, isServiceValidationError } from './error-responses.js';

type HttpRequest = Request<APIGatewayProxyEventV2, APIGatewayProxyResultV2>;

/** What a log line may say about an error: its kind and message, never its payload. */
export function describeError(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { errorType: typeof error };
  const description: Record<string, unknown> = {
    errorName: error.name,
    errorMessage: error.message,
    stack: error.stack,
  };
  const status = (error as { $metadata?: { httpStatusCode?: unknown } }).$metadata?.httpStatusCode;
  if (status !== undefined) description.httpStatusCode = status;
  if (error.cause !== undefined) description.cause = describeError(error.cause);
  return description;
}

interface LoggerLike {
  info(message: string, ...extra: Record<string, unknown>[]): void;
  warn(message: string, ...extra: Record<string, unknown>[]): void;
  error(message: string, ...extra: Record<string, unknown>[]): void;
}

/** Maps any error to the contract's error response; unexpected ones and 5xx causes are logged. */
export function httpErrorHandler(
  options: { logger?: LoggerLike } = {},
): MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyResultV2> {
  const log = options.logger ?? sharedLogger;
  return {
    onError: (request: HttpRequest) => {
      const failure = httpFailureOf(request.error);
      if (isServiceValidationError(request.error)) {
        // Answered 400, but an input reached a store unchecked: worth fixing, so it is logged.
        log.warn('a store refused the request as given', describeError(request.error));
      }
      if (failure && failure.status >= 500) {
        log.warn('request failed with a retryable error', {
          code: failure.code,
          ...describeError(request.error),
        });
      }
      request.response = errorResponse(request.error, (unexpected) => {
        log.error('unexpected error', describeError(unexpected));
      });
    },
  };
}

const startedAt = new WeakMap<object, number>();

function statusOf(response: APIGatewayProxyResultV2 | null | undefined): number {
  if (response === undefined || response === null) return 500;
  if (typeof response === 'object' && response !== null && typeof response.statusCode === 'number')
    return response.statusCode;
  // A bare string or object result is a 200 to API Gateway.
  return 200;
}

/** One line per request: method, route, status, duration and request id; nothing from the body. */
export function requestLogger(
  options: { logger?: LoggerLike; now?: () => number } = {},
): MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyResultV2> {
  const log = options.logger ?? sharedLogger;
  const now = options.now ?? (() => performance.now());
  const write = (request: HttpRequest) => {
    const started = startedAt.get(request);
    const event = request.event;
    const status = statusOf(request.response);
    const durationMs = started === undefined ? undefined : Math.round((now() - started) * 10) / 10;
    log.info(
      `${event.requestContext?.http?.method ?? ''} ${event.rawPath ?? event.routeKey} → ${status}${durationMs === undefined ? '' : ` in ${durationMs} ms`}`,
      {
        method: event.requestContext?.http?.method,
        route: event.routeKey,
        status,
        durationMs,
        requestId: event.requestContext?.requestId ?? request.context?.awsRequestId,
      },
    );
  };
  return {
    before: (request: HttpRequest) => {
      startedAt.set(request, now());
    },
    after: write,
    onError: write,
  };
}

/**
 * Headers every API answer carries (contract 12). `nosniff`: a browser never reinterprets a JSON
 * body as HTML or script. `no-store`: case and reporter data must not stay in a browser, proxy or
 * shared cache; every answer gets it (errors included, which can say whether a case exists) unless
 * the handler chose a Cache-Control itself. API Gateway passes these headers through unchanged.
 */
export const SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'cache-control': 'no-store',
} as const;

export function withSecurityHeaders(response: APIGatewayProxyResultV2): APIGatewayProxyResultV2 {
  if (typeof response !== 'object' || response === null || typeof response.statusCode !== 'number') {
    // A bare result is a 200 JSON body to API Gateway: made structured so the headers can go on.
    return {
      statusCode: 200,
      headers: { 'content-type': 'application/json', ...SECURITY_HEADERS },
      body: typeof response === 'string' ? response : JSON.stringify(response),
    };
  }
  const headers: Record<string, string | number | boolean> = { ...(response.headers ?? {}) };
  const has = (name: string) => Object.keys(headers).some((key) => key.toLowerCase() === name);
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) if (!has(name)) headers[name] = value;
  // nosniff is not negotiable: replace whatever case-variant a handler may have set.
  for (const key of Object.keys(headers))
    if (key.toLowerCase() === 'x-content-type-options') delete headers[key];
  headers['x-content-type-options'] = 'nosniff';
  return { ...response, headers };
}

/** Puts SECURITY_HEADERS on every response, the error handler's included (see the order above). */
export function securityHeaders(): MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyResultV2> {
  const apply = (request: HttpRequest) => {
    if (request.response !== undefined && request.response !== null)
      request.response = withSecurityHeaders(request.response);
  };
  return { after: apply, onError: apply };
}
