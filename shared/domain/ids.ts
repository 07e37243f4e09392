/**
 * Identifiers derived from content, never stored counters: a retry of the same tip computes the
 * same tip id without any lookup, and the first tip of a case names the case.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Source } from './model.js';

const BASE32_ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567';
/** 26 base32 characters carry 130 bits: collisions are not a practical concern. */
const ID_LENGTH = 26;

function base32(bytes: Uint8Array): string {
  let output = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      output += BASE32_ALPHABET[(buffer >>> (bits - 5)) & 31];
      bits -= 5;
    }
    buffer &= (1 << bits) - 1;
  }
  if (bits > 0) output += BASE32_ALPHABET[(buffer << (5 - bits)) & 31];
  return output;
}

function shortHash(...parts: string[]): string {
  // JSON framing keeps ("a b", "c") and ("a", "b c") apart.
  const digest = createHash('sha256').update(JSON.stringify(parts)).digest();
  return base32(digest).slice(0, ID_LENGTH);
}

/** The shape of every tip id deriveTipId makes: anything else names no tip (the API answers 404). */
export const TIP_ID_PATTERN = new RegExp(`^tip_[a-z2-7]{${ID_LENGTH}}$`);
/** The shape of every case id deriveCaseId makes. */
export const CASE_ID_PATTERN = new RegExp(`^case_[a-z2-7]{${ID_LENGTH}}$`);

/** The shape of every patrol id (derivePatrolId, newPatrolId). */
export const PATROL_ID_PATTERN = new RegExp(`^pat_[a-z2-7]{${ID_LENGTH}}$`);

/**
 * A patrol recorded with a `clientId`: the same client id from the same principal names the same
 * patrol, so a retried request finds the patrol it stored instead of making a second one.
 */
export function derivePatrolId(principal: string, clientId: string): string {
  return `pat_${shortHash('patrol', principal, clientId)}`;
}

/** A patrol recorded without a `clientId`: a fresh id (each request is a patrol of its own). */
export function newPatrolId(): string {
  return `pat_${base32(randomBytes(17)).slice(0, ID_LENGTH)}`;
}

/**
 * The anchor of the case a patrol's finding becomes (the `index`-th, from 0): derived, so a retried
 * request finds the case it made and never makes a second one. Not a tip id (the API answers 404).
 */
export function deriveFindingAnchorId(patrolId: string, index: number): string {
  return `fnd_${shortHash('finding', patrolId, String(index))}`;
}

export function deriveTipId(source: Source, externalId: string): string {
  return `tip_${shortHash('tip', source, externalId)}`;
}

export function deriveCaseId(tipId: string): string {
  return `case_${shortHash('case', tipId)}`;
}

/** The shape of every feedback delivery id (also its Standard Webhooks `webhook-id`). */
export const WEBHOOK_ID_PATTERN = new RegExp(`^msg_[a-z2-7]{${ID_LENGTH}}$`);

/** A feedback delivery's id from what makes it unique (case, event, tip): stable across retries. */
export function deriveWebhookId(...parts: string[]): string {
  return `msg_${shortHash('feedback', ...parts)}`;
}

/** JSON with object keys sorted at every depth and `undefined` members dropped, as JSON.stringify does. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    return JSON.stringify(value) ?? 'null';
  }
  if (Array.isArray(value)) {
    return `[${value.map((item) => (item === undefined ? 'null' : canonicalJson(item))).join(',')}]`;
  }
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, member]) => member !== undefined && typeof member !== 'function')
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([key, member]) => `${JSON.stringify(key)}:${canonicalJson(member)}`).join(',')}}`;
}

/** sha256 (hex) of the canonical JSON of `value`: equal for bodies that differ only in key order. */
export function contentHash(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex');
}
