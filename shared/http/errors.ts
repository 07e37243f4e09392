/**
 * Failures of the transport itself, found before any use case runs. Like every ReportableError
 * (see shared/domain/errors.ts for the layout) they carry no status: error-responses.ts maps them.
 */
import { ReportableError } from '../domain/errors.js';

/** The body is not UTF-8 JSON of the expected kind. */
export class InvalidJsonError extends ReportableError {}

/** No bearer token, an unknown one, or a webhook delivery whose signature does not verify. */
export class UnauthenticatedError extends ReportableError {}

/** `POST /v1/tips/{source}` for a source landline does not know. */
export class UnknownSourceError extends ReportableError {}

export class MethodNotAllowedError extends ReportableError {}

export class PayloadTooLargeError extends ReportableError {}

export class UnsupportedMediaTypeError extends ReportableError {}

/** A page cursor that is not one this API handed to this caller for this query (forged, garbled, foreign). */
export class InvalidCursorError extends ReportableError {}
