/** When a case next needs the deadline sweeper. */
import type { CaseRecord } from './model.js';

/**
 * The instant (UTC ISO) the sweeper must next look at this case: the earliest due instant of an
 * unmet, unbreached deadline of an open case, or the breach instant of a breach whose escalation has
 * not been handed over yet. Undefined when nothing is pending, which drops the case from the sparse
 * due index.
 */
export function nextAttentionAt(record: CaseRecord): string | undefined {
  let earliest: string | undefined;
  for (const deadline of record.deadlines) {
    let attention: string | undefined;
    if (deadline.breachedAt && !deadline.escalatedAt) attention = deadline.breachedAt;
    else if (!deadline.metAt && !deadline.breachedAt && record.status !== 'closed')
      attention = deadline.dueAt;
    if (!attention) continue;
    const utc = new Date(attention).toISOString();
    if (!earliest || utc < earliest) earliest = utc;
  }
  return earliest;
}
