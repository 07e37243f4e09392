/**
 * Development-only defaults of the local run (contract section 6), shared by `npm start` and
 * `npm run demo` so that the demo signs with the secrets the stack verifies. Never use in the cloud.
 */
import { sourceSecretVariable } from '../../shared/config/source-secret-names.js';
import {
  AREA_IDS,
  DISTRICT_IDS,
  PARTNER_DEPARTMENTS,
  SOURCES,
  type Source,
} from '../../shared/domain/model.js';

export const DEFAULT_PORT = 3000;
export const DEFAULT_DATA_DIR = '.local';
export const DEFAULT_SWEEP_INTERVAL_S = 60;

const devSecret = (source: Source) =>
  `whsec_${Buffer.from(`landline-development-only-secret-${source}`, 'utf8').toString('base64')}`;

export const DEV_SOURCE_SECRETS: Record<Source, string> = {
  '12336': devSecret('12336'),
  '12345': devSecret('12345'),
  'city-management': devSecret('city-management'),
};

const devFeedbackSecret = (source: Source) =>
  `whsec_${Buffer.from(`landline-development-only-feedback-secret-${source}`, 'utf8').toString('base64')}`;

/** Each source's feedback secret (FEEDBACK_SECRET_<SOURCE>, contract 9), derived like the intake ones. */
export const DEV_FEEDBACK_SECRETS: Record<Source, string> = {
  '12336': devFeedbackSecret('12336'),
  '12345': devFeedbackSecret('12345'),
  'city-management': devFeedbackSecret('city-management'),
};

/**
 * `npm start`'s development default of FEEDBACK_URL_<SOURCE>: the receiver `npm run demo` starts on
 * the port after the stack's. Tests set their own (or none: no deliveries).
 */
export const devFeedbackUrl = (source: Source, stackPort: number): string =>
  `http://127.0.0.1:${stackPort + 1}/feedback/${source}`;

/** Seconds between the local feedback relay's runs (the cloud's runs every minute). */
export const DEFAULT_FEEDBACK_RELAY_INTERVAL_S = 2;

/** The env variable that holds each source's secret (WIRING.md). */
export const SOURCE_SECRET_VARS = Object.fromEntries(
  SOURCES.map((source) => [source, sourceSecretVariable(source)]),
) as Record<Source, string>;

export const DEV_BRIGADE_TOKEN = 'dev-brigade';

/** token → principal, one per principal of contract section 1. */
export const DEV_API_TOKENS: Record<string, string> = {
  [DEV_BRIGADE_TOKEN]: 'brigade',
  ...Object.fromEntries(AREA_IDS.map((area) => [`dev-bureau-${area}`, `bureau:${area}`])),
  ...Object.fromEntries(PARTNER_DEPARTMENTS.map((dept) => [`dev-partner-${dept}`, `partner:${dept}`])),
  ...Object.fromEntries(DISTRICT_IDS.map((district) => [`dev-leader-${district}`, `leader:${district}`])),
  ...Object.fromEntries(SOURCES.map((source) => [`dev-source-${source}`, `source:${source}`])),
};

/** Signs the local run's page cursors (CURSOR_KEY); the cloud's key is a generated secret. */
export const DEV_CURSOR_KEY = 'landline-development-only-cursor-key-0123456789';
