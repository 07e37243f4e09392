/**
 * The Standard Webhooks secrets each source may sign with, from one of two places per source:
 *
 * - cloud: `SOURCE_SECRET_ARN_<SOURCE>` names a Secrets Manager secret. Its current value
 *   (AWSCURRENT) is a list of `whsec_…` secrets separated by spaces, exactly like the local
 *   variable, so a rotation is "store `old new`, let the source switch, store `new`": both are
 *   accepted in between. One value rather than AWSCURRENT + AWSPENDING because the rotation is
 *   driven by a person and an outside system, not a rotation Lambda, and the value alone then
 *   says which secrets are accepted right now.
 *   Values are cached for SOURCE_SECRETS_MAX_AGE_SECONDS per execution environment, so a change
 *   takes effect everywhere within that time.
 * - local run and tests: `SOURCE_SECRET_<SOURCE>` holds the list itself, checked at cold start.
 */
import { z } from 'zod';
import { ConfigError, parseEnv } from '../config/env.js';
import { sourceSecretArnVariable, sourceSecretVariable } from '../config/source-secret-names.js';
import { SOURCES, type Source } from '../domain/model.js';
import { parseSecretList } from '../domain/webhook-secrets.js';
import { logger } from '../observability.js';

/** How long a fetched secret value is reused before Secrets Manager is asked again. */
export const SOURCE_SECRETS_MAX_AGE_SECONDS = 300;

/** The secrets valid for a source right now; an empty list means "not configured" (answer 503). */
export type SourceSecrets = (source: Source) => Promise<readonly string[]>;

/** The part of Powertools' SecretsProvider used here; tests pass a fake. */
export interface SecretValueFetcher {
  get(name: string, options: { maxAge: number }): Promise<string | Uint8Array | undefined>;
}

const optionalText = z
  .string()
  .trim()
  .optional()
  .transform((value) => (value ? value : undefined));

const envSchema = z
  .object(
    Object.fromEntries(
      SOURCES.flatMap((source) => [
        [sourceSecretVariable(source), optionalText],
        [sourceSecretArnVariable(source), optionalText],
      ]),
    ),
  )
  .superRefine((env, ctx) => {
    for (const source of SOURCES) {
      const value = env[sourceSecretVariable(source)];
      if (env[sourceSecretArnVariable(source)]) continue;
      if (value === undefined) {
        ctx.addIssue({
          code: 'custom',
          path: [sourceSecretVariable(source)],
          message: `is required (or ${sourceSecretArnVariable(source)})`,
        });
        continue;
      }
      try {
        parseSecretList(value);
      } catch (error) {
        ctx.addIssue({
          code: 'custom',
          path: [sourceSecretVariable(source)],
          message: (error as Error).message,
        });
      }
    }
  });

/**
 * Reads the environment once (a ConfigError names every missing or malformed variable) and
 * returns the lookup. `fetcher` is created only when some source is configured by ARN.
 */
export function createSourceSecrets(
  env: NodeJS.ProcessEnv = process.env,
  fetcher?: SecretValueFetcher,
): SourceSecrets {
  const config = parseEnv(envSchema, env) as Record<string, string | undefined>;
  const fixed = new Map<Source, readonly string[]>();
  const arns = new Map<Source, string>();
  for (const source of SOURCES) {
    const arn = config[sourceSecretArnVariable(source)];
    if (arn) arns.set(source, arn);
    else fixed.set(source, parseSecretList(config[sourceSecretVariable(source)] ?? ''));
  }
  let provider = fetcher;

  return async (source) => {
    const known = fixed.get(source);
    if (known) return known;
    const arn = arns.get(source);
    if (!arn) throw new ConfigError(`No secret is configured for source ${source}`);
    // Loaded on first use: a local run, which has the secrets in its environment, never loads it.
    provider ??= new (await import('@aws-lambda-powertools/parameters/secrets')).SecretsProvider();
    // A fetch failure propagates: the caller answers 503 and the source retries.
    const value = await provider.get(arn, { maxAge: SOURCE_SECRETS_MAX_AGE_SECONDS });
    const text = typeof value === 'string' ? value : value ? Buffer.from(value).toString('utf8') : '';
    try {
      return parseSecretList(text);
    } catch (error) {
      // Still the generated placeholder, or a typo: no request can be verified, so none is
      // accepted; the value itself is never logged.
      logger.error('The source secret does not hold a whsec_ list', {
        source,
        reason: (error as Error).message,
      });
      return [];
    }
  };
}
