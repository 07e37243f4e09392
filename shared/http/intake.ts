/**
 * `POST /v1/tips/{source}` (contract section 2), the transport half: which source, media type, body
 * size, the Standard Webhooks signature and the JSON, then the acceptTip use case. The checks run
 * cheapest and most general first, and every 4xx is decided before anything is queued.
 */
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { withCause } from '../domain/errors.js';
import { isSource, SOURCES, type Source } from '../domain/model.js';
import { type AcceptedTip, type AcceptTipDeps, acceptTip } from '../usecases/accept-tip.js';
import { UnavailableError } from '../usecases/errors.js';
import {
  InvalidJsonError,
  PayloadTooLargeError,
  UnknownSourceError,
  UnsupportedMediaTypeError,
} from './errors.js';
import { jsonResponse } from './json-response.js';
import { headerValue, verifyWebhook } from './webhook.js';

export const MAX_BODY_BYTES = 256 * 1024;

/** The secrets valid for a source right now (several during a rotation); may be fetched. */
export type WebhookSecrets = (source: Source) => readonly string[] | Promise<readonly string[]>;

export interface IntakeDeps extends AcceptTipDeps {
  secrets: WebhookSecrets;
}

/** A delivery as it arrived: the source from the path, the headers and the body's raw bytes. */
export interface TipDelivery {
  source: string;
  headers: Record<string, string | undefined>;
  rawBody: string | Uint8Array;
}

const KNOWN_SOURCES = SOURCES.join('、');

/** The Lambda face of intake: 202 with the tip id, or an error for the error handler to map. */
export async function handleIntake(
  event: APIGatewayProxyEventV2,
  deps: IntakeDeps,
): Promise<APIGatewayProxyStructuredResultV2> {
  const rawBody = Buffer.from(event.body ?? '', event.isBase64Encoded ? 'base64' : 'utf8');
  const accepted = await acceptTipDelivery(
    { source: event.pathParameters?.source ?? '', headers: event.headers ?? {}, rawBody },
    deps,
  );
  return jsonResponse(202, accepted);
}

export async function acceptTipDelivery(delivery: TipDelivery, deps: IntakeDeps): Promise<AcceptedTip> {
  const source = delivery.source;
  if (!isSource(source)) throw new UnknownSourceError(`未知来源，应为${KNOWN_SOURCES}之一。`);

  checkContentType(headerValue(delivery.headers, 'content-type'));

  const bytes = toBytes(delivery.rawBody);
  if (bytes.byteLength > MAX_BODY_BYTES) {
    throw new PayloadTooLargeError(`请求内容不得超过${MAX_BODY_BYTES}字节。`);
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
  const verified = verifyWebhook({ headers: delivery.headers, rawBody: bytes, secrets, now });

  return acceptTip({ source, body: parseJsonObject(bytes), webhookId: verified.id }, deps);
}

function checkContentType(contentType: string | undefined): void {
  const [mediaType = '', ...parameters] = (contentType ?? '').split(';');
  if (mediaType.trim().toLowerCase() !== 'application/json') {
    throw new UnsupportedMediaTypeError('Content-Type须为application/json。');
  }
  for (const parameter of parameters) {
    const [name = '', value = ''] = parameter.split('=');
    if (name.trim().toLowerCase() !== 'charset') continue;
    const charset = value.trim().replace(/^"|"$/g, '').toLowerCase();
    if (charset !== 'utf-8' && charset !== 'utf8') {
      throw new UnsupportedMediaTypeError('请求内容须为UTF-8编码（charset=utf-8）。');
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
    throw new InvalidJsonError('请求内容不是有效的UTF-8编码。');
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new InvalidJsonError('请求内容不是有效的JSON。');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidJsonError('请求内容须为JSON对象。');
  }
  return value as Record<string, unknown>;
}
