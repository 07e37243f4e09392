/**
 * The SMS and e-mail channels of a function, from its environment (set by LandlineFunction's
 * bindSms/bindEmail in the cloud, by the local run for its fake provider), parsed once at cold
 * start: a wrong or missing variable fails the function before its first message, naming it.
 *
 *   SMS_CHANNEL        none (default) | sns | aliyun | tencent | fake
 *   SMS_SIGN_NAME      the registered signature without 【】 (aliyun, tencent, fake)
 *   SMS_TEMPLATE_IDS   JSON: template key → provider template id (aliyun, tencent; keys of
 *                      shared/domain/sms-templates.ts)
 *   SMS_SECRET_ARN     Secrets Manager secret with the provider's credentials (cloud), or
 *   SMS_CREDENTIALS    the credentials' JSON itself (local run, tests)
 *   SMS_MAX_VARIABLE_CHARS  the provider's longest variable (aliyun default 35; tencent required)
 *   SMS_ENDPOINT       the provider's API endpoint URL, where not the default (tests)
 *   SMS_REGION, SMS_SDK_APP_ID   Tencent Cloud's API region and SMS application
 *   SMS_SENDER_ID      SNS sender id, where the destination supports one
 *   SMS_FAKE_FILE      where the fake provider writes (local run)
 *   EMAIL_CHANNEL      topics (default: SNS topics / the outbox) | ses | smtp
 *   EMAIL_FROM, SES_CONFIGURATION_SET, SMTP_HOST, SMTP_PORT, SMTP_SECURITY,
 *   SMTP_SECRET_ARN | SMTP_CREDENTIALS
 */
import { z } from 'zod';
import { snsClient } from '../adapters/clients/sns.js';
import { sesEmailChannel } from '../adapters/email/ses.js';
import { SMTP_CREDENTIAL_FIELDS, smtpEmailChannel } from '../adapters/email/smtp.js';
import { ALIYUN_CREDENTIAL_FIELDS, aliyunSmsChannel } from '../adapters/sms/aliyun.js';
import { smsCredentials } from '../adapters/sms/credentials.js';
import { fakeSmsChannel } from '../adapters/sms/fake.js';
import { snsSmsChannel } from '../adapters/sms/sns.js';
import { checkTemplateIds } from '../adapters/sms/templates.js';
import { TENCENT_CREDENTIAL_FIELDS, tencentSmsChannel } from '../adapters/sms/tencent.js';
import { jsonVar, nonEmpty, parseEnv } from '../config/env.js';
import type { SmsLimits } from '../domain/sms-templates.js';
import type { EmailChannel, SmsChannel } from '../ports/sms.js';

export const ALIYUN_MAX_VARIABLE_CHARS = 35;
/** SNS sends the whole text: no variable to limit. */
const UNLIMITED = Number.MAX_SAFE_INTEGER;

const optional = z
  .string()
  .trim()
  .optional()
  .transform((value) => (value ? value : undefined));
const templateIds = jsonVar(z.record(z.string(), nonEmpty)).transform((ids, ctx) => {
  try {
    return checkTemplateIds(ids);
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: (error as Error).message });
    return z.NEVER;
  }
});
const maxChars = z.coerce.number().int().min(1).max(500);
const credentialsSource = {
  SMS_SECRET_ARN: optional,
  SMS_CREDENTIALS: optional,
};
const needsCredentials = (
  env: { SMS_SECRET_ARN?: string; SMS_CREDENTIALS?: string },
  ctx: { addIssue(issue: { code: 'custom'; path: string[]; message: string }): void },
) => {
  if (!env.SMS_SECRET_ARN && !env.SMS_CREDENTIALS) {
    ctx.addIssue({ code: 'custom', path: ['SMS_SECRET_ARN'], message: 'is required (or SMS_CREDENTIALS)' });
  }
};

export const smsEnvironment = z.discriminatedUnion('SMS_CHANNEL', [
  z.object({ SMS_CHANNEL: z.literal('none') }),
  z.object({ SMS_CHANNEL: z.literal('sns'), SMS_SENDER_ID: optional }),
  z
    .object({
      SMS_CHANNEL: z.literal('aliyun'),
      SMS_SIGN_NAME: nonEmpty,
      SMS_TEMPLATE_IDS: templateIds,
      SMS_MAX_VARIABLE_CHARS: maxChars.default(ALIYUN_MAX_VARIABLE_CHARS),
      SMS_ENDPOINT: z.url().optional(),
      ...credentialsSource,
    })
    .superRefine(needsCredentials),
  z
    .object({
      SMS_CHANNEL: z.literal('tencent'),
      SMS_SIGN_NAME: nonEmpty,
      SMS_TEMPLATE_IDS: templateIds,
      SMS_MAX_VARIABLE_CHARS: maxChars,
      SMS_SDK_APP_ID: nonEmpty,
      SMS_REGION: nonEmpty.default('ap-guangzhou'),
      SMS_ENDPOINT: z.url().optional(),
      ...credentialsSource,
    })
    .superRefine(needsCredentials),
  z.object({
    SMS_CHANNEL: z.literal('fake'),
    SMS_SIGN_NAME: nonEmpty.default('常熟国土'),
    SMS_MAX_VARIABLE_CHARS: maxChars.default(ALIYUN_MAX_VARIABLE_CHARS),
    SMS_FAKE_FILE: nonEmpty,
  }),
]);

