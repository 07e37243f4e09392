/**
 * Per-environment settings of the cloud deployment. Plain data, so that a reviewer can see every
 * knob of an environment in one place and the stacks never branch on the environment's name: they
 * branch on what the data says (the partition, the SMS channel, whether it is production).
 *
 * Nothing personal lives here: officers' phone numbers and e-mail addresses are kept in the table
 * (`npm run contacts`), the operations subscribers in Parameter Store, handed to the synth as
 * context (docs/operations.md). SMS signatures and template ids are not secrets and are configured
 * here; the providers' credentials are in Secrets Manager.
 */
import { AREA_IDS, DISTRICT_IDS, PARTNER_DEPARTMENTS } from '../shared/domain/model.js';

/** Notification targets as the notifier names them (contract section 5): one SNS topic each. */
export type NotificationTarget =
  | `bureau:${string}`
  | `partner:${string}`
  | `town:${string}`
  | `leader:${string}`
  | 'brigade'
  | 'leadership'
  | 'superior';

/** `aws-cn` for the China regions (cn-north-1 Beijing, cn-northwest-1 Ningxia), else `aws`. */
export type Partition = 'aws' | 'aws-cn';

export const partitionOf = (region: string): Partition => (region.startsWith('cn-') ? 'aws-cn' : 'aws');

/**
 * How officers get SMS:
 * - `sns`: Amazon SNS straight to each number (global regions only). The account leaves the SMS
 *   sandbox and raises its spend limit by a support case; `monthlySpendLimitUsd` is then set as the
 *   account's limit (and alarmed at 80 %), SMS are Transactional, delivery status is logged.
 * - `aliyun` / `tencent`: a licensed domestic provider with a registered signature and approved
 *   templates (ids per template key of shared/domain/sms-templates.ts); credentials in the secret
 *   `landline-<env>/sms/<channel>`. Receipts are checked every 5 minutes.
 * - `none`: no SMS (e-mail and the topics only).
 */
export type SmsSettings =
  | { readonly channel: 'none' }
  | { readonly channel: 'sns'; readonly monthlySpendLimitUsd: number; readonly senderId?: string }
  | {
      readonly channel: 'aliyun';
      /** Without 【】, as registered (e.g. 常熟国土). */
      readonly signName: string;
      readonly templateIds: Readonly<Record<string, string>>;
      /** Longest variable the templates were approved with (default 35). */
      readonly maxVariableChars?: number;
    }
  | {
      readonly channel: 'tencent';
      readonly signName: string;
      /** The SMS application (SmsSdkAppId, 1400…). */
      readonly sdkAppId: string;
      /** The API region the application lives in: ap-guangzhou, ap-beijing or ap-nanjing. */
      readonly apiRegion: string;
      readonly templateIds: Readonly<Record<string, string>>;
      /** Tencent allows 6 characters per variable unless a longer one was approved: say which. */
      readonly maxVariableChars: number;
    };

/**
 * How notification e-mail reaches people: `topics` (SNS e-mail subscriptions of each target's
 * topic, managed by `npm run contacts`), `ses` (global regions; a verified sender) or `smtp` (a
 * relay such as the city's mail system; its account in the secret `landline-<env>/smtp`).
 */
export type EmailSettings =
  | { readonly channel: 'topics' }
  | { readonly channel: 'ses'; readonly from: string; readonly configurationSet?: string }
  | {
      readonly channel: 'smtp';
      readonly from: string;
      readonly host: string;
      readonly port: number;
      readonly security: 'tls' | 'starttls';
    };

export interface AlarmSettings {
  /** A function alarms when errors exceed this share of its invocations … */
  readonly errorRatePercent: number;
  /** … in `datapointsToAlarm` of `evaluationPeriods` one-minute periods (M of N). */
  readonly datapointsToAlarm: number;
  readonly evaluationPeriods: number;
  /** The sweeper alarms after this many minutes without a successful sweep (missing data counts). */
  readonly sweepSilenceMinutes: number;
  /** More SMS than this in an hour alarms (a loop, or spend running away); all channels. */
  readonly smsPerHour: number;
}

export interface EnvConfig {
  readonly envName: string;
  /** Where the stacks deploy; `cn-…` regions are the `aws-cn` partition. */
  readonly region: string;
  /** Fixed only where an environment must never deploy elsewhere; else the credentials' account. */
  readonly account?: string;
  /**
   * Production: the synth fails without operations subscribers (someone must receive the alarms)
   * and without SMS templates for a domestic channel; stacks have termination protection.
   */
  readonly production: boolean;
  readonly logLevel: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
  /** Retention of every function's and the API's log group, in days. */
  readonly logRetentionDays: 30 | 90 | 180 | 365;
  /** Default-stage throttling of the HTTP API, for all routes together. */
  readonly apiThrottle: { readonly rateLimit: number; readonly burstLimit: number };
  /** A main queue whose oldest message is older than this raises an alarm. */
  readonly oldestMessageAlarmSeconds: number;
  readonly sms: SmsSettings;
  readonly email: EmailSettings;
  /**
   * Concurrency kept for intake and the case API whatever the queues do (and their ceiling). The
   * account's unreserved concurrency must stay at least 100 after these: a new account (limit 10)
   * must raise its limit first. Absent: nothing reserved.
   */
  readonly reservedConcurrency?: { readonly intake: number; readonly api: number };
  /** At most this many notifier instances per bureau queue (2 … 1000), so a backlog cannot starve intake. */
  readonly notifyMaxConcurrency: number;
  readonly alarms: AlarmSettings;
}

