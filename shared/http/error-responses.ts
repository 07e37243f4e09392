/**
 * The one place where failures become HTTP answers (contract 2.4 error shape). Every error class
 * the contract names has one row in ERROR_ANSWERS; a dependency that throttles, fails or runs out
 * of time is answered as "retry later"; anything else is a bug and gets an opaque 500. The OpenAPI
 * document lists its error codes from this table, so the two cannot drift apart.
 */
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import {
  InvalidTransitionError,
  ReportableError,
  UnsupportedEventError,
  withCause,
} from '../domain/errors.js';
import type { ErrorDetail } from '../domain/validation-details.js';
import {
  AlreadySubmittedError,
  CaseTooLargeError,
  ConflictError,
  DependencyFailedError,
  ForbiddenError,
  NotFoundError,
  PeriodOpenError,
  ThrottledError,
  TooLateError,
  UnavailableError,
  UnknownTipError,
  ValidationError,
  ZeroReportMismatchError,
} from '../usecases/errors.js';
import {
  InvalidCursorError,
  InvalidJsonError,
  MethodNotAllowedError,
  PayloadTooLargeError,
  UnauthenticatedError,
  UnknownSourceError,
  UnsupportedMediaTypeError,
} from './errors.js';
import { jsonResponse } from './json-response.js';

export interface ErrorAnswer {
  status: number;
  code: string;
  /** Sent as Retry-After: the request may be repeated unchanged after this many seconds. */
  retryAfterSeconds?: number;
}

export type ErrorClass = abstract new (...args: never[]) => ReportableError;

const UNAVAILABLE: ErrorAnswer = { status: 503, code: 'unavailable', retryAfterSeconds: 5 };

/**
 * Every error class the contract names and how it is answered. Looked up by the exact class, so a
 * new subclass needs its own row (the unit tests check that every exported class has one).
 */
export const ERROR_ANSWERS: ReadonlyMap<ErrorClass, ErrorAnswer> = new Map<ErrorClass, ErrorAnswer>([
  [InvalidJsonError, { status: 400, code: 'invalid_json' }],
  [ValidationError, { status: 400, code: 'validation_failed' }],
  [InvalidCursorError, { status: 400, code: 'invalid_cursor' }],
  [UnauthenticatedError, { status: 401, code: 'unauthenticated' }],
  [ForbiddenError, { status: 403, code: 'forbidden' }],
  [NotFoundError, { status: 404, code: 'not_found' }],
  [UnknownSourceError, { status: 404, code: 'unknown_source' }],
  [UnknownTipError, { status: 404, code: 'unknown_tip' }],
  [MethodNotAllowedError, { status: 405, code: 'method_not_allowed' }],
  [InvalidTransitionError, { status: 409, code: 'invalid_transition' }],
  [ConflictError, { status: 409, code: 'conflict' }],
  [PeriodOpenError, { status: 409, code: 'period_open' }],
  [AlreadySubmittedError, { status: 409, code: 'already_submitted' }],
  [PayloadTooLargeError, { status: 413, code: 'payload_too_large' }],
  [CaseTooLargeError, { status: 413, code: 'case_too_large' }],
  [UnsupportedMediaTypeError, { status: 415, code: 'unsupported_media_type' }],
  [UnsupportedEventError, { status: 422, code: 'unsupported_event' }],
  [ZeroReportMismatchError, { status: 422, code: 'zero_report_mismatch' }],
  [TooLateError, { status: 422, code: 'too_late' }],
  [ThrottledError, { status: 429, code: 'throttled', retryAfterSeconds: 1 }],
  [UnavailableError, UNAVAILABLE],
  [DependencyFailedError, UNAVAILABLE],
]);

const INTERNAL = {
  status: 500,
  code: 'internal',
  message: '内部错误，可重试该请求。',
} as const;

/** Every `error.code` the API can send, in the order of the table, `internal` last. */
export const ERROR_CODES: readonly string[] = [
  ...new Set([...ERROR_ANSWERS.values()].map((answer) => answer.code)),
  INTERNAL.code,
];

