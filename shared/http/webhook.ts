/**
 * Standard Webhooks verification (contract section 2) on the raw request bytes.
 *
 * The `standardwebhooks` package reads `Date.now()` for its tolerance check and turns a Buffer body
 * into a string before signing, which changes bytes that are not valid UTF-8. So the signature is
 * computed here over the raw bytes with node:crypto (same HMAC-SHA256 and `v1,<base64>` form;
 * the unit tests sign with the package to prove the two agree) and the tolerance is checked
 * against the injected time.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { decodeWebhookSecret } from '../domain/webhook-secrets.js';
import { UnauthenticatedError } from './errors.js';

export const WEBHOOK_TOLERANCE_SECONDS = 300;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const MAX_WEBHOOK_ID_LENGTH = 256;
const UNIX_SECONDS = /^[0-9]{1,12}$/;

/**
 * The three headers as the API document describes them. verifyWebhook checks them one by one (each
 * failure has its own message) against the same limits.
 */
export const webhookHeadersSchema = z.object({
  'webhook-id': z
    .string()
    .max(MAX_WEBHOOK_ID_LENGTH)
    .describe('Unique id of this delivery (Standard Webhooks). A retry of the same tip may use a new id.'),
  'webhook-timestamp': z
    .string()
    .regex(UNIX_SECONDS)
    .describe(
      `Unix seconds when the delivery was signed; rejected when more than ${WEBHOOK_TOLERANCE_SECONDS} s from the server time.`,
    ),
  'webhook-signature': z
    .string()
    .describe(
      'Space-separated list of `v1,<base64 HMAC-SHA256>` over `{webhook-id}.{webhook-timestamp}.{raw body}`, keyed with the base64-decoded part of the source secret `whsec_<base64>`. Any one valid signature is enough (secret rotation).',
    ),
});

export interface WebhookRequest {
  headers: Record<string, string | undefined>;
  rawBody: Uint8Array;
  /** Every secret currently valid for the source (more than one during a rotation). */
  secrets: readonly string[];
  now: Date;
}

export interface VerifiedWebhook {
  id: string;
  /** Unix seconds from `webhook-timestamp`. */
  timestamp: number;
}

export function headerValue(headers: Record<string, string | undefined>, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === wanted && value !== undefined) return value;
  }
  return undefined;
}

function signatureCandidates(header: string): Buffer[] {
  const candidates: Buffer[] = [];
  for (const entry of header.trim().split(/\s+/)) {
    const comma = entry.indexOf(',');
    if (comma < 0) continue;
    // Other versions (e.g. v1a, asymmetric) are not used by the sources; the spec says skip them.
    if (entry.slice(0, comma) !== 'v1') continue;
    const encoded = entry.slice(comma + 1);
    if (!BASE64.test(encoded)) continue;
    candidates.push(Buffer.from(encoded, 'base64'));
  }
  return candidates;
}

function expectedSignature(key: Buffer, id: string, timestamp: string, rawBody: Uint8Array): Buffer {
  return createHmac('sha256', key).update(`${id}.${timestamp}.`, 'utf8').update(rawBody).digest();
}

/** Throws UnauthenticatedError unless one signature in the header matches one of the secrets. */
export function verifyWebhook(request: WebhookRequest): VerifiedWebhook {
  const id = headerValue(request.headers, 'webhook-id');
  const timestampText = headerValue(request.headers, 'webhook-timestamp');
  const signatureHeader = headerValue(request.headers, 'webhook-signature');
  const missing = [
    ['webhook-id', id],
    ['webhook-timestamp', timestampText],
    ['webhook-signature', signatureHeader],
  ]
    .filter(([, value]) => value === undefined || value.trim() === '')
    .map(([name]) => name);
  if (
    missing.length > 0 ||
    id === undefined ||
    timestampText === undefined ||
    signatureHeader === undefined
  ) {
    throw new UnauthenticatedError(`缺少Standard Webhooks请求头：${missing.join('、')}。`);
  }
  if (id.length > MAX_WEBHOOK_ID_LENGTH) {
    throw new UnauthenticatedError(`webhook-id不得超过${MAX_WEBHOOK_ID_LENGTH}个字符。`);
  }
  if (!UNIX_SECONDS.test(timestampText)) {
    throw new UnauthenticatedError('webhook-timestamp须为以秒计的Unix时间整数。');
  }
  const timestamp = Number(timestampText);
  const nowSeconds = Math.floor(request.now.getTime() / 1000);
  if (Math.abs(nowSeconds - timestamp) > WEBHOOK_TOLERANCE_SECONDS) {
    throw new UnauthenticatedError(
      `webhook-timestamp与服务器时间相差超过${WEBHOOK_TOLERANCE_SECONDS}秒；请在每次发送时签名。`,
    );
  }
  const candidates = signatureCandidates(signatureHeader);
  if (candidates.length === 0) {
    throw new UnauthenticatedError('webhook-signature须为以空格分隔的v1,<base64>签名列表。');
  }
  let matched = false;
  for (const secret of request.secrets) {
    const expected = expectedSignature(decodeWebhookSecret(secret), id, timestampText, request.rawBody);
    for (const candidate of candidates) {
      // No early exit: the time taken does not tell which secret or signature matched.
      if (candidate.length === expected.length && timingSafeEqual(candidate, expected)) matched = true;
    }
  }
  if (!matched) {
    throw new UnauthenticatedError(
      'webhook-signature中没有与该来源相符的签名：请检查密钥，并确认对原始请求内容原样签名。',
    );
  }
  return { id, timestamp };
}
