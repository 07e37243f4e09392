/**
 * E-mail through Amazon SES (v2 SendEmail) straight to the target's addresses, for a global-region
 * deployment that does not want SNS e-mail (SNS sends from no-reply@sns.amazonaws.com with an
 * unsubscribe link, and every address must confirm a subscription first). SES is not offered in
 * the China regions: there, SNS e-mail or the SMTP relay.
 *
 * `@aws-sdk/client-sesv2` is part of the Lambda Node.js runtime's AWS SDK, so the bundle leaves it
 * out like every `@aws-sdk/*` package; it is loaded on first use (tests pass their own client).
 */
import type { Notification } from '../../domain/model.js';
import type { EmailChannel } from '../../ports/sms.js';

/** The part of SESv2Client and SendEmailCommand used here. */
export interface SesApi {
  sendEmail(input: SesSendEmailInput): Promise<unknown>;
}

export interface SesSendEmailInput {
  FromEmailAddress: string;
  Destination: { ToAddresses: string[] };
  Content: {
    Simple: {
      Subject: { Data: string; Charset: 'UTF-8' };
      Body: { Text: { Data: string; Charset: 'UTF-8' } };
    };
  };
  ConfigurationSetName?: string;
  EmailTags?: Array<{ Name: string; Value: string }>;
}

/** The SDK's module name in a variable: it is the runtime's, not a dependency of this repository. */
const SES_MODULE = '@aws-sdk/client-sesv2';

export async function loadSesApi(): Promise<SesApi> {
  const sdk = (await import(SES_MODULE)) as {
    SESv2Client: new (config: object) => { send(command: unknown): Promise<unknown> };
    SendEmailCommand: new (input: SesSendEmailInput) => unknown;
  };
  const client = new sdk.SESv2Client({});
  return { sendEmail: (input) => client.send(new sdk.SendEmailCommand(input)) };
}

export interface SesEmailOptions {
  /** A verified identity, e.g. `landline@changshu.example.gov.cn`. */
  readonly from: string;
  readonly configurationSet?: string;
}

export function sesEmailChannel(
  options: SesEmailOptions,
  load: () => Promise<SesApi> = loadSesApi,
): EmailChannel {
  let api: Promise<SesApi> | undefined;
  return {
    name: 'ses',
    async send(notification: Notification, to: readonly string[]): Promise<void> {
      api ??= load().catch((error: unknown) => {
        api = undefined;
        throw error;
      });
      await (await api).sendEmail({
        FromEmailAddress: options.from,
        Destination: { ToAddresses: [...to] },
        Content: {
          Simple: {
            Subject: { Data: notification.subject, Charset: 'UTF-8' },
            Body: { Text: { Data: notification.email, Charset: 'UTF-8' } },
          },
        },
        ...(options.configurationSet ? { ConfigurationSetName: options.configurationSet } : {}),
        // Tags may carry letters, digits, _ and - only.
        EmailTags: [{ Name: 'kind', Value: notification.kind.replace(/[^A-Za-z0-9_-]/g, '_') }],
      });
    },
  };
}
