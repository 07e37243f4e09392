/**
 * Chooses the ReporterVault for this environment once per cold start: the KMS keyring when
 * REPORTER_KEY_ARN is set (the cloud), else the raw AES keyring from REPORTER_KEY_FILE (a local
 * run). Both write the same `v2.` envelope format.
 */
import { z } from 'zod';
import { parseEnv } from '../config/env.js';
import type { ReporterVault } from '../ports/index.js';
import { EnvelopeReporterVault, kmsKeyring, localAesKeyring } from './envelope-reporter-vault.js';

const vaultConfig = z
  .object({
    REPORTER_KEY_ARN: z.string().trim().min(1).optional(),
    REPORTER_KEY_FILE: z.string().trim().min(1).optional(),
  })
  .refine((config) => config.REPORTER_KEY_ARN || config.REPORTER_KEY_FILE, {
    message: 'set REPORTER_KEY_ARN (KMS key, cloud) or REPORTER_KEY_FILE (local key file)',
    path: ['REPORTER_KEY_ARN'],
  });

export function createReporterVault(env: NodeJS.ProcessEnv = process.env): ReporterVault {
  const config = parseEnv(vaultConfig, env);
  if (config.REPORTER_KEY_ARN) return new EnvelopeReporterVault(kmsKeyring(config.REPORTER_KEY_ARN));
  return new EnvelopeReporterVault(localAesKeyring(config.REPORTER_KEY_FILE as string));
}
