/**
 * SMS through Tencent Cloud SMS (腾讯云短信, `tencentcloud-sdk-nodejs-sms`, API 2021-01-11):
 * SendSms with the application (SmsSdkAppId), the registered signature (SignName), the approved
 * template (TemplateId) and its variables in order (TemplateParamSet); our reference travels as
 * SessionContext and comes back with the receipt. Receipts are pulled with PullSmsSendStatus
 * (each receipt is handed out once; enable 拉取状态回执 in the console), ReportStatus SUCCESS/FAIL.
 *
 * The SDK is imported on first use (left out of the notify bundle, installed beside it only for a
 * deployment whose channel is `tencent`), one client per credentials.
 */
import type { SmsChannel, SmsMessage, SmsReceipt, SmsSendResult } from '../../ports/sms.js';
import type { CredentialSource } from './credentials.js';
import { templateIdOf } from './templates.js';

export const TENCENT_CREDENTIAL_FIELDS = ['secretId', 'secretKey'] as const;
export const TENCENT_DEFAULT_ENDPOINT = 'sms.tencentcloudapi.com';
/** Receipts pulled per call (the API's maximum) and calls per check at most. */
const PULL_LIMIT = 100;
const MAX_PULLS = 10;

/** Codes about this one message (number, content, that number's daily limit): recorded failed, not retried. */
const MESSAGE_REJECTIONS = [
  /^InvalidParameterValue\.(IncorrectPhoneNumber|TemplateParameterLengthLimit|TemplateParameterFormatError|ProhibitedUseUrlInTemplateParameter|ContentLengthLimit)$/,
  /^FailedOperation\.(PhoneNumberInBlacklist|PhoneNumberParseFail|ContainSensitiveWord|TemplateParamSetNotMatchApprovedTemplate)$/,
  /^LimitExceeded\.(PhoneNumberDailyLimit|PhoneNumberSameContentDailyLimit)$/,
  /^UnsupportedOperation\.UnsupportedRegion$/,
];

export class TencentSmsError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(`Tencent Cloud SMS answered ${code}: ${message}`);
    this.name = 'TencentSmsError';
  }
}

interface SendStatus {
  SerialNo?: string;
  PhoneNumber?: string;
  SessionContext?: string;
  Code?: string;
  Message?: string;
}
interface PulledStatus {
  SerialNo?: string;
  SessionContext?: string;
  ReportStatus?: string;
  Description?: string;
  UserReceiveTime?: number;
}

/** The part of the SDK's client used here. */
export interface TencentClient {
  SendSms(request: Record<string, unknown>): Promise<{ SendStatusSet?: SendStatus[] }>;
  PullSmsSendStatus(request: Record<string, unknown>): Promise<{ PullSmsSendStatusSet?: PulledStatus[] }>;
}

export type TencentClientFactory = (config: {
  credential: { secretId: string; secretKey: string };
  region: string;
  profile: { httpProfile: { endpoint: string; protocol: string } };
}) => TencentClient;

export async function loadTencentSdk(): Promise<TencentClientFactory> {
  const module = (await import('tencentcloud-sdk-nodejs-sms')) as unknown as Record<string, unknown>;
  const root = (module.sms ? module : (module.default as Record<string, unknown>)) as {
    sms: { v20210111: { Client: new (config: unknown) => TencentClient } };
  };
  const Client = root.sms.v20210111.Client;
  return (config) => new Client(config);
}

export interface TencentSmsConfig {
  readonly signName: string;
  readonly sdkAppId: string;
  /** The API region (ap-guangzhou, ap-beijing or ap-nanjing): where the application was created. */
  readonly region: string;
  readonly templateIds: Readonly<Record<string, string>>;
  readonly credentials: CredentialSource;
  readonly endpoint?: string;
  /** `https://` always in the cloud; tests point the SDK at a local `http://` endpoint. */
  readonly protocol?: 'https://' | 'http://';
}

export function tencentSmsChannel(
  config: TencentSmsConfig,
  load: () => Promise<TencentClientFactory> = loadTencentSdk,
): SmsChannel {
  let factory: Promise<TencentClientFactory> | undefined;
  let current: { secretId: string; client: TencentClient } | undefined;
  const connect = async (): Promise<TencentClient> => {
    factory ??= load().catch((error: unknown) => {
      factory = undefined;
      throw error;
    });
    const make = await factory;
    const { secretId, secretKey } = (await config.credentials()) as Record<
      (typeof TENCENT_CREDENTIAL_FIELDS)[number],
      string
    >;
    if (current?.secretId !== secretId) {
      current = {
        secretId,
        client: make({
          credential: { secretId, secretKey },
          region: config.region,
          profile: {
            httpProfile: {
              endpoint: config.endpoint ?? TENCENT_DEFAULT_ENDPOINT,
              protocol: config.protocol ?? 'https://',
            },
          },
        }),
      };
    }
    return current.client;
  };

  return {
    name: 'tencent',

    async send(message: SmsMessage): Promise<SmsSendResult> {
      const templateId = templateIdOf(config.templateIds, message.template);
      const client = await connect();
      let status: SendStatus | undefined;
      try {
        const response = await client.SendSms({
          PhoneNumberSet: [message.phone],
          SmsSdkAppId: config.sdkAppId,
          SignName: config.signName,
          TemplateId: templateId,
          TemplateParamSet: message.variables.map((v) => v.value),
          SessionContext: message.reference,
        });
        status = response.SendStatusSet?.[0];
      } catch (error) {
        // A request-level refusal (parameters of this message) comes back as an exception with a code.
        const code = (error as { code?: string }).code;
        if (code && MESSAGE_REJECTIONS.some((pattern) => pattern.test(code))) {
          return { status: 'rejected', code, detail: (error as Error).message };
        }
        throw error;
      }
      const code = status?.Code ?? 'unknown';
      if (code === 'Ok')
        return { status: 'accepted', ...(status?.SerialNo ? { providerMessageId: status.SerialNo } : {}) };
      if (MESSAGE_REJECTIONS.some((pattern) => pattern.test(code))) {
        return { status: 'rejected', code, detail: status?.Message ?? code };
      }
      throw new TencentSmsError(code, status?.Message ?? '');
    },

    async fetchReceipts(): Promise<SmsReceipt[]> {
      const client = await connect();
      const receipts: SmsReceipt[] = [];
      for (let pull = 0; pull < MAX_PULLS; pull++) {
        const response = await client.PullSmsSendStatus({ Limit: PULL_LIMIT, SmsSdkAppId: config.sdkAppId });
        const set = response.PullSmsSendStatusSet ?? [];
        for (const status of set) {
          receipts.push({
            ...(status.SessionContext ? { reference: status.SessionContext } : {}),
            ...(status.SerialNo ? { providerMessageId: status.SerialNo } : {}),
            status: status.ReportStatus === 'SUCCESS' ? 'delivered' : 'failed',
            ...(status.ReportStatus !== 'SUCCESS' && status.Description ? { code: status.Description } : {}),
            ...(status.UserReceiveTime ? { at: new Date(status.UserReceiveTime * 1000).toISOString() } : {}),
          });
        }
        if (set.length < PULL_LIMIT) break;
      }
      return receipts;
    },
  };
}
