/**
 * SMS through Alibaba Cloud SMS (阿里云短信服务, `@alicloud/dysmsapi20170525`): SendSms with the
 * registered signature (SignName), the approved template (TemplateCode) and its variables as JSON
 * (TemplateParam); our reference travels as OutId. Receipts are read back with QuerySendDetails
 * (SendStatus 1 waiting, 2 failed, 3 delivered), which needs the number, the send date and BizId.
 *
 * The SDK is imported on first use (the notify bundle leaves it out: it is installed beside the
 * bundle only for a deployment whose channel is `aliyun`), and a client is made per credentials, so
 * a rotated AccessKey is used as soon as the secret's cache gives it.
 */
import { nationalNumber } from '../../domain/contacts.js';
import type { PendingSms, SmsChannel, SmsMessage, SmsReceipt, SmsSendResult } from '../../ports/sms.js';
import type { CredentialSource } from './credentials.js';
import { templateIdOf } from './templates.js';

export const ALIYUN_CREDENTIAL_FIELDS = ['accessKeyId', 'accessKeySecret'] as const;
export const ALIYUN_DEFAULT_ENDPOINT = 'dysmsapi.aliyuncs.com';

/** Codes about this one message (number, content): retrying would not help, so it is recorded failed. */
const MESSAGE_REJECTIONS = new Set([
  'isv.MOBILE_NUMBER_ILLEGAL',
  'isv.BLACK_KEY_CONTROL_LIMIT',
  'isv.PARAM_LENGTH_LIMIT',
  'isv.PARAM_NOT_SUPPORT_URL',
  'isv.INVALID_JSON_PARAM',
  'isv.TEMPLATE_MISSING_PARAMETERS',
  'isv.TEMPLATE_PARAMS_ILLEGAL',
  'isv.DAY_LIMIT_CONTROL',
  'isv.DOMESTIC_NUMBER_NOT_SUPPORTED',
  'isv.MOBILE_IN_BLACK',
]);

export class AliyunSmsError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(`Alibaba Cloud SMS answered ${code}: ${message}`);
    this.name = 'AliyunSmsError';
  }
}

interface SendSmsBody {
  code?: string;
  message?: string;
  bizId?: string;
}
interface SendDetail {
  outId?: string;
  sendStatus?: number;
  errCode?: string;
  receiveDate?: string;
}
interface QueryBody {
  code?: string;
  message?: string;
  smsSendDetailDTOs?: { smsSendDetailDTO?: SendDetail[] };
}

/** The part of the SDK used here; tests give the real one a local endpoint. */
export interface AliyunClient {
  sendSms(request: unknown): Promise<{ body?: SendSmsBody }>;
  querySendDetails(request: unknown): Promise<{ body?: QueryBody }>;
}

export interface AliyunSdk {
  client(config: {
    accessKeyId: string;
    accessKeySecret: string;
    endpoint: string;
    protocol: string;
  }): AliyunClient;
  sendSmsRequest(fields: Record<string, unknown>): unknown;
  querySendDetailsRequest(fields: Record<string, unknown>): unknown;
}

/**
 * An export of a CommonJS package seen from an ES module: on the namespace, or under `default`
 * (Node gives module.exports as `default`; TypeScript output puts the default export there again).
 */
function exportOf(module: unknown, name: string): unknown {
  const layers: unknown[] = [module];
  for (let i = 0; i < 2; i++) {
    const last = layers[layers.length - 1] as Record<string, unknown> | undefined;
    if (last && (typeof last === 'object' || typeof last === 'function') && 'default' in last)
      layers.push(last.default);
  }
  if (name === 'default')
    return layers
      .slice(1)
      .reverse()
      .find((layer) => typeof layer === 'function');
  for (const layer of layers) {
    const value = (layer as Record<string, unknown> | undefined)?.[name];
    if (value !== undefined) return value;
  }
  return undefined;
}

export async function loadAliyunSdk(): Promise<AliyunSdk> {
  const [dysms, openapi] = await Promise.all([
    import('@alicloud/dysmsapi20170525'),
    import('@alicloud/openapi-client'),
  ]);
  type Ctor<T = unknown> = new (fields: Record<string, unknown>) => T;
  const Client = exportOf(dysms, 'default') as Ctor<AliyunClient>;
  const Config = exportOf(openapi, 'Config') as Ctor;
  const SendSmsRequest = exportOf(dysms, 'SendSmsRequest') as Ctor;
  const QuerySendDetailsRequest = exportOf(dysms, 'QuerySendDetailsRequest') as Ctor;
  return {
    client: (config) => new Client(new Config({ ...config }) as Record<string, unknown>),
    sendSmsRequest: (fields) => new SendSmsRequest(fields),
    querySendDetailsRequest: (fields) => new QuerySendDetailsRequest(fields),
  };
}

