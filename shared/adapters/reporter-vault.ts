/**
 * Chooses the ReporterVault for this environment once per cold start: the key-file vault on a
 * local run. The cloud's KMS envelope vault plugs in here behind the same port.
 */
import { z } from 'zod';
import { parseEnv } from '../config/env.js';
import type { ReporterVault } from '../ports/index.js';
import { LocalReporterVault } from './local-reporter-vault.js';

const vaultConfig = z.object({
  REPORTER_KEY_FILE: z.string().trim().min(1, 'is required (path of the local reporter key file)'),
});

export function createReporterVault(env: NodeJS.ProcessEnv = process.env): ReporterVault {
  const config = parseEnv(vaultConfig, env);
  return new LocalReporterVault(config.REPORTER_KEY_FILE);
}
