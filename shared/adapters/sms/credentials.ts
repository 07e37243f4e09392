/**
 * A provider's credentials, a JSON object of strings, from one of two places:
 * - cloud: `SMS_SECRET_ARN` names a Secrets Manager secret (created empty by the stack, filled by
 *   an operator, docs/operations.md); fetched on first use and cached SMS_SECRET_MAX_AGE_SECONDS,
 *   so a rotated key is picked up within that time. Only the ARN is in the function's configuration.
 * - local run and tests: the JSON itself, in `SMS_CREDENTIALS`.
 * The value is never logged; a missing or malformed one is an error naming the fields it lacks.
 */
import type { SecretValueFetcher } from '../source-secrets.js';

export const SMS_SECRET_MAX_AGE_SECONDS = 300;

export class SmsCredentialsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SmsCredentialsError';
  }
}

export type CredentialSource = () => Promise<Readonly<Record<string, string>>>;

function parseCredentials(text: string, fields: readonly string[]): Readonly<Record<string, string>> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new SmsCredentialsError(`The SMS credentials are not a JSON object with ${fields.join(', ')}`);
  }
  const record = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
  const missing = fields.filter((field) => typeof record[field] !== 'string' || record[field] === '');
  if (missing.length > 0) {
    throw new SmsCredentialsError(`The SMS credentials lack ${missing.join(', ')}`);
  }
  return Object.fromEntries(fields.map((field) => [field, record[field] as string]));
}

export function smsCredentials(
  source: { secretArn?: string; json?: string },
  fields: readonly string[],
  fetcher?: SecretValueFetcher,
): CredentialSource {
  if (source.json !== undefined) {
    const fixed = parseCredentials(source.json, fields);
    return async () => fixed;
  }
  const arn = source.secretArn;
  if (!arn) throw new SmsCredentialsError('set SMS_SECRET_ARN (cloud) or SMS_CREDENTIALS (local run)');
  let provider = fetcher;
  return async () => {
    provider ??= new (await import('@aws-lambda-powertools/parameters/secrets')).SecretsProvider();
    const value = await provider.get(arn, { maxAge: SMS_SECRET_MAX_AGE_SECONDS });
    const text = typeof value === 'string' ? value : value ? Buffer.from(value).toString('utf8') : '';
    return parseCredentials(text, fields);
  };
}
