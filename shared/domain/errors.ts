/**
 * Errors say what went wrong in the rules' own terms. None of them knows about HTTP: no status, no
 * error code, no header. The one mapper in shared/http/error-responses.ts turns each class into the
 * contract's answer, so a reader finds every status in one table and the rules stay transport-free.
 *
 * Where each class lives follows who decides the failure:
 * - here: the base class and the failures of a domain rule (an event the case's state forbids, a
 *   source event that is not a tip);
 * - shared/usecases/errors.ts: outcomes a use case reaches (not found, forbidden, conflict, invalid
 *   input, a dependency that failed);
 * - shared/http/errors.ts: failures of the transport itself (media type, body size, JSON, bearer
 *   token, method, route).
 */

import type { ErrorDetail } from './validation-details.js';

/**
 * A failure the caller is to be told about. Its message (and details) reach the client as they
 * are, so they name the broken rule and never echo a submitted value. Anything not derived from
 * this class is a bug and answers an opaque internal error.
 */
export abstract class ReportableError extends Error {
  readonly details: readonly ErrorDetail[] | undefined;
  constructor(message: string, details?: readonly ErrorDetail[]) {
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

/** The case's state (or the caller's part in it) does not allow this event now. */
export class InvalidTransitionError extends ReportableError {}

/** The source sent an event that is not a tip (e.g. a city-management event other than a dispatch). */
export class UnsupportedEventError extends ReportableError {}
