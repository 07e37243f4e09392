/**
 * The sources landline accepts, and the steps every tip goes through whatever its source: parse the
 * body with the source's schema, then normalize it into the one CanonicalTip the rest of the
 * pipeline knows. The steps only use the SourceModule interface, so a new source is a module in
 * this folder, an entry in SOURCE_MODULES and its name in SOURCES (model.ts), and nothing else.
 */
import type { z } from 'zod';
import { contentHash, deriveTipId } from '../ids.js';
import type { CanonicalTip, SealedReporter, Source } from '../model.js';
import { source12336 } from './12336.js';
import { source12345 } from './12345.js';
import { sourceCityManagement } from './city-management.js';
import type { NowSource, SourceModule } from './types.js';

const MODULES = {
  '12336': source12336,
  '12345': source12345,
  'city-management': sourceCityManagement,
};

type BodyOf<M> = M extends SourceModule<infer Body, infer _Input> ? Body : never;
type InputOf<M> = M extends SourceModule<infer _Body, infer Input> ? Input : never;

/** A tip of each source as its schema outputs it. */
export type SourceBodies = { [S in Source]: BodyOf<(typeof MODULES)[S]> };
/** A body of each source as the source sends it. */
export type SourceInputs = { [S in Source]: InputOf<(typeof MODULES)[S]> };

/**
 * Every source by name. Typed as a mapping rather than as the object it is, so that for a source
 * name `S` known only as a type parameter, the module's members still agree on one body type.
 */
export const SOURCE_MODULES: { readonly [S in Source]: SourceModule<SourceBodies[S], SourceInputs[S]> } =
  MODULES;

export type SourceParseResult<Body> =
  | { success: true; data: Body }
  | { success: false; issues: z.core.$ZodIssue[] };

export function parseSourceBody<Body, Input>(
  source: SourceModule<Body, Input>,
  body: unknown,
  clock: NowSource,
): SourceParseResult<Body> {
  const result = source.schema(clock).safeParse(body);
  return result.success
    ? { success: true, data: result.data }
    : { success: false, issues: result.error.issues };
}

export interface NormalizeContext {
  /** When landline accepted the tip. */
  acceptedAt: Date;
  /** The reporter after sealing (see SourceModule.reporterOf). */
  reporter: SealedReporter;
  /** The tip id when the caller derived it already (intake does, to seal the reporter under it). */
  tipId?: string;
}

/** Maps a validated body to the CanonicalTip the intake queue carries. */
export function normalizeTip<Body, Input>(
  source: SourceModule<Body, Input>,
  tip: Body,
  context: NormalizeContext,
): CanonicalTip {
  const externalId = source.externalId(tip);
  return source.normalize(tip, {
    tipId: context.tipId ?? deriveTipId(source.name, externalId),
    source: source.name,
    externalId,
    acceptedAt: context.acceptedAt.toISOString(),
    reporter: context.reporter,
    contentHash: contentHash(source.withoutIdentity(tip)),
  });
}
