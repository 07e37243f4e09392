/**
 * The one read-modify-write of a case under optimistic locking, for every use case that changes a
 * stored case: read it, apply the change, write the result only over the version that was read.
 * When another writer got there first the case is read again and the change applied to what that
 * writer left. What to do once every attempt lost is the caller's decision: answer 409, leave it to
 * the next sweep, skip the case.
 */
import type { CaseRecord } from '../domain/model.js';
import { type CaseStore, ConditionFailedError } from '../ports/index.js';

/** How often a change is applied to a fresh read of the case before the caller is told it lost. */
export const UPDATE_ATTEMPTS = 5;

/**
 * The case to write (its version one above the given case's), or the given case itself when there
 * is nothing to write. It may run again on a fresher case, so whatever it does besides computing
 * the case must be safe to repeat.
 */
export type CaseChange = (current: CaseRecord) => CaseRecord | Promise<CaseRecord>;

export type CaseUpdate =
  | { outcome: 'updated'; before: CaseRecord; after: CaseRecord }
  | { outcome: 'unchanged'; record: CaseRecord }
  | { outcome: 'missing' }
  /** Every attempt lost to another writer. */
  | { outcome: 'contended' };

export async function updateCase(
  store: Pick<CaseStore, 'getCase' | 'putCase'>,
  caseId: string,
  change: CaseChange,
  /** The case as the caller just read or wrote it: the first attempt starts from it, unread. */
  options: { current?: CaseRecord } = {},
): Promise<CaseUpdate> {
  let known = options.current;
  for (let attempt = 0; attempt < UPDATE_ATTEMPTS; attempt++) {
    const before = known ?? (await store.getCase(caseId));
    known = undefined;
    if (!before) return { outcome: 'missing' };
    const after = await change(before);
    if (after === before) return { outcome: 'unchanged', record: before };
    try {
      await store.putCase(after, before.version);
      return { outcome: 'updated', before, after };
    } catch (error) {
      if (!(error instanceof ConditionFailedError)) throw error;
    }
  }
  return { outcome: 'contended' };
}
