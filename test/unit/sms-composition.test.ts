/**
 * The SMS and e-mail channels from a function's environment: chosen per deployment, built without
 * calling anything, and refused at cold start with every bad variable named.
 */
import { describe, expect, it } from 'vitest';
import { buildNotifier } from '../../shared/composition/notify.js';
import { buildReceiptChecker } from '../../shared/composition/receipts.js';
import { emailFromEnv, smsFromEnv } from '../../shared/composition/sms.js';
import { ConfigError } from '../../shared/config/env.js';

const ALIYUN = {
  SMS_CHANNEL: 'aliyun',
  SMS_SIGN_NAME: '常熟国土',
  SMS_TEMPLATE_IDS: JSON.stringify({ assignment: 'SMS_1', escalation_general: 'SMS_2' }),
  SMS_SECRET_ARN: 'arn:aws-cn:secretsmanager:cn-north-1:123456789012:secret:landline-prod-cn/sms/aliyun',
};

describe('the SMS channel of an environment', () => {
  it('is none unless one is configured', () => {
    expect(smsFromEnv({})).toBeUndefined();
    expect(smsFromEnv({ SMS_CHANNEL: '' })).toBeUndefined();
    expect(smsFromEnv({ SMS_CHANNEL: 'none' })).toBeUndefined();
  });

  it('builds each provider, with its limits and the templates it has ids for', () => {
    const aliyun = smsFromEnv(ALIYUN)!;
    expect(aliyun.channel.name).toBe('aliyun');
    expect(aliyun.receipts).toBe(true);
    expect(aliyun.limits.maxVariableChars).toBe(35);
    expect(aliyun.limits.hasTemplate?.('assignment')).toBe(true);
    expect(aliyun.limits.hasTemplate?.('reminder')).toBe(false);
    const tencent = smsFromEnv({
      ...ALIYUN,
      SMS_CHANNEL: 'tencent',
      SMS_SDK_APP_ID: '1400000001',
      SMS_MAX_VARIABLE_CHARS: '20',
    })!;
    expect(tencent.channel.name).toBe('tencent');
    expect(tencent.limits.maxVariableChars).toBe(20);
    const sns = smsFromEnv({ SMS_CHANNEL: 'sns' })!;
    expect(sns).toMatchObject({ receipts: false, channel: { name: 'sns' } });
    expect(smsFromEnv({ SMS_CHANNEL: 'fake', SMS_FAKE_FILE: '/tmp/sms.jsonl' })?.channel.name).toBe('fake');
  });

  it('refuses a configuration that cannot send, naming every variable', () => {
    expect(() => smsFromEnv({ SMS_CHANNEL: 'aliyun' })).toThrow(ConfigError);
    expect(() => smsFromEnv({ SMS_CHANNEL: 'aliyun' })).toThrow(/SMS_SIGN_NAME[\s\S]*SMS_TEMPLATE_IDS/);
    expect(() => smsFromEnv({ ...ALIYUN, SMS_SECRET_ARN: '' })).toThrow(
      /SMS_SECRET_ARN: is required \(or SMS_CREDENTIALS\)/,
    );
    expect(() => smsFromEnv({ ...ALIYUN, SMS_TEMPLATE_IDS: '{"asignment":"SMS_1"}' })).toThrow(
      /Unknown SMS template key\(s\): asignment/,
    );
    // Tencent's limit depends on what was approved: it must be said.
    expect(() => smsFromEnv({ ...ALIYUN, SMS_CHANNEL: 'tencent', SMS_SDK_APP_ID: '1' })).toThrow(
      /SMS_MAX_VARIABLE_CHARS/,
    );
    expect(() => smsFromEnv({ SMS_CHANNEL: 'carrier-pigeon' })).toThrow(/SMS_CHANNEL/);
  });
});

describe('the e-mail channel of an environment', () => {
  it('is the topics unless SES or an SMTP relay is configured', () => {
    expect(emailFromEnv({})).toBeUndefined();
    expect(emailFromEnv({ EMAIL_CHANNEL: 'ses', EMAIL_FROM: 'landline@example.gov.cn' })?.name).toBe('ses');
    expect(
      emailFromEnv({
        EMAIL_CHANNEL: 'smtp',
        EMAIL_FROM: 'landline@example.gov.cn',
        SMTP_HOST: 'mail.example.gov.cn',
      })?.name,
    ).toBe('smtp');
    expect(() => emailFromEnv({ EMAIL_CHANNEL: 'smtp', EMAIL_FROM: 'nobody' })).toThrow(
      /EMAIL_FROM[\s\S]*SMTP_HOST/,
    );
  });
});

describe('the functions around SMS', () => {
  const notifyEnv = { TABLE_NAME: 'landline-test', NOTIFY_MODE: 'outbox', OUTBOX_FILE: '/tmp/outbox.jsonl' };

  it('build the notifier with a channel, and the receipt check only for a channel with receipts', () => {
    expect(buildNotifier({ ...notifyEnv, ...ALIYUN }).notifyMessage).toBeTypeOf('function');
    expect(() => buildNotifier({ ...notifyEnv, SMS_CHANNEL: 'aliyun' })).toThrow(ConfigError);
    expect(buildReceiptChecker({ TABLE_NAME: 'landline-test', ...ALIYUN }).check).toBeTypeOf('function');
    expect(() => buildReceiptChecker({ TABLE_NAME: 'landline-test', SMS_CHANNEL: 'sns' })).toThrow(
      /offers no receipts/,
    );
  });
});
