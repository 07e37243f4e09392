/**
 * Template ids per provider: what each of landline's templates (shared/domain/sms-templates.ts) is
 * called at the provider once approved (Alibaba Cloud `SMS_…`, Tencent Cloud a number). A template
 * without an id is not sent; the general template of its kind is used instead, and a kind without
 * even that stops its messages (retried, then dead-lettered and alarmed) until the id is configured.
 */
import { SMS_TEMPLATE_KEYS } from '../../domain/sms-templates.js';

export class SmsTemplateNotConfiguredError extends Error {
  constructor(key: string) {
    super(`No provider template id is configured for SMS template "${key}" (SMS_TEMPLATE_IDS)`);
    this.name = 'SmsTemplateNotConfiguredError';
  }
}

/** Checks configured ids: an unknown key is a typo, refused at cold start. */
export function checkTemplateIds(ids: Readonly<Record<string, string>>): Readonly<Record<string, string>> {
  const unknown = Object.keys(ids).filter((key) => !SMS_TEMPLATE_KEYS.includes(key));
  if (unknown.length > 0) {
    throw new Error(
      `Unknown SMS template key(s): ${unknown.join(', ')}; known: ${SMS_TEMPLATE_KEYS.join(', ')}`,
    );
  }
  return ids;
}

export function templateIdOf(ids: Readonly<Record<string, string>>, key: string): string {
  const id = ids[key];
  if (!id) throw new SmsTemplateNotConfiguredError(key);
  return id;
}
