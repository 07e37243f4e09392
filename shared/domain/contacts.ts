/**
 * Who receives the notifications of one target (`bureau:<area>`, `partner:<dept>`, `town:<area>`,
 * `brigade`, and the targets sections 7-10 add): officers' mobile numbers and e-mail addresses.
 * They are personal data of the officers, so they are kept in the case table by an operator
 * command (`npm run contacts`), never in the repository or a function's configuration, and never
 * written to a log: `maskPhone` and `phoneRef` are what logs and records show of a number.
 */
import { createHash } from 'node:crypto';

export interface Contacts {
  /** Mobile numbers in E.164 (`+8613912345678`). */
  readonly phones: readonly string[];
  readonly emails: readonly string[];
  /** Only these kinds reach the phones (e.g. assignment and escalation); absent: every kind. */
  readonly smsKinds?: readonly string[];
}

export class ContactError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ContactError';
  }
}

/** A target as notifications name it: `brigade`, `leadership`, `superior` or `<audience>:<id>`. */
const TARGET = /^(?:[a-z]+|[a-z]+:[a-z0-9_-]{1,40})$/;

export function checkTarget(target: string): string {
  const trimmed = target.trim();
  if (!TARGET.test(trimmed)) {
    throw new ContactError(
      `"${target}" is not a notification target (e.g. bureau:guli, partner:police, brigade)`,
    );
  }
  return trimmed;
}

/**
 * A mainland mobile number as E.164: `13912345678`, `+86 139 1234 5678`, `0086-139…` and `86139…`
 * all give `+8613912345678`; other countries' numbers must already be in E.164.
 */
export function normalizePhone(input: string): string {
  const compact = input.replace(/[\s()-]/g, '');
  const mainland = /^(?:\+86|0086|86)?(1[3-9]\d{9})$/.exec(compact);
  if (mainland) return `+86${mainland[1]}`;
  if (/^\+[1-9]\d{6,14}$/.test(compact)) return compact;
  throw new ContactError(
    `"${maskPhone(input)}" is not a mobile number (11 digits starting with 1, or E.164)`,
  );
}

/** The 11-digit national number of a mainland E.164 number (what domestic providers take). */
export function nationalNumber(phone: string): string {
  return phone.startsWith('+86') ? phone.slice(3) : phone;
}

export function normalizeEmail(input: string): string {
  const trimmed = input.trim();
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(trimmed) || trimmed.length > 254) {
    throw new ContactError(`"${trimmed}" is not an e-mail address`);
  }
  return trimmed;
}

/** `+8613912345678` → `139****5678`: enough for an officer to recognise, too little to dial. */
export function maskPhone(phone: string): string {
  const digits = phone.replace(/\D/g, '');
  const national = digits.startsWith('86') && digits.length === 13 ? digits.slice(2) : digits;
  if (national.length < 7) return '*'.repeat(national.length);
  return `${national.slice(0, 3)}****${national.slice(-4)}`;
}

/** A stable, short reference of a number for keys and records: never the number itself. */
export function phoneRef(phone: string): string {
  return `ph_${createHash('sha256').update(`landline-phone:${phone}`).digest('base64url').slice(0, 12)}`;
}

/** The numbers of `contacts` that receive a notification of `kind`. */
export function phonesFor(contacts: Contacts | undefined, kind: string): readonly string[] {
  if (!contacts) return [];
  if (contacts.smsKinds && !contacts.smsKinds.includes(kind)) return [];
  return contacts.phones;
}
