/**
 * The intake use case (contract section 2): check, authenticate, validate, seal the reporter and
 * queue. The checks run cheapest and most general first, and every 4xx is decided before anything
 * is queued, so a rejected request leaves no trace.
 */
import {
  InvalidJsonError,
  PayloadTooLargeError,
  UnknownSourceError,
  UnsupportedMediaTypeError,
} from '../http/errors.js';
import { headerValue, verifyWebhook } from '../http/webhook.js';
import type { Clock, ReporterVault, TipQueue } from '../ports/index.js';
import { DependencyFailedError, UnavailableError, ValidationError } from '../usecases/errors.js';
import { UnsupportedEventError, withCause } from './errors.js';
import { deriveTipId } from './ids.js';
import { isSource, type SealedReporter, type Source } from './model.js';
import { normalizeTip, parseSourceBody, SOURCE_MODULES } from './sources/index.js';
import type { ReporterOfTip } from './sources/types.js';
import { zodIssuesToDetails } from './validation-details.js';

export const MAX_BODY_BYTES = 256 * 1024;

export interface IntakeRequest {
  source: string;
  headers: Record<string, string | undefined>;
  rawBody: string | Uint8Array;
  /** Overrides the `content-type` header when the caller already extracted it. */
  contentType?: string;
}

export interface IntakeDeps {
  /** The secrets valid for a source right now (several during a rotation); may be fetched. */
  secrets: (source: Source) => readonly string[] | Promise<readonly string[]>;
  queue: TipQueue;
  vault: ReporterVault;
  clock: Clock;
}

export interface IntakeResult {
  tipId: string;
  status: 'queued';
}

function checkContentType(contentType: string | undefined): void {
  const [mediaType = '', ...parameters] = (contentType ?? '').split(';');
  if (mediaType.trim().toLowerCase() !== 'application/json') {
    throw new UnsupportedMediaTypeError('Content-Type must be application/json.');
  }
  for (const parameter of parameters) {
    const [name = '', value = ''] = parameter.split('=');
    if (name.trim().toLowerCase() !== 'charset') continue;
    const charset = value.trim().replace(/^"|"$/g, '').toLowerCase();
    if (charset !== 'utf-8' && charset !== 'utf8') {
      throw new UnsupportedMediaTypeError('The body must be UTF-8 (charset=utf-8).');
    }
  }
}

function toBytes(rawBody: string | Uint8Array): Uint8Array {
  return typeof rawBody === 'string' ? Buffer.from(rawBody, 'utf8') : rawBody;
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/** Parses the body as a JSON object. A leading BOM is tolerated (RFC 8259 allows ignoring it). */
function parseJsonObject(bytes: Uint8Array): Record<string, unknown> {
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    throw new InvalidJsonError('The body is not valid UTF-8.');
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new InvalidJsonError('The body is not valid JSON.');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidJsonError('The body must be a JSON object.');
  }
  return value as Record<string, unknown>;
}

async function sealReporter(
  tipId: string,
  reporter: ReporterOfTip,
  vault: ReporterVault,
): Promise<SealedReporter> {
  if (reporter.anonymous) return { anonymous: true };
  let sealed: string;
  try {
    sealed = await vault.seal(tipId, reporter.identity);
  } catch (error) {
    throw withCause(new UnavailableError(), error);
  }
  return {
    anonymous: false,
    confidential: reporter.confidential,
    ...(reporter.wantsFeedback === undefined ? {} : { wantsFeedback: reporter.wantsFeedback }),
    sealed,
  };
}

export async function acceptTip(request: IntakeRequest, deps: IntakeDeps): Promise<IntakeResult> {
  const source = request.source;
  if (!isSource(source))
    throw new UnknownSourceError('Unknown source; expected 12336, 12345 or city-management.');

  checkContentType(request.contentType ?? headerValue(request.headers, 'content-type'));

  const bytes = toBytes(request.rawBody);
  if (bytes.byteLength > MAX_BODY_BYTES) {
    throw new PayloadTooLargeError(`The body must be at most ${MAX_BODY_BYTES} bytes.`);
  }

  const now = deps.clock.now();
  let secrets: readonly string[];
  try {
    secrets = await deps.secrets(source);
  } catch (error) {
    throw withCause(new UnavailableError(), error);
  }
  // A source without a secret is a deployment fault, not the sender's: answer "retry later".
  if (secrets.length === 0) throw new UnavailableError();
  verifyWebhook({ headers: request.headers, rawBody: bytes, secrets, now });

  return queueTip(source, parseJsonObject(bytes), now, deps);
}

async function queueTip<S extends Source>(
  name: S,
  body: Record<string, unknown>,
  now: Date,
  deps: IntakeDeps,
): Promise<IntakeResult> {
  const source = SOURCE_MODULES[name];
  if (source.unsupportedEvents?.matches(body)) {
    throw new UnsupportedEventError(source.unsupportedEvents.message);
  }
  const parsed = parseSourceBody(source, body, deps.clock);
  if (!parsed.success) {
    throw new ValidationError(
      'The body does not match the source format.',
      zodIssuesToDetails(parsed.issues),
    );
  }

  const tipId = deriveTipId(name, source.externalId(parsed.data));
  const reporter = await sealReporter(tipId, source.reporterOf(parsed.data), deps.vault);
  const tip = normalizeTip(source, parsed.data, { acceptedAt: now, reporter, tipId });

  try {
    await deps.queue.enqueue(tip);
  } catch (error) {
    throw withCause(new DependencyFailedError(), error);
  }
  return { tipId: tip.tipId, status: 'queued' };
}