/** What the client is told: the status, the contract's error body and any extra headers. */
export interface HttpFailure {
  status: number;
  code: string;
  message: string;
  details?: readonly ErrorDetail[];
  headers: Record<string, string>;
}

/** True for errors that mean "slow down" rather than "broken", whichever SDK or service raised them. */
export function isThrottlingError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const candidate = error as {
    name?: unknown;
    code?: unknown;
    $metadata?: { httpStatusCode?: unknown };
    $retryable?: { throttling?: unknown };
  };
  const label = `${typeof candidate.name === 'string' ? candidate.name : ''} ${typeof candidate.code === 'string' ? candidate.code : ''}`;
  return (
    /Throttl|TooManyRequests|RequestLimitExceeded|SlowDown/i.test(label) ||
    candidate.$metadata?.httpStatusCode === 429 ||
    candidate.$retryable?.throttling === true
  );
}

function answered(error: ReportableError): HttpFailure | undefined {
  const answer = ERROR_ANSWERS.get(error.constructor as ErrorClass);
  if (!answer) return undefined;
  return {
    status: answer.status,
    code: answer.code,
    message: error.message,
    ...(error.details && error.details.length > 0 ? { details: error.details } : {}),
    headers:
      answer.retryAfterSeconds === undefined ? {} : { 'retry-after': String(answer.retryAfterSeconds) },
  };
}

/**
 * A dependency that is throttling or failing (DynamoDB, SQS, KMS …) is the client's cue to retry,
 * not an internal error: 429 or 503 with Retry-After. So is running out of time (middy's early
 * timeout response before the function's own timeout, or an SDK request timeout, both
 * `TimeoutError`): every write behind the API is idempotent (tip ids are derived, events may
 * carry an eventId), so the same request again is safe. Undefined for anything else.
 */
export function dependencyFailure(error: unknown): HttpFailure | undefined {
  if (error instanceof ReportableError || typeof error !== 'object' || error === null) return undefined;
  const status = (error as { $metadata?: { httpStatusCode?: unknown } }).$metadata?.httpStatusCode;
  const fault = (error as { $fault?: unknown }).$fault;
  if (isThrottlingError(error)) return answered(withCause(new ThrottledError(), error));
  const timedOut = (error as { name?: unknown }).name === 'TimeoutError';
  if (timedOut || fault === 'server' || (typeof status === 'number' && status >= 500))
    return answered(withCause(new UnavailableError(), error));
  return undefined;
}

/**
 * DynamoDB's ValidationException: the service refused the request as given. Every input is checked
 * before it reaches a store (ids by pattern, cursors by signature), so one that still gets here is
 * an input we failed to anticipate; it is the request that cannot be served, and retrying it
 * unchanged will not help, so it answers 400, never a 500 (contract 12: no input gets a 5xx).
 * The middleware logs it, so the gap gets closed.
 */
export function isServiceValidationError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null || error instanceof ReportableError) return false;
  const candidate = error as { name?: unknown; $metadata?: unknown };
  return candidate.name === 'ValidationException' && candidate.$metadata !== undefined;
}

/** The answer to `error`, or undefined when it is none the contract names (a bug: answer 500). */
export function httpFailureOf(error: unknown): HttpFailure | undefined {
  if (error instanceof DependencyFailedError && isThrottlingError(error.cause)) {
    return answered(withCause(new ThrottledError(), error));
  }
  if (error instanceof ReportableError) return answered(error);
  if (isServiceValidationError(error))
    return answered(withCause(new ValidationError('无法按所给内容处理该请求。'), error));
  return dependencyFailure(error);
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
  const failure = httpFailureOf(error);
  if (!failure) {
    onUnexpected?.(error);
    return jsonResponse(INTERNAL.status, { error: { code: INTERNAL.code, message: INTERNAL.message } });
  }
  const body = {
    code: failure.code,
    message: failure.message,
    ...(failure.details ? { details: failure.details } : {}),
  };
  return jsonResponse(failure.status, { error: body }, failure.headers);
}