export const NOTIFICATION_TARGETS: readonly NotificationTarget[] = [
  ...AREA_IDS.map((area) => `bureau:${area}` as const),
  ...PARTNER_DEPARTMENTS.map((department) => `partner:${department}` as const),
  ...AREA_IDS.map((area) => `town:${area}` as const),
  ...DISTRICT_IDS.map((district) => `leader:${district}` as const),
  'brigade',
  // Sections 7-8: the bureau's leadership (局领导) and the city inspection detachment (监察支队).
  'leadership',
  'superior',
];

/** The region of the global environments: SNS sends SMS from here, SES sends e-mail. */
export const GLOBAL_REGION = 'ap-southeast-1';
/** The China region (Beijing, operated by Sinnet); cn-northwest-1 (Ningxia, NWCD) works the same. */
export const CHINA_REGION = 'cn-north-1';

const base = {
  region: GLOBAL_REGION,
  production: false,
  logLevel: 'INFO',
  logRetentionDays: 30,
  apiThrottle: { rateLimit: 50, burstLimit: 100 },
  oldestMessageAlarmSeconds: 300,
  sms: { channel: 'none' },
  email: { channel: 'topics' },
  notifyMaxConcurrency: 2,
  alarms: {
    errorRatePercent: 5,
    datapointsToAlarm: 3,
    evaluationPeriods: 5,
    sweepSilenceMinutes: 10,
    smsPerHour: 200,
  },
} as const satisfies Omit<EnvConfig, 'envName'>;

export const ENV_CONFIGS: Readonly<Record<string, EnvConfig>> = {
  // dev deploys into a fresh account too: nothing reserved, no SMS.
  dev: { ...base, envName: 'dev', logLevel: 'DEBUG' },
  staging: {
    ...base,
    envName: 'staging',
    sms: { channel: 'sns', monthlySpendLimitUsd: 10 },
    reservedConcurrency: { intake: 10, api: 10 },
  },
  prod: {
    ...base,
    envName: 'prod',
    production: true,
    logRetentionDays: 365,
    apiThrottle: { rateLimit: 100, burstLimit: 200 },
    sms: { channel: 'sns', monthlySpendLimitUsd: 100 },
    reservedConcurrency: { intake: 20, api: 20 },
    notifyMaxConcurrency: 5,
  },
  // 常熟市's deployment in the China regions: SMS through Alibaba Cloud under the bureau's signature,
  // e-mail through the SNS topics. The template ids are filled in once the templates are approved
  // (docs/operations.md lists them); the production synth refuses to run without them.
  'prod-cn': {
    ...base,
    envName: 'prod-cn',
    region: CHINA_REGION,
    production: true,
    logRetentionDays: 365,
    apiThrottle: { rateLimit: 100, burstLimit: 200 },
    sms: { channel: 'aliyun', signName: '常熟国土', templateIds: {} },
    reservedConcurrency: { intake: 20, api: 20 },
    notifyMaxConcurrency: 5,
  },
};

/** The configuration of `envName`; an unknown name is a mistake, not a reason to guess. */
export function loadConfig(envName: string): EnvConfig {
  const config = ENV_CONFIGS[envName];
  if (!config) {
    throw new Error(`Unknown environment "${envName}"; known: ${Object.keys(ENV_CONFIGS).join(', ')}`);
  }
  return config;
}

/**
 * Who receives the alarms: `-c operationsSubscribers=<list>` at synth, the list kept in Parameter
 * Store (`/landline/<env>/operations-subscribers`) and read by the operator's deploy command, so no
 * address is ever in the repository or in cdk.context.json. Entries separated by commas or spaces:
 * e-mail addresses, and (global regions only, SNS SMS) phone numbers in E.164.
 */
export interface OperationsSubscribers {
  readonly emails: readonly string[];
  readonly phones: readonly string[];
}

export function parseOperationsSubscribers(text: string | undefined): OperationsSubscribers {
  const entries = (text ?? '')
    .split(/[\s,;]+/)
    .map((entry) => entry.trim())
    .filter(Boolean);
  const emails: string[] = [];
  const phones: string[] = [];
  for (const entry of entries) {
    if (/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(entry)) emails.push(entry);
    else if (/^\+[1-9]\d{6,14}$/.test(entry)) phones.push(entry);
    else
      throw new Error(`operationsSubscribers: "${entry}" is neither an e-mail address nor an E.164 number`);
  }
  return { emails, phones };
}

/**
 * What the synth refuses for an environment (with these operations subscribers): production
 * without anyone to alarm, SMS to phones where SNS sends none, a domestic channel without templates.
 */
export function configProblems(config: EnvConfig, subscribers: OperationsSubscribers): string[] {
  const problems: string[] = [];
  const partition = partitionOf(config.region);
  if (config.production && subscribers.emails.length + subscribers.phones.length === 0) {
    problems.push(
      `${config.envName} is production and has no operations subscribers: pass -c operationsSubscribers="$(aws ssm get-parameter --name /landline/${config.envName}/operations-subscribers --query Parameter.Value --output text)"`,
    );
  }
  if (partition === 'aws-cn' && subscribers.phones.length > 0) {
    problems.push('SNS sends no SMS in the China regions: operations subscribers there are e-mail addresses');
  }
  if (partition === 'aws-cn' && config.sms.channel === 'sns') {
    problems.push('SNS sends no SMS in the China regions: use the aliyun or tencent SMS channel');
  }
  if (partition === 'aws-cn' && config.email.channel === 'ses') {
    problems.push('SES is not offered in the China regions: use the topics or smtp e-mail channel');
  }
  if (
    config.production &&
    (config.sms.channel === 'aliyun' || config.sms.channel === 'tencent') &&
    Object.keys(config.sms.templateIds).length === 0
  ) {
    problems.push(
      `${config.envName} sends SMS through ${config.sms.channel} but has no template ids: register the templates (docs/operations.md) and put their ids in infra/config.ts`,
    );
  }
  return problems;
}
