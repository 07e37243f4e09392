/**
 * The outcomes a use case reports instead of a result. Like every ReportableError (see
 * shared/domain/errors.ts for the layout), they carry a message and no HTTP status: the mapper in
 * shared/http/error-responses.ts decides how each one is answered.
 */
import { ReportableError } from '../domain/errors.js';

/** The input breaks a rule; `details` names every failing field. */
export class ValidationError extends ReportableError {}

/** The caller is known but may not do or see this. */
export class ForbiddenError extends ReportableError {}

export class NotFoundError extends ReportableError {}

/** The request clashes with the current state (an eventId reused, a write race lost too often). */
export class ConflictError extends ReportableError {}

/**
 * The request would grow a case past its size budget (shared/domain/case-size.ts); nothing was
 * stored. The message names the case's estimated size and the budget, never the content.
 */
export class CaseTooLargeError extends ReportableError {}

/** A patrol recorded after its late-entry limit (contract section 7: `too_late`); nothing was stored. */
export class TooLateError extends ReportableError {}

/** Too many requests right now; the same request later is welcome. */
export class ThrottledError extends ReportableError {
  constructor(message = '请求过于频繁，请稍后重试。') {
    super(message);
  }
}

/**
 * The use case refuses for now and nothing was stored: a dependency it cannot do without failed,
 * or it fails closed (an audit record that could not be written). Always "retry later".
 */
export class UnavailableError extends ReportableError {
  constructor(message = '服务暂时不可用，未作任何保存，请稍后重试。') {
    super(message);
  }
}

/**
 * A dependency failed, nothing was stored, and how to tell the client is that failure's to say:
 * a dependency that asks to slow down answers "throttled", any other failure "unavailable". The
 * failure is the `cause` (see withCause); only the HTTP mapper knows the shapes of SDK errors.
 */
export class DependencyFailedError extends ReportableError {
  constructor(message = '服务暂时不可用，未作任何保存，请稍后重试。') {
    super(message);
  }
}

/** A monthly report submitted before its month is over (contract section 8). */
export class PeriodOpenError extends ReportableError {}

/** A monthly report submitted a second time (contract section 8). */
export class AlreadySubmittedError extends ReportableError {}

/** A submission whose `zeroReport` says otherwise than the month's data (contract section 8). */
export class ZeroReportMismatchError extends ReportableError {}
/**
 * A source's follow-up names a tip for which landline has no case (yet): never sent, or sent within
 * seconds and still queued. Nothing was queued; the source may send it again (contract 9).
 */
export class UnknownTipError extends ReportableError {}
