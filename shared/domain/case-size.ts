/**
 * How big a case may grow, and which of its events travel beside it rather than inside it.
 *
 * DynamoDB refuses any item over 400 KB, and a case item that reached it could no longer be
 * written by anyone: not an event, not an amendment, not the sweeper marking a breach. So a case
 * keeps small events inline and stores each large one (an amendment with a long description and
 * attachment list, a long comment) as its own item, keeping only a bounded summary that references
 * it; and every request that adds to a case is checked against a byte budget well under the limit,
 * leaving headroom for what the system itself must always be able to record (breaches, hand-overs).
 *
 * Sizes are estimates: the UTF-8 length of the JSON, which for these records is close to (and for
 * the short attribute names and strings of a case, not below) what DynamoDB counts.
 */
import type { CaseEvent, CaseRecord } from './model.js';

export interface CaseBudget {
  /** The estimated size of the stored case (summaries and references, not the bodies) a request may reach. */
  maxCaseBytes: number;
}

/** 300 KB: 100 KB below DynamoDB's item limit, for system writes and the index attributes. */
export const DEFAULT_CASE_BUDGET: CaseBudget = { maxCaseBytes: 300_000 };

/** The range a deployment may set CASE_BYTE_BUDGET to: never near the 400 KB limit. */
export const CASE_BUDGET_RANGE = { min: 10_000, max: 350_000 } as const;

/** An event larger than this (as JSON) is stored as its own item; the case keeps its summary. */
export const INLINE_EVENT_BYTES = 1_024;

/** A summary keeps a note up to this many characters (then "…"), enough to tell what it was. */
const SUMMARY_NOTE_CHARS = 120;
/** A summary keeps any other field whose JSON is at most this long (ids, kinds, findings …). */
const SUMMARY_FIELD_BYTES = 200;

/**
 * At most this many bytes of referenced bodies are inlined into one case answer (GET of one
 * case); later bodies stay referenced. Keeps the answer well under the 6 MB a Lambda may return.
 */
export const READ_INLINE_BYTES = 1_000_000;

/** Where a large event's full content is: the key of its own item, and its size. */
export interface EventBodyRef {
  ref: string;
  bytes: number;
}

const encoder = new TextEncoder();

/** The estimated stored size of a value: the UTF-8 length of its JSON. */
export function jsonBytes(value: unknown): number {
  return encoder.encode(JSON.stringify(value) ?? '').byteLength;
}

/**
 * The body key of an event: its place in the case (events are only ever appended) and a hash of
 * its content. The hash makes a writer that lost the optimistic-locking race put its body under
 * another key than the winner's event at the same place, so bodies can be written before the case
 * without a transaction: a loser's body is an orphan nobody references, never a wrong body.
 */
export function eventBodyRef(index: number, event: CaseEvent): string {
  return `EVENT#${String(index).padStart(6, '0')}#${fnv1a(JSON.stringify(event))}`;
}

/** 32-bit FNV-1a as 8 hex digits: a content fingerprint, not a security measure. */
function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, '0');
}

/** The reference an event summary carries, if it is one. */
export function bodyRefOf(event: CaseEvent): EventBodyRef | undefined {
  const body = event.body as Partial<EventBodyRef> | undefined;
  return body && typeof body.ref === 'string' && typeof body.bytes === 'number'
    ? { ref: body.ref, bytes: body.bytes }
    : undefined;
}

/** What the case keeps of a large event: who, when, what kind, the start of its note, and where the rest is. */
export function summarizeEvent(event: CaseEvent, body: EventBodyRef): CaseEvent {
  const summary: CaseEvent = { type: event.type, at: event.at, by: event.by };
  for (const [key, value] of Object.entries(event)) {
    if (key in summary || value === undefined) continue;
    if (key === 'note' && typeof value === 'string') {
      summary.note = value.length > SUMMARY_NOTE_CHARS ? `${value.slice(0, SUMMARY_NOTE_CHARS)}…` : value;
    } else if (jsonBytes(value) <= SUMMARY_FIELD_BYTES) {
      summary[key] = value;
    }
  }
  summary.body = body;
  return summary;
}

export interface StoredCase {
  /** The case as its item holds it: large events replaced by summaries. */
  record: CaseRecord;
  /** The large events not yet stored beside the case, each under its reference. */
  bodies: Array<{ ref: string; event: CaseEvent }>;
}

/**
 * Splits a case into its item and the bodies to store beside it. Events already summarized stay
 * as they are; so does every small event. Pure and deterministic: the same case always splits the
 * same way, so a retried write puts the same bodies under the same keys.
 */
export function storedCase(record: CaseRecord): StoredCase {
  const bodies: StoredCase['bodies'] = [];
  let changed = false;
  const events = record.events.map((event, index) => {
    if (bodyRefOf(event)) return event;
    const bytes = jsonBytes(event);
    if (bytes <= INLINE_EVENT_BYTES) return event;
    const ref = eventBodyRef(index, event);
    bodies.push({ ref, event });
    changed = true;
    return summarizeEvent(event, { ref, bytes });
  });
  return { record: changed ? { ...record, events } : record, bodies };
}

/** The estimated size of the case's own item (the bodies beside it not counted). */
export function storedCaseBytes(record: CaseRecord): number {
  return jsonBytes(storedCase(record).record);
}

export type BudgetCheck = { ok: true; bytes: number } | { ok: false; bytes: number; maxBytes: number };

/** Whether a case, as a request would leave it, is still within its budget. */
export function checkCaseBudget(record: CaseRecord, budget: CaseBudget = DEFAULT_CASE_BUDGET): BudgetCheck {
  const bytes = storedCaseBytes(record);
  return bytes <= budget.maxCaseBytes
    ? { ok: true, bytes }
    : { ok: false, bytes, maxBytes: budget.maxCaseBytes };
}

/**
 * A list answer (GET /v1/cases, up to 100 cases) stays well under the 6 MB a Lambda may return:
 * past this many bytes, the largest cases of the page are given with their latest events only.
 */
export const LIST_RESPONSE_BYTES = 3_000_000;
/** How many of its latest events a case trimmed for a list keeps. */
export const LIST_TRIMMED_EVENTS = 20;

/**
 * The cases of a list page, the largest trimmed to their latest LIST_TRIMMED_EVENTS events
 * (`eventsOmitted` counting the earlier ones, which GET of the one case lists) until the page's
 * estimated size is within `maxBytes`. A page of ordinary cases is returned as it is.
 */
export function boundListEvents<T extends { events: CaseEvent[] }>(
  records: readonly T[],
  maxBytes: number = LIST_RESPONSE_BYTES,
): Array<T | (T & { eventsOmitted: number })> {
  const sizes = records.map((record) => jsonBytes(record));
  let total = sizes.reduce((sum, bytes) => sum + bytes, 0);
  if (total <= maxBytes) return [...records];
  const result: Array<T | (T & { eventsOmitted: number })> = [...records];
  const largestFirst = sizes.map((bytes, index) => ({ bytes, index })).sort((a, b) => b.bytes - a.bytes);
  for (const { bytes, index } of largestFirst) {
    if (total <= maxBytes) break;
    const record = records[index]!;
    const omitted = record.events.length - LIST_TRIMMED_EVENTS;
    if (omitted <= 0) continue;
    const trimmed = { ...record, events: record.events.slice(omitted), eventsOmitted: omitted };
    total += jsonBytes(trimmed) - bytes;
    result[index] = trimmed;
  }
  return result;
}
