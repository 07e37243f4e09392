/**
 * The local run's configuration (contract section 6), apart from start.ts so that it can be tested
 * without starting anything.
 */
import { z } from 'zod';
import { jsonVar } from '../../shared/config/env.js';
import { apiTokensSchema } from '../../shared/http/auth.js';
import {
  DEFAULT_DATA_DIR,
  DEFAULT_FEEDBACK_RELAY_INTERVAL_S,
  DEFAULT_PORT,
  DEFAULT_SWEEP_INTERVAL_S,
  DEV_API_TOKENS,
  DEV_CURSOR_KEY,
  DEV_SOURCE_SECRETS,
} from './dev-defaults.js';

const secretList = z
  .string()
  .trim()
  .regex(
    /^whsec_[A-Za-z0-9+/=]+( +whsec_[A-Za-z0-9+/=]+)*$/,
    'must be one or more whsec_<base64> separated by spaces',
  );

export { apiTokensSchema, MIN_TOKEN_CHARS } from '../../shared/http/auth.js';

export const LocalEnv = z.object({
  PORT: z.coerce.number().int().min(0).max(65_535).default(DEFAULT_PORT),
  DATA_DIR: z.string().trim().min(1).default(DEFAULT_DATA_DIR),
  SOURCE_SECRET_12336: secretList.default(DEV_SOURCE_SECRETS['12336']),
  SOURCE_SECRET_12345: secretList.default(DEV_SOURCE_SECRETS['12345']),
  SOURCE_SECRET_CITY_MANAGEMENT: secretList.default(DEV_SOURCE_SECRETS['city-management']),
  API_TOKENS: jsonVar(apiTokensSchema).default(DEV_API_TOKENS),
  CURSOR_KEY: z.string().min(32, 'must be at least 32 characters').default(DEV_CURSOR_KEY),
  SWEEP_INTERVAL_S: z.coerce.number().int().min(1).default(DEFAULT_SWEEP_INTERVAL_S),
  /**
   * Local run only: start the functions' clock at this instant (ISO 8601 with an offset) and let it
   * run on from there, to try the system on a chosen day (a Monday 00:30, the eve of 春节 …).
   */
  LOCAL_NOW: z.iso
    .datetime({ offset: true })
    .transform((value) => new Date(value))
    .optional(),
  /** Contract 9: seconds between the feedback relay's runs (the cloud's runs every minute). */
  FEEDBACK_RELAY_INTERVAL_S: z.coerce.number().min(0.1).max(3600).default(DEFAULT_FEEDBACK_RELAY_INTERVAL_S),
});

export type LocalEnvValues = z.infer<typeof LocalEnv>;
