/**
 * The form of a source's Standard Webhooks secret, `whsec_<base64>`, and of the configured list a
 * rotation needs (several secrets valid at once). The intake adapter reads the list and the
 * signature check decodes each secret; both follow the rules here.
 */

const SECRET_PREFIX = 'whsec_';
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** The HMAC key of a `whsec_<base64>` secret (a bare base64 value is accepted as well). */
export function decodeWebhookSecret(secret: string): Buffer {
  const encoded = secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret;
  if (!BASE64.test(encoded) || encoded.length % 4 !== 0) {
    throw new Error('a webhook secret is not of the form whsec_<base64>');
  }
  return Buffer.from(encoded, 'base64');
}

/**
 * Splits a configured secret value into its secrets: rotation lists several `whsec_` values
 * separated by spaces or commas. Throws (without echoing the value) when one is malformed.
 */
export function parseSecretList(value: string): string[] {
  const secrets = value.split(/[\s,]+/).filter((secret) => secret.length > 0);
  for (const secret of secrets) {
    if (!secret.startsWith(SECRET_PREFIX)) throw new Error('a webhook secret must start with whsec_');
    if (decodeWebhookSecret(secret).length === 0) throw new Error('a webhook secret must not be empty');
  }
  return secrets;
}
