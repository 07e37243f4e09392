/**
 * One signed Standard Webhooks request to a source's feedback endpoint: `webhook-id`,
 * `webhook-timestamp`, `webhook-signature` (`v1,<base64 HMAC-SHA256>` over `id.timestamp.body`, one
 * per secret during a rotation), signed with node:crypto exactly as the `standardwebhooks` package
 * signs (the unit tests verify with it). Redirects are not followed (a 3xx is a failed attempt),
 * the answer's body is not read, and every failure is reported, never thrown.
 */
import { createHmac } from 'node:crypto';
import { type AttemptResult, parseRetryAfter } from '../domain/feedback.js';
import { decodeWebhookSecret } from '../domain/webhook-secrets.js';
import type { WebhookTransport } from '../ports/feedback.js';

export function signFeedback(secrets: readonly string[], webhookId: string, at: Date, body: string): string {
  const timestamp = Math.floor(at.getTime() / 1000);
  return secrets
    .map(
      (secret) =>
        `v1,${createHmac('sha256', decodeWebhookSecret(secret)).update(`${webhookId}.${timestamp}.${body}`, 'utf8').digest('base64')}`,
    )
    .join(' ');
}

/** Why no answer came, in a few words (never the URL, which may carry a token). */
function failureOf(error: unknown): string {
  const name = (error as { name?: string }).name;
  if (name === 'TimeoutError' || name === 'AbortError') return 'timeout';
  const code = (error as { cause?: { code?: string } }).cause?.code;
  if (code === 'ECONNREFUSED') return 'connection_refused';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'dns';
  if (code === 'ECONNRESET') return 'connection_reset';
  return code ? `network_${code.toLowerCase()}` : 'network';
}

export const fetchWebhookTransport: WebhookTransport = {
  async deliver({ endpoint, webhookId, body, timeoutMs }): Promise<AttemptResult> {
    const started = performance.now();
    // The wall clock, as for any request signature: the receiver checks it against its own.
    const at = new Date();
    try {
      const response = await fetch(endpoint.url, {
        method: 'POST',
        redirect: 'manual',
        signal: AbortSignal.timeout(timeoutMs),
        headers: {
          'content-type': 'application/json',
          'user-agent': 'landline-feedback/1',
          'webhook-id': webhookId,
          'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
          'webhook-signature': signFeedback(endpoint.secrets, webhookId, at, body),
        },
        body,
      });
      // The answer's body is not ours to read; let the connection go.
      await response.body?.cancel().catch(() => {});
      const retryAfterS = parseRetryAfter(response.headers.get('retry-after'), new Date());
      return {
        responseCode: response.status,
        latencyMs: performance.now() - started,
        ...(retryAfterS !== undefined ? { retryAfterS } : {}),
      };
    } catch (error) {
      return { error: failureOf(error), latencyMs: performance.now() - started };
    }
  },
};
