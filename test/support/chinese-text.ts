/**
 * The acceptance rule of contract 11 as a test helper: what people read (an SMS, a subject, an
 * e-mail, an explanation, a reason, a deadline's basis) holds no Latin words but ids and case numbers.
 */
import { expect } from 'vitest';

/**
 * Ids landline makes (case_…, tip_…, the feedback deliveries' msg_…) and case numbers (2026-000042):
 * allowed in any text.
 */
const ALLOWED = /\b(?:case|tip|msg)_[a-z2-7]+\b|\b\d{4}-\d{6}\b/g;
const LATIN_WORD = /[A-Za-z]{2,}/g;

/**
 * The Latin words of `text` once ids and case numbers are taken out, and the `ids` given (a source's
 * own ids, such as a 12345 order number GD202611280123); empty when it is all Chinese.
 */
export function latinWords(text: string, ids: readonly string[] = []): string[] {
  const withoutIds = ids.reduce((rest, id) => rest.replaceAll(id, ' '), text);
  return withoutIds.replace(ALLOWED, ' ').match(LATIN_WORD) ?? [];
}

/**
 * Fails, naming `what` and the words, when `text` holds a Latin word other than an id, a case number
 * or one of `ids`.
 */
export function expectNoLatinWords(text: string, what = 'text', ids: readonly string[] = []): void {
  expect(latinWords(text, ids), `${what}: ${text}`).toEqual([]);
}
