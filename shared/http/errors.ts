/**
 * One error class per kind of failure a client can be told about, and the one place that maps
 * them to HTTP (contract 2.4 error shape). Anything else becomes a 500 that says nothing about
 * internals.
 */
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';

export interface ErrorDetail {
  path: string;
  message: string;
}

export abstract class ApiError extends Error {
  abstract readonly status: number;
  abstract readonly code: string;
  readonly details: ErrorDetail[] | undefined;
  /** Extra response headers (e.g. Retry-After). */
  readonly headers: Record<string, string> = {};
  constructor(message: string, details?: ErrorDetail[]) {
    super(message);
    this.name = new.target.name;
    this.details = details;
  }
}

/** Keeps the original failure for the logs (as a non-enumerable `cause`) without letting it reach the client. */
export function withCause<E extends Error>(error: E, cause: unknown): E {
  Object.defineProperty(error, 'cause', { value: cause, enumerable: false, configurable: true });
  return error;
}

export class InvalidJsonError extends ApiError {
  readonly status = 400;
  readonly code = 'invalid_json';
}
export class ValidationError extends ApiError {
  readonly status = 400;
  readonly code = 'validation_failed';
}
export class UnauthenticatedError extends ApiError {
  readonly status = 401;
  readonly code = 'unauthenticated';
}
export class ForbiddenError extends ApiError {
  readonly status = 403;
  readonly code = 'forbidden';
}
export class NotFoundError extends ApiError {
  readonly status = 404;
  readonly code: string = 'not_found';
}
export class UnknownSourceError extends NotFoundError {
  override readonly code = 'unknown_source';
}
export class MethodNotAllowedError extends ApiError {
  readonly status = 405;
  readonly code = 'method_not_allowed';
}
export class ConflictError extends ApiError {
  readonly status = 409;
  readonly code: string = 'conflict';
}
export class InvalidTransitionError extends ConflictError {
  override readonly code = 'invalid_transition';
}
export class PayloadTooLargeError extends ApiError {
  readonly status = 413;
  readonly code = 'payload_too_large';
}
export class UnsupportedMediaTypeError extends ApiError {
  readonly status = 415;
  readonly code = 'unsupported_media_type';
}
export class UnsupportedEventError extends ApiError {
  readonly status = 422;
  readonly code = 'unsupported_event';
}
export class ThrottledError extends ApiError {
  readonly status = 429;
  readonly code = 'throttled';
  constructor(message = 'Too many requests; retry later.', retryAfterSeconds = 1) {
    super(message);
    this.headers['retry-after'] = String(retryAfterSeconds);
  }
}
export class UnavailableError extends ApiError {
  readonly status = 503;
  readonly code = 'unavailable';
  constructor(
    message = 'The service is temporarily unavailable; nothing was stored. Retry later.',
    retryAfterSeconds = 5,
  ) {
    super(message);
    this.headers['retry-after'] = String(retryAfterSeconds);
  }
}

export const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8' } as const;

export function jsonResponse(
  statusCode: number,
  body: unknown,
  headers: Record<string, string> = {},
): APIGatewayProxyStructuredResultV2 {
  return { statusCode, headers: { ...JSON_HEADERS, ...headers }, body: JSON.stringify(body) };
}

/**
 * Maps any thrown value to the contract's error response. Known errors keep their message and
 * details (which never echo submitted values); unknown ones become an opaque 500, and `onUnexpected`
 * gets the original for logging.
 */
export function errorResponse(
  error: unknown,
  onUnexpected?: (error: unknown) => void,
): APIGatewayProxyStructuredResultV2 {
  if (error instanceof ApiError) {
    const body: { code: string; message: string; details?: ErrorDetail[] } = {
      code: error.code,
      message: error.message,
    };
    if (error.details && error.details.length > 0) body.details = error.details;
    return jsonResponse(error.status, { error: body }, error.headers);
  }
  onUnexpected?.(error);
  return jsonResponse(500, {
    error: { code: 'internal', message: 'Internal error; the request may be retried.' },
  });
}
