/**
 * Per-environment settings of the cloud deployment. Plain data, so that a reviewer can see every
 * knob of an environment in one place and the stacks never branch on the environment's name.
 */
import { AREA_IDS, type NotificationKind, PARTNER_DEPARTMENTS } from '../shared/domain/model.js';

/**
 * Who receives the messages of one SNS topic. Phone numbers in E.164 (`+86…`). The notifier sends
 * each protocol its own body (SMS the short text, e-mail the full one), so no raw delivery is
 * needed; `smsKinds` narrows what reaches phones with a filter policy on the `kind` message
 * attribute (e.g. only `assignment` and `escalation`), e-mail always gets everything. The
 * operations topic carries CloudWatch alarms, which have no `kind`: no filter applies there.
 */
export interface Subscribers {
  readonly emails: readonly string[];
  readonly phones: readonly string[];
  readonly smsKinds?: readonly NotificationKind[];
}

/** Notification targets as the notifier names them (contract section 5), plus the alarm topic. */
export type NotificationTarget = `bureau:${string}` | `partner:${string}` | `town:${string}` | 'brigade';
export type SubscriptionTarget = NotificationTarget | 'operations';

export interface EnvConfig {
  readonly envName: string;
  readonly logLevel: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
  /** Retention of every function's and the API's log group, in days. */
  readonly logRetentionDays: 30 | 90 | 180 | 365;
  /** Default-stage throttling of the HTTP API, for all routes together. */
  readonly apiThrottle: { readonly rateLimit: number; readonly burstLimit: number };
  /** A main queue whose oldest message is older than this raises an alarm. */
  readonly oldestMessageAlarmSeconds: number;
  /** Subscribers per topic; a target left out has a topic without subscribers. */
  readonly subscriptions: Readonly<Partial<Record<SubscriptionTarget, Subscribers>>>;
}

export const NOTIFICATION_TARGETS: readonly NotificationTarget[] = [
  ...AREA_IDS.map((area) => `bureau:${area}` as const),
  ...PARTNER_DEPARTMENTS.map((department) => `partner:${department}` as const),
  ...AREA_IDS.map((area) => `town:${area}` as const),
  'brigade',
];

const base = {
  logLevel: 'INFO',
  logRetentionDays: 30,
  apiThrottle: { rateLimit: 50, burstLimit: 100 },
  oldestMessageAlarmSeconds: 300,
  subscriptions: {},
} as const satisfies Omit<EnvConfig, 'envName'>;

export const ENV_CONFIGS: Readonly<Record<string, EnvConfig>> = {
  dev: { ...base, envName: 'dev', logLevel: 'DEBUG' },
  staging: { ...base, envName: 'staging' },
  // Production subscribers are filled in by the operators (addresses are personal data, so they
  // are added per deployment, not invented here).
  prod: { ...base, envName: 'prod', logRetentionDays: 365, apiThrottle: { rateLimit: 100, burstLimit: 200 } },
};

/** The configuration of `envName`; an unknown name is a mistake, not a reason to guess. */
export function loadConfig(envName: string): EnvConfig {
  const config = ENV_CONFIGS[envName];
  if (!config) {
    throw new Error(`Unknown environment "${envName}"; known: ${Object.keys(ENV_CONFIGS).join(', ')}`);
  }
  return config;
}
