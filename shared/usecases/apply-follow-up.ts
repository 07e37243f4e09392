/**
 * The router's half of a source's follow-up (contract 9): apply it to the case its tip belongs to
 * now (optimistic locking, re-read on a lost race) and hand its notices to the notifier. Safe to
 * repeat: a redelivered message finds its event on the case and only re-sends the notices, which
 * the notifier sends once per key. A case at its size budget keeps the follow-up beside it, as it
 * keeps amendments: nothing the source sent is lost.
 */
import type { WorkingCalendar } from '../domain/calendar.js';
import { type CaseBudget, checkCaseBudget, DEFAULT_CASE_BUDGET } from '../domain/case-size.js';
import { type NoticeDraft, reopenNotice, urgeNotice } from '../domain/feedback-notices.js';
import {
  applyFollowUp,
  eventsOfFollowUp,
  type FollowUpEffect,
  type FollowUpMessage,
  followUpIdOf,
} from '../domain/follow-ups.js';
import type { CaseRecord } from '../domain/model.js';
import type { AssignmentQueue, CaseStore, Clock } from '../ports/index.js';
import { noticeMessage } from './notices.js';
import { updateCase } from './update-case.js';

export interface FollowUpDeps {
  store: CaseStore;
  queue: AssignmentQueue;
  clock: Clock;
  /** Counts the close deadline of a reopened case. */
  calendar: WorkingCalendar;
  budget?: CaseBudget;
}

export type FollowUpOutcome =
  | { effect: FollowUpEffect; record: CaseRecord }
  /** The case is at its size budget: the follow-up is kept beside it, not applied. */
  | { effect: 'unapplied'; record: CaseRecord };

class OverBudget extends Error {}

export async function applySourceFollowUp(
  message: FollowUpMessage,
  deps: FollowUpDeps,
): Promise<FollowUpOutcome> {
  const tip = await deps.store.getTip(message.tipId);
  // Intake answered 404 for unknown tips; an anchor cannot vanish. Fail loudly (retried, then DLQ).
  if (!tip) throw new Error(`follow-up for tip ${message.tipId}, which has no anchor`);
  const now = deps.clock.now();
  let effect: FollowUpEffect = 'duplicate';
  let overBudget: CaseRecord | undefined;
  let update: Awaited<ReturnType<typeof updateCase>>;
  try {
    update = await updateCase(deps.store, tip.caseId, (current) => {
      const result = applyFollowUp(current, message, { now, calendar: deps.calendar });
      effect = result.effect;
      if (
        result.effect !== 'duplicate' &&
        !checkCaseBudget(result.record, deps.budget ?? DEFAULT_CASE_BUDGET).ok
      ) {
        overBudget = current;
        throw new OverBudget();
      }
      return result.record;
    });
  } catch (error) {
    if (!(error instanceof OverBudget) || !overBudget) throw error;
    await keepBeside(overBudget, message, now, deps);
    return { effect: 'unapplied', record: overBudget };
  }
  if (update.outcome === 'missing')
    throw new Error(`tip ${message.tipId} points at missing case ${tip.caseId}`);
  // Another writer won every attempt: the message is retried later and applied then.
  if (update.outcome === 'contended')
    throw new Error(`case ${tip.caseId} is contended; retrying the follow-up`);
  const record = update.outcome === 'updated' ? update.after : update.record;
  // Also after a duplicate: the earlier delivery may have died before its notices left.
  for (const notice of noticesOf(record, message)) {
    await deps.queue.send(noticeMessage(notice.key, notice.notification, notice.at));
  }
  return { effect, record };
}

/** The notices a follow-up's events on the case call for: one urge, or one reopen. */
export function noticesOf(record: CaseRecord, message: FollowUpMessage): Array<NoticeDraft & { at: string }> {
  const notices: Array<NoticeDraft & { at: string }> = [];
  for (const event of eventsOfFollowUp(record, followUpIdOf(message))) {
    if (event.type === 'urged') notices.push({ ...urgeNotice(record, message, event), at: event.at });
    if (event.type === 'reopened') notices.push({ ...reopenNotice(record, message, event), at: event.at });
  }
  return notices;
}

async function keepBeside(record: CaseRecord, message: FollowUpMessage, now: Date, deps: FollowUpDeps) {
  const followUpId = followUpIdOf(message);
  try {
    await deps.store.recordUnappliedAmendment(message.tipId, `follow_up:${followUpId}`, record.caseId, {
      type: message.kind === 'urge' ? 'urged' : message.kind === 'callback' ? 'callback' : 'withdrawn',
      at: now.toISOString(),
      by: `source:${message.source}`,
      tipId: message.tipId,
      followUpId,
      sourceAt: message.at,
      ...(message.satisfaction ? { satisfaction: message.satisfaction } : {}),
      ...(message.note ? { note: message.note } : {}),
      unapplied: true,
    });
  } catch (error) {
    // Recorded by an earlier delivery of the same message: nothing more to keep.
    if (!(error instanceof Error && error.name === 'ConditionFailedError')) throw error;
  }
}