export interface AliyunSmsConfig {
  /** The registered signature, without 【】 (e.g. 常熟国土). */
  readonly signName: string;
  readonly templateIds: Readonly<Record<string, string>>;
  readonly credentials: CredentialSource;
  readonly endpoint?: string;
  /** `https` always in the cloud; tests point the SDK at a local `http` endpoint. */
  readonly protocol?: 'https' | 'http';
}

/** What Alibaba Cloud takes as a number: 11 digits for the mainland, else digits with country code. */
const aliyunNumber = (phone: string) =>
  phone.startsWith('+86') ? nationalNumber(phone) : phone.replace(/^\+/, '');

/** `yyyyMMdd` of an instant in Asia/Shanghai (QuerySendDetails' SendDate). */
const shanghaiDate = (iso: string) =>
  new Date(Date.parse(iso) + 8 * 3600_000).toISOString().slice(0, 10).replace(/-/g, '');

/** `2026-11-28 09:15:02` (Asia/Shanghai) → ISO. */
const fromShanghai = (text: string | undefined): string | undefined =>
  text && /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(text)
    ? new Date(`${text.replace(' ', 'T')}+08:00`).toISOString()
    : undefined;

export function aliyunSmsChannel(
  config: AliyunSmsConfig,
  load: () => Promise<AliyunSdk> = loadAliyunSdk,
): SmsChannel {
  let sdk: Promise<AliyunSdk> | undefined;
  let current: { accessKeyId: string; client: AliyunClient } | undefined;
  const connect = async (): Promise<{ sdk: AliyunSdk; client: AliyunClient }> => {
    sdk ??= load().catch((error: unknown) => {
      sdk = undefined;
      throw error;
    });
    const loaded = await sdk;
    const { accessKeyId, accessKeySecret } = (await config.credentials()) as Record<
      (typeof ALIYUN_CREDENTIAL_FIELDS)[number],
      string
    >;
    if (current?.accessKeyId !== accessKeyId) {
      current = {
        accessKeyId,
        client: loaded.client({
          accessKeyId,
          accessKeySecret,
          endpoint: config.endpoint ?? ALIYUN_DEFAULT_ENDPOINT,
          protocol: config.protocol ?? 'https',
        }),
      };
    }
    return { sdk: loaded, client: current.client };
  };

  return {
    name: 'aliyun',

    async send(message: SmsMessage): Promise<SmsSendResult> {
      const templateCode = templateIdOf(config.templateIds, message.template);
      const { sdk: loaded, client } = await connect();
      const response = await client.sendSms(
        loaded.sendSmsRequest({
          phoneNumbers: aliyunNumber(message.phone),
          signName: config.signName,
          templateCode,
          templateParam: JSON.stringify(Object.fromEntries(message.variables.map((v) => [v.name, v.value]))),
          outId: message.reference,
        }),
      );
      const body = response.body ?? {};
      if (body.code === 'OK')
        return { status: 'accepted', ...(body.bizId ? { providerMessageId: body.bizId } : {}) };
      const code = body.code ?? 'unknown';
      if (MESSAGE_REJECTIONS.has(code)) return { status: 'rejected', code, detail: body.message ?? code };
      // The account, signature, template or balance: fixed once for every message, which wait meanwhile.
      throw new AliyunSmsError(code, body.message ?? '');
    },

    async fetchReceipts(pending: readonly PendingSms[]): Promise<SmsReceipt[]> {
      const { sdk: loaded, client } = await connect();
      const receipts: SmsReceipt[] = [];
      for (const sms of pending) {
        if (!sms.providerMessageId) continue;
        const response = await client.querySendDetails(
          loaded.querySendDetailsRequest({
            phoneNumber: aliyunNumber(sms.phone),
            bizId: sms.providerMessageId,
            sendDate: shanghaiDate(sms.sentAt),
            pageSize: 10,
            currentPage: 1,
          }),
        );
        const body = response.body ?? {};
        if (body.code !== 'OK') throw new AliyunSmsError(body.code ?? 'unknown', body.message ?? '');
        const details = body.smsSendDetailDTOs?.smsSendDetailDTO ?? [];
        const detail = details.find((d) => d.outId === sms.reference) ?? details[0];
        if (!detail || (detail.sendStatus !== 2 && detail.sendStatus !== 3)) continue;
        const at = fromShanghai(detail.receiveDate);
        receipts.push({
          reference: sms.reference,
          providerMessageId: sms.providerMessageId,
          status: detail.sendStatus === 3 ? 'delivered' : 'failed',
          ...(detail.errCode && detail.sendStatus === 2 ? { code: detail.errCode } : {}),
          ...(at ? { at } : {}),
        });
      }
      return receipts;
    },
  };
}
