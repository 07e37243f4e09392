/**
 * Accepting a tip (contract section 2): check the body against its source's rules, seal the
 * reporter, derive the tip id and queue the tip. The HTTP adapter (shared/http/intake.ts) has
 * already checked the transport and the sender's signature; every rejection here also comes
 * before anything is queued, so a rejected request leaves no trace.
 */
import { UnsupportedEventError, withCause } from '../domain/errors.js';
import { deriveTipId } from '../domain/ids.js';
import type { SealedReporter, Source } from '../domain/model.js';
import { normalizeTip, parseSourceBody, SOURCE_MODULES } from '../domain/sources/index.js';
import type { NowSource, ReporterOfTip } from '../domain/sources/types.js';
import { zodIssuesToDetails } from '../domain/validation-details.js';
import type { FollowUpQueue, TipLookup } from '../ports/feedback.js';
import type { ReporterVault, TipQueue } from '../ports/index.js';
import { acceptFollowUp } from './accept-follow-up.js';
import { DependencyFailedError, UnavailableError, ValidationError } from './errors.js';

export interface AcceptTipDeps {
  queue: TipQueue & Partial<FollowUpQueue>;
  vault: ReporterVault;
  /** The clock, with the configured window for source receive times (contract 12). */
  clock: NowSource;
  /** Which tips landline has a case for: a follow-up about any other id is 404 (contract 9). */
  tips?: TipLookup;
}

export interface TipSubmission<S extends Source> {
  source: S;
  /** The body as sent, parsed as a JSON object but not yet checked against the source's rules. */
  body: Record<string, unknown>;
  /** The request's Standard Webhooks `webhook-id`: a follow-up's identity (contract 9). */
  webhookId?: string;
}

export interface AcceptedTip {
  tipId: string;
  status: 'queued';
}

/** Generic in the source name, so that the source module's members agree on one body type. */
export async function acceptTip<S extends Source>(
  submission: TipSubmission<S>,
  deps: AcceptTipDeps,
): Promise<AcceptedTip> {
  const source = SOURCE_MODULES[submission.source];
  if (source.unsupportedEvents?.matches(submission.body)) {
    throw new UnsupportedEventError(source.unsupportedEvents.message);
  }
  if (source.followUps?.matches(submission.body)) {
    return acceptFollowUp(source.name, source.followUps, submission, deps);
  }
  const parsed = parseSourceBody(source, submission.body, deps.clock);
  if (!parsed.success) {
    throw new ValidationError('请求内容不符合该来源的报送格式。', zodIssuesToDetails(parsed.issues));
  }

  const tipId = deriveTipId(source.name, source.externalId(parsed.data));
  const reporter = await sealReporter(tipId, source.reporterOf(parsed.data), deps.vault);
  const tip = normalizeTip(source, parsed.data, { acceptedAt: deps.clock.now(), reporter, tipId });

  try {
    await deps.queue.enqueue(tip);
  } catch (error) {
    // Nothing was queued; whether the client should slow down is for the queue's failure to say.
    throw withCause(new DependencyFailedError(), error);
  }
  return { tipId: tip.tipId, status: 'queued' };
}

async function sealReporter(
  tipId: string,
  reporter: ReporterOfTip,
  vault: ReporterVault,
): Promise<SealedReporter> {
  if (reporter.anonymous) return { anonymous: true };
  let sealed: string;
  try {
    sealed = await vault.seal(tipId, reporter.identity);
  } catch (error) {
    throw withCause(new UnavailableError(), error);
  }
  return {
    anonymous: false,
    confidential: reporter.confidential,
    ...(reporter.wantsFeedback === undefined ? {} : { wantsFeedback: reporter.wantsFeedback }),
    sealed,
  };
}
