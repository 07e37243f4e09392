/**
 * The local run's SMS provider: it goes through what a domestic provider needs (a template id for
 * the template, every variable present, each within the provider's length) and appends one JSON
 * line per SMS to a file (`$DATA_DIR/sms.jsonl`): the template, its variables and the text they
 * make, with the number masked. Receipts: every SMS it accepted is reported delivered.
 */
import { randomUUID } from 'node:crypto';
import { appendFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { maskPhone } from '../../domain/contacts.js';
import { allSmsTemplates, renderTemplate, templateVariables } from '../../domain/sms-templates.js';
import type { PendingSms, SmsChannel, SmsMessage, SmsReceipt, SmsSendResult } from '../../ports/sms.js';

export interface FakeSmsOptions {
  readonly file: string;
  readonly signName: string;
  readonly maxVariableChars: number;
  /** Template ids; default: each template's key. */
  readonly templateIds?: Readonly<Record<string, string>>;
  readonly now?: () => Date;
}

export interface FakeSmsLine {
  at: string;
  reference: string;
  phone: string;
  template: string;
  templateId: string;
  variables: Record<string, string>;
  text: string;
}

export function fakeSmsChannel(options: FakeSmsOptions): SmsChannel {
  const templates = new Map(allSmsTemplates().map((t) => [t.key, t]));
  let ready: Promise<unknown> | undefined;
  return {
    name: 'fake',
    async send(message: SmsMessage): Promise<SmsSendResult> {
      const template = templates.get(message.template);
      if (!template) return { status: 'rejected', code: 'template_unknown', detail: message.template };
      const names = templateVariables(template);
      const given = new Map(message.variables.map((v) => [v.name, v.value]));
      const missing = names.filter((name) => !given.get(name));
      if (missing.length > 0 || given.size !== names.length) {
        return {
          status: 'rejected',
          code: 'template_params_mismatch',
          detail: `expected ${names.join(', ')}`,
        };
      }
      const tooLong = message.variables.find((v) => Array.from(v.value).length > options.maxVariableChars);
      if (tooLong) return { status: 'rejected', code: 'param_length_limit', detail: tooLong.name };
      const line: FakeSmsLine = {
        at: (options.now?.() ?? new Date()).toISOString(),
        reference: message.reference,
        phone: maskPhone(message.phone),
        template: template.key,
        templateId: options.templateIds?.[template.key] ?? template.key,
        variables: Object.fromEntries(message.variables.map((v) => [v.name, v.value])),
        text: `【${options.signName}】${renderTemplate(template, message.variables)}`,
      };
      ready ??= mkdir(dirname(options.file), { recursive: true });
      await ready;
      await appendFile(options.file, `${JSON.stringify(line)}\n`, 'utf8');
      return { status: 'accepted', providerMessageId: `fake-${randomUUID()}` };
    },
    async fetchReceipts(pending: readonly PendingSms[]): Promise<SmsReceipt[]> {
      return pending.map((sms) => ({ reference: sms.reference, status: 'delivered' }));
    },
  };
}
