/**
 * What landline needs to know about a source, as one interface. Each source is a module in this
 * folder implementing it; intake, the OpenAPI document and the tests only ever go through it, so a
 * new source is a new module plus its name in SOURCES and in the list in index.ts.
 */
import type { z } from 'zod';
import type { CanonicalTip, ReporterIdentity, SealedReporter, Source } from '../model.js';

/**
 * The clock a source's schema reads at parse time, with the one configurable window for source
 * times (contract 12): how many days in the past a receive time may lie. Absent: the default.
 */
export interface NowSource {
  now(): Date;
  readonly maxReceiveAgeDays?: number;
}

/** The reporter before sealing: the identity must go through the ReporterVault, never further. */
export type ReporterOfTip =
  | { anonymous: true }
  | { anonymous: false; confidential: boolean; wantsFeedback?: boolean; identity: ReporterIdentity };

/** What every canonical tip carries whatever its source; the pipeline computes it, not the module. */
export interface TipEnvelope {
  tipId: string;
  source: Source;
  externalId: string;
  /** When landline accepted the tip (ISO 8601 UTC). */
  acceptedAt: string;
  reporter: SealedReporter;
  contentHash: string;
}

/** Events a source sends that are not tips: answered `unsupported_event`, never queued. */
export interface UnsupportedEventRule {
  /** Checked before the schema, so such an event is unsupported even when it is not a valid tip either. */
  matches(body: Record<string, unknown>): boolean;
  /** The error message: which events are tips. */
  message: string;
  /** The API document's description of the 422 answer. */
  documentation: string;
}

/** How a source's follow-up (contract 9) reads once validated: what happened to which of its tips. */
export interface FollowUpBody {
  kind: 'urge' | 'callback' | 'withdraw';
  /** The source's own id of the tip (`orderNo`, `caseNo`). */
  externalId: string;
  /** When the source says it happened; absent: the time of receipt. */
  at?: string;
  /** 催办 note, 回访 comment or 撤单 reason, as the source wrote it. */
  note?: string;
  /** 回访 only. */
  satisfaction?: 'satisfied' | 'basically_satisfied' | 'dissatisfied';
}

/**
 * What a source says about a tip it sent earlier (催办, 回访, 撤单: contract 9), on the same signed
 * intake endpoint. Checked after the unsupported events and before the tip schema.
 */
export interface FollowUpRule {
  /** True for a body that is meant as a follow-up (by its `eventType`). */
  matches(body: Record<string, unknown>): boolean;
  /** The follow-up's rules; its output is the one shape every source's follow-ups share. */
  schema(clock: NowSource): z.ZodType<FollowUpBody>;
  /** The API document's title of a follow-up body and one example per kind. */
  readonly documentation: { title: string; examples: Record<string, unknown>[] };
}

/**
 * One source: `Body` is a tip as its schema outputs it, `Input` what the source sends (defaults
 * not yet applied).
 */
export interface SourceModule<Body, Input> {
  /** The source's name in the intake path, tip ids, principals and SOURCES. */
  readonly name: Source;
  /** How the API document titles a body of this source, and what submitting one does. */
  readonly documentation: { title: string; summary: string };
  /**
   * The body's rules. Bound to a clock because a source's "received" timestamp may not lie ahead of
   * it; built once per clock. Unknown fields are stripped, at every level.
   */
  schema(clock: NowSource): z.ZodType<Body, Input>;
  /** The contract's example body, verbatim: the API document shows it, tests and the demo send it. */
  readonly example: Input;
  /** The source's own id of the tip: with the source it names the tip, so a retry gets the same tip id. */
  externalId(tip: Body): string;
  /** Who reported the tip, identity included: intake seals it before anything else sees it. */
  reporterOf(tip: Body): ReporterOfTip;
  /**
   * The body as the content hash sees it: the reporter's name and phone left out. A stored digest of
   * them could be brute-forced (phone numbers are a small space) by anyone who can read the table and
   * knows the rest of the tip; leaving them out also means a resubmission that changes only the
   * reporter's contact data counts as a retry, and the first sealed identity stays on the case.
   */
  withoutIdentity(tip: Body): unknown;
  /** The tip in the pipeline's one shape; `envelope` holds what every source shares. */
  normalize(tip: Body, envelope: TipEnvelope): CanonicalTip;
  /** Absent when every body the source sends is meant as a tip. */
  readonly unsupportedEvents?: UnsupportedEventRule;
  /** Absent when the source sends no follow-ups about its tips. */
  readonly followUps?: FollowUpRule;

  // Room for what the sources will need next, as optional members so that no module has to change
  // until it uses them:
  //   followUpEvents?: events about a tip already accepted (a 12345 reminder or withdrawal, a
  //     city-management recall), each with its schema and what it changes on the tip's case;
  //   feedback?: how a case's progress and outcome are reported back in the source's own format
  //     (the outbound 回访 / 办结反馈 a hotline expects).
}
