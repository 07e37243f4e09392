import { describe, expect, it, vi } from 'vitest';
import { withCause } from '../../shared/domain/errors.js';
import {
  ERROR_ANSWERS,
  ERROR_CODES,
  errorResponse,
  httpFailureOf,
} from '../../shared/http/error-responses.js';
import { DependencyFailedError, ValidationError } from '../../shared/usecases/errors.js';
import { REPORTABLE_ERROR_CLASSES } from '../support/error-classes.js';

function answer(error: unknown) {
  const response = errorResponse(error);
  return {
    status: response.statusCode,
    headers: response.headers ?? {},
    error: JSON.parse(String(response.body)).error as { code: string; message: string; details?: unknown },
  };
}

describe('the error table', () => {
  it('answers every error class of the contract as before the layering (status and code)', () => {
    const table = Object.fromEntries(
      [...ERROR_ANSWERS].map(([ErrorClass, { status, code }]) => [ErrorClass.name, `${status} ${code}`]),
    );
    expect(table).toEqual({
      InvalidJsonError: '400 invalid_json',
      ValidationError: '400 validation_failed',
      InvalidCursorError: '400 invalid_cursor',
      UnauthenticatedError: '401 unauthenticated',
      ForbiddenError: '403 forbidden',
      NotFoundError: '404 not_found',
      UnknownSourceError: '404 unknown_source',
      UnknownTipError: '404 unknown_tip',
      MethodNotAllowedError: '405 method_not_allowed',
      InvalidTransitionError: '409 invalid_transition',
      ConflictError: '409 conflict',
      PeriodOpenError: '409 period_open',
      AlreadySubmittedError: '409 already_submitted',
      PayloadTooLargeError: '413 payload_too_large',
      CaseTooLargeError: '413 case_too_large',
      UnsupportedMediaTypeError: '415 unsupported_media_type',
      UnsupportedEventError: '422 unsupported_event',
      ZeroReportMismatchError: '422 zero_report_mismatch',
      TooLateError: '422 too_late',
      ThrottledError: '429 throttled',
      UnavailableError: '503 unavailable',
      DependencyFailedError: '503 unavailable',
    });
  });

  it('has a row for every exported error class, and no row for a class nobody exports', () => {
    expect(REPORTABLE_ERROR_CLASSES.length).toBeGreaterThan(10);
    for (const ErrorClass of REPORTABLE_ERROR_CLASSES) {
      expect(ERROR_ANSWERS.has(ErrorClass), ErrorClass.name).toBe(true);
      expect(answer(new ErrorClass('x')).status, ErrorClass.name).not.toBe(500);
    }
    for (const ErrorClass of ERROR_ANSWERS.keys()) {
      expect(REPORTABLE_ERROR_CLASSES, ErrorClass.name).toContain(ErrorClass);
    }
  });

  it('lists each code once, internal last', () => {
    expect(new Set(ERROR_CODES).size).toBe(ERROR_CODES.length);
    expect(ERROR_CODES.at(-1)).toBe('internal');
    expect([...ERROR_CODES].sort()).toEqual(
      [...new Set([...ERROR_ANSWERS.values()].map((row) => row.code)), 'internal'].sort(),
    );
  });

  it('sends Retry-After with throttled (1 s) and unavailable (5 s) only', () => {
    for (const ErrorClass of REPORTABLE_ERROR_CLASSES) {
      const { error, headers } = answer(new ErrorClass('x'));
      const expected = { throttled: '1', unavailable: '5' }[error.code];
      expect(headers['retry-after'], ErrorClass.name).toBe(expected);
    }
  });
});

describe('errorResponse', () => {
  it('keeps the message and the details, and leaves out empty details', () => {
    const detailed = answer(new ValidationError('bad', [{ path: 'reportId', message: 'is required' }]));
    expect(detailed.error).toEqual({
      code: 'validation_failed',
      message: 'bad',
      details: [{ path: 'reportId', message: 'is required' }],
    });
    expect(answer(new ValidationError('bad', [])).error).toEqual({
      code: 'validation_failed',
      message: 'bad',
    });
  });

  it('answers a dependency failure passed on by a use case after that failure: throttled or unavailable', () => {
    const throttling = Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
    const throttled = answer(withCause(new DependencyFailedError(), throttling));
    expect([throttled.status, throttled.error.code, throttled.headers['retry-after']]).toEqual([
      429,
      'throttled',
      '1',
    ]);
    const refused = answer(withCause(new DependencyFailedError(), new Error('connect ECONNREFUSED')));
    expect([refused.status, refused.error.code, refused.headers['retry-after']]).toEqual([
      503,
      'unavailable',
      '5',
    ]);
    expect(JSON.stringify(refused)).not.toContain('ECONNREFUSED');
  });

  it('answers an escaped SDK throttling, server fault or time-out as "retry later"', () => {
    const sdk = (name: string, extra: object) => Object.assign(new Error(name), { name, ...extra });
    expect(
      answer(sdk('ProvisionedThroughputExceededException', { $retryable: { throttling: true } })).status,
    ).toBe(429);
    expect(answer(sdk('InternalServerError', { $fault: 'server' })).status).toBe(503);
    expect(answer(sdk('TimeoutError', {})).status).toBe(503);
    expect(httpFailureOf(sdk('ValidationException', { $fault: 'client' }))).toBeUndefined();
  });

  it('answers anything else with an opaque 500 and hands the original to onUnexpected', () => {
    const onUnexpected = vi.fn();
    const bug = new TypeError('cannot read x of undefined');
    const response = errorResponse(bug, onUnexpected);
    expect(response.statusCode).toBe(500);
    expect(JSON.parse(String(response.body))).toEqual({
      error: { code: 'internal', message: '内部错误，可重试该请求。' },
    });
    expect(onUnexpected).toHaveBeenCalledWith(bug);
  });
});
