/**
 * Accepting a source's follow-up about one of its tips (contract 9: 催办, 回访, 撤单) on the signed
 * intake endpoint: validate it, find that landline has a case for the tip (else 404 unknown_tip,
 * nothing queued), and queue it on the intake queue, where the router applies it to the tip's case
 * in line with the tips. Answered like a tip: 202 with the original tip's id.
 */
import { withCause } from '../domain/errors.js';
import type { FollowUpMessage } from '../domain/follow-ups.js';
import { deriveTipId } from '../domain/ids.js';
import type { Source } from '../domain/model.js';
import type { FollowUpRule, NowSource } from '../domain/sources/types.js';
import { zodIssuesToDetails } from '../domain/validation-details.js';
import type { FollowUpQueue, TipLookup } from '../ports/feedback.js';
import type { AcceptedTip } from './accept-tip.js';
import { DependencyFailedError, UnavailableError, UnknownTipError, ValidationError } from './errors.js';

export interface AcceptFollowUpDeps {
  queue: Partial<FollowUpQueue>;
  clock: NowSource;
  tips?: TipLookup;
}

export async function acceptFollowUp(
  source: Source,
  rule: FollowUpRule,
  submission: { body: Record<string, unknown>; webhookId?: string },
  deps: AcceptFollowUpDeps,
): Promise<AcceptedTip> {
  const parsed = rule.schema(deps.clock).safeParse(submission.body);
  if (!parsed.success) {
    throw new ValidationError(
      '请求内容不符合该来源的跟进（催办、回访、撤单）报送格式。',
      zodIssuesToDetails(parsed.error.issues),
    );
  }
  const { tips, queue } = deps;
  // Wired in every deployment that serves follow-ups; a missing part is a deployment fault.
  if (!tips || !queue.enqueueFollowUp || !submission.webhookId) throw new UnavailableError();
  const followUp = parsed.data;
  const tipId = deriveTipId(source, followUp.externalId);
  let known: Awaited<ReturnType<TipLookup['getTip']>>;
  try {
    known = await tips.getTip(tipId);
  } catch (error) {
    throw withCause(new DependencyFailedError(), error);
  }
  if (!known) {
    throw new UnknownTipError(
      '尚无此编号举报的案件；举报提交后数秒内发送的跟进可能遇到此情况，请稍后重新发送。',
    );
  }
  const acceptedAt = deps.clock.now().toISOString();
  const message: FollowUpMessage = {
    type: 'follow_up',
    kind: followUp.kind,
    source,
    tipId,
    externalId: followUp.externalId,
    webhookId: submission.webhookId,
    at: followUp.at ?? acceptedAt,
    acceptedAt,
    ...(followUp.note ? { note: followUp.note } : {}),
    ...(followUp.satisfaction ? { satisfaction: followUp.satisfaction } : {}),
  };
  try {
    await queue.enqueueFollowUp(message);
  } catch (error) {
    throw withCause(new DependencyFailedError(), error);
  }
  return { tipId, status: 'queued' };
}
