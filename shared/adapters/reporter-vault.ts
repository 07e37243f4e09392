/**
 * Chooses the ReporterVault for this environment once per cold start: data keys from KMS when
 * REPORTER_KEY_ARN is set (the cloud), else from the raw AES key in REPORTER_KEY_FILE (a local
 * run). Both seal the same `v3.` format.
 */
import { z } from 'zod';
import { parseEnv } from '../config/env.js';
import type { ReporterVault } from '../ports/index.js';
import {
  EnvelopeReporterVault,
  kmsDataKeys,
  type LegacyOpener,
  localFileDataKeys,
  type ReporterKeyConfig,
} from './envelope-reporter-vault.js';

const vaultConfig = z
  .object({
    REPORTER_KEY_ARN: z.string().trim().min(1).optional(),
    REPORTER_KEY_FILE: z.string().trim().min(1).optional(),
  })
  .refine((config) => config.REPORTER_KEY_ARN || config.REPORTER_KEY_FILE, {
    message: 'set REPORTER_KEY_ARN (KMS key, cloud) or REPORTER_KEY_FILE (local key file)',
    path: ['REPORTER_KEY_ARN'],
  });

/** Opens the values of a retired format with the same key; see `encryptionSdkV2`. */
export type LegacyFormat = (key: ReporterKeyConfig) => LegacyOpener;

/**
 * `v2.` values, sealed by the AWS Encryption SDK before `v3.`: the SDK is loaded on the first such
 * value, so a function that only seals (intake) never carries it, and one that opens (the case
 * API) evaluates it only if old data is read.
 */
export const encryptionSdkV2: LegacyFormat = (key) => async (tipId, body) =>
  (await import('./esdk-reporter-v2.js')).openV2(key, tipId, body);

export function createReporterVault(
  env: NodeJS.ProcessEnv = process.env,
  legacy?: { v2: LegacyFormat },
): ReporterVault {
  const config = parseEnv(vaultConfig, env);
  const key: ReporterKeyConfig = config.REPORTER_KEY_ARN
    ? { keyArn: config.REPORTER_KEY_ARN }
    : { keyFile: config.REPORTER_KEY_FILE as string };
  const keys = 'keyArn' in key ? kmsDataKeys(key.keyArn) : localFileDataKeys(key.keyFile);
  return new EnvelopeReporterVault(keys, legacy ? { openV2: legacy.v2(key) } : {});
}
