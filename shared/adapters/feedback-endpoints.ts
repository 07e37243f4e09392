/**
 * Each source's feedback endpoint (contract 9), from one of two places per source:
 *
 * - cloud: `FEEDBACK_ENDPOINT_ARN_<SOURCE>` names a Secrets Manager secret whose value is JSON
 *   `{"url": "https://…", "secret": "whsec_… [whsec_…]"}` (several secrets separated by spaces
 *   during a rotation: each request then carries a signature by each). Until the operator stores a
 *   URL (the generated placeholder has none), the source gets no deliveries. Cached 5 minutes.
 * - local run and tests: `FEEDBACK_URL_<SOURCE>` (unset: no deliveries) and
 *   `FEEDBACK_SECRET_<SOURCE>`, checked at cold start.
 */
import { z } from 'zod';
import { ConfigError, parseEnv } from '../config/env.js';
import {
  feedbackEndpointArnVariable,
  feedbackSecretVariable,
  feedbackUrlVariable,
} from '../config/feedback-variables.js';
import { SOURCES, type Source } from '../domain/model.js';
import { parseSecretList } from '../domain/webhook-secrets.js';
import { logger } from '../observability.js';
import type { FeedbackEndpoint, FeedbackEndpoints } from '../ports/feedback.js';
import type { SecretValueFetcher } from './source-secrets.js';

export const FEEDBACK_ENDPOINT_MAX_AGE_SECONDS = 300;

const optionalText = z
  .string()
  .trim()
  .optional()
  .transform((value) => (value ? value : undefined));

const httpUrl = (value: string) => {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
};

const envSchema = z
  .object(
    Object.fromEntries(
      SOURCES.flatMap((source) => [
        [feedbackUrlVariable(source), optionalText],
        [feedbackSecretVariable(source), optionalText],
        [feedbackEndpointArnVariable(source), optionalText],
      ]),
    ),
  )
  .superRefine((env, ctx) => {
    for (const source of SOURCES) {
      const url = env[feedbackUrlVariable(source)];
      if (env[feedbackEndpointArnVariable(source)] || url === undefined) continue;
      if (!httpUrl(url)) {
        ctx.addIssue({
          code: 'custom',
          path: [feedbackUrlVariable(source)],
          message: 'must be an http(s) URL',
        });
      }
      const secret = env[feedbackSecretVariable(source)];
      if (secret === undefined) {
        ctx.addIssue({
          code: 'custom',
          path: [feedbackSecretVariable(source)],
          message: `is required when ${feedbackUrlVariable(source)} is set`,
        });
        continue;
      }
      try {
        parseSecretList(secret);
      } catch (error) {
        ctx.addIssue({
          code: 'custom',
          path: [feedbackSecretVariable(source)],
          message: (error as Error).message,
        });
      }
    }
  });

const storedEndpointSchema = z.object({ url: z.string().optional(), secret: z.string().optional() });

export function createFeedbackEndpoints(
  env: NodeJS.ProcessEnv = process.env,
  fetcher?: SecretValueFetcher,
): FeedbackEndpoints {
  const config = parseEnv(envSchema, env) as Record<string, string | undefined>;
  const fixed = new Map<Source, FeedbackEndpoint | undefined>();
  const arns = new Map<Source, string>();
  for (const source of SOURCES) {
    const arn = config[feedbackEndpointArnVariable(source)];
    if (arn) {
      arns.set(source, arn);
      continue;
    }
    const url = config[feedbackUrlVariable(source)];
    fixed.set(
      source,
      url ? { url, secrets: parseSecretList(config[feedbackSecretVariable(source)] ?? '') } : undefined,
    );
  }
  let provider = fetcher;

  return async (source) => {
    if (fixed.has(source)) return fixed.get(source);
    const arn = arns.get(source);
    if (!arn) throw new ConfigError(`No feedback endpoint is configured for source ${source}`);
    provider ??= new (await import('@aws-lambda-powertools/parameters/secrets')).SecretsProvider();
    // A fetch failure propagates: the message is retried.
    const value = await provider.get(arn, { maxAge: FEEDBACK_ENDPOINT_MAX_AGE_SECONDS });
    const text = typeof value === 'string' ? value : value ? Buffer.from(value).toString('utf8') : '';
    let stored: z.infer<typeof storedEndpointSchema>;
    try {
      stored = storedEndpointSchema.parse(JSON.parse(text));
    } catch {
      // The generated placeholder is not JSON: no endpoint yet.
      return undefined;
    }
    if (!stored.url) return undefined;
    try {
      if (!httpUrl(stored.url)) throw new Error('the url is not an http(s) URL');
      return { url: stored.url, secrets: parseSecretList(stored.secret ?? '') };
    } catch (error) {
      // Never the value itself: it may hold the secret.
      logger.error('The feedback endpoint secret is malformed; the source gets no deliveries until fixed', {
        source,
        reason: (error as Error).message,
      });
      return undefined;
    }
  };
}