export const emailEnvironment = z.discriminatedUnion('EMAIL_CHANNEL', [
  z.object({ EMAIL_CHANNEL: z.literal('topics') }),
  z.object({ EMAIL_CHANNEL: z.literal('ses'), EMAIL_FROM: z.email(), SES_CONFIGURATION_SET: optional }),
  z.object({
    EMAIL_CHANNEL: z.literal('smtp'),
    EMAIL_FROM: z.email(),
    SMTP_HOST: nonEmpty,
    SMTP_PORT: z.coerce.number().int().min(1).max(65535).default(465),
    SMTP_SECURITY: z.enum(['tls', 'starttls']).default('tls'),
    SMTP_SECRET_ARN: optional,
    SMTP_CREDENTIALS: optional,
  }),
]);

export interface SmsWiring {
  readonly channel: SmsChannel;
  readonly limits: SmsLimits;
  /** The provider reports receipts: SMS are `pending` until the receipt check hears of them. */
  readonly receipts: boolean;
}

/** The default of a discriminating variable when it is unset or empty. */
const withDefault = (env: NodeJS.ProcessEnv, name: string, value: string): NodeJS.ProcessEnv =>
  env[name]?.trim() ? env : { ...env, [name]: value };

const endpointParts = (url: string | undefined) => {
  if (!url) return {};
  const parsed = new URL(url);
  return { endpoint: parsed.host, protocol: parsed.protocol.replace(':', '') as 'http' | 'https' };
};

/** The SMS channel of this environment, or undefined for `none`. */
export function smsFromEnv(env: NodeJS.ProcessEnv = process.env): SmsWiring | undefined {
  const config = parseEnv(smsEnvironment, withDefault(env, 'SMS_CHANNEL', 'none'));
  switch (config.SMS_CHANNEL) {
    case 'none':
      return undefined;
    case 'sns':
      return {
        channel: snsSmsChannel(snsClient, config.SMS_SENDER_ID ? { senderId: config.SMS_SENDER_ID } : {}),
        limits: { maxVariableChars: UNLIMITED },
        receipts: false,
      };
    case 'aliyun': {
      const ids = config.SMS_TEMPLATE_IDS;
      return {
        channel: aliyunSmsChannel({
          signName: config.SMS_SIGN_NAME,
          templateIds: ids,
          credentials: smsCredentials(
            { secretArn: config.SMS_SECRET_ARN, json: config.SMS_CREDENTIALS },
            ALIYUN_CREDENTIAL_FIELDS,
          ),
          ...endpointParts(config.SMS_ENDPOINT),
        }),
        limits: { maxVariableChars: config.SMS_MAX_VARIABLE_CHARS, hasTemplate: (key) => Boolean(ids[key]) },
        receipts: true,
      };
    }
    case 'tencent': {
      const ids = config.SMS_TEMPLATE_IDS;
      const endpoint = endpointParts(config.SMS_ENDPOINT);
      return {
        channel: tencentSmsChannel({
          signName: config.SMS_SIGN_NAME,
          sdkAppId: config.SMS_SDK_APP_ID,
          region: config.SMS_REGION,
          templateIds: ids,
          credentials: smsCredentials(
            { secretArn: config.SMS_SECRET_ARN, json: config.SMS_CREDENTIALS },
            TENCENT_CREDENTIAL_FIELDS,
          ),
          ...(endpoint.endpoint
            ? { endpoint: endpoint.endpoint, protocol: endpoint.protocol === 'http' ? 'http://' : 'https://' }
            : {}),
        }),
        limits: { maxVariableChars: config.SMS_MAX_VARIABLE_CHARS, hasTemplate: (key) => Boolean(ids[key]) },
        receipts: true,
      };
    }
    case 'fake':
      return {
        channel: fakeSmsChannel({
          file: config.SMS_FAKE_FILE,
          signName: config.SMS_SIGN_NAME,
          maxVariableChars: config.SMS_MAX_VARIABLE_CHARS,
        }),
        limits: { maxVariableChars: config.SMS_MAX_VARIABLE_CHARS },
        receipts: true,
      };
  }
}

/** A direct e-mail channel, or undefined when e-mail goes through the SNS topics (or the outbox). */
export function emailFromEnv(env: NodeJS.ProcessEnv = process.env): EmailChannel | undefined {
  const config = parseEnv(emailEnvironment, withDefault(env, 'EMAIL_CHANNEL', 'topics'));
  switch (config.EMAIL_CHANNEL) {
    case 'topics':
      return undefined;
    case 'ses':
      return sesEmailChannel({
        from: config.EMAIL_FROM,
        ...(config.SES_CONFIGURATION_SET ? { configurationSet: config.SES_CONFIGURATION_SET } : {}),
      });
    case 'smtp':
      return smtpEmailChannel({
        host: config.SMTP_HOST,
        port: config.SMTP_PORT,
        security: config.SMTP_SECURITY,
        from: config.EMAIL_FROM,
        ...(config.SMTP_SECRET_ARN || config.SMTP_CREDENTIALS
          ? {
              credentials: smsCredentials(
                { secretArn: config.SMTP_SECRET_ARN, json: config.SMTP_CREDENTIALS },
                SMTP_CREDENTIAL_FIELDS,
              ),
            }
          : {}),
      });
  }
}
