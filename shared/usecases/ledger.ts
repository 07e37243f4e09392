/**
 * `GET /v1/ledger`: the accountability ledger of one calendar year, for the brigade only, narrowed
 * to one bureau when asked; the year defaults to the current year in Shanghai.
 */
import type { z } from 'zod';
import { shanghaiYear } from '../domain/calendar.js';
import type { ledgerViewSchema } from '../domain/case-view-schema.js';
import { LEDGER_KIND_LABELS, principalName } from '../domain/labels.js';
import type { AreaId, Principal } from '../domain/model.js';
import type { Clock } from '../ports/index.js';
import type { LedgerStore } from '../ports/ledger.js';
import { ForbiddenError } from './errors.js';

export interface LedgerDeps {
  ledger: LedgerStore;
  clock: Clock;
}

export interface LedgerQuery {
  year?: number;
  /** Only the entries of this area's bureau. */
  bureau?: AreaId;
}

/** The year's entries and the bureaus with the one-vote veto (一票否决) in it. */
export type LedgerView = z.output<typeof ledgerViewSchema>;

/**
 * `readQuery` is called only once the caller is known to be the brigade, so anyone else learns
 * "forbidden" and never the query's rules.
 */
export async function readLedger(
  principal: Principal,
  readQuery: () => LedgerQuery,
  deps: LedgerDeps,
): Promise<LedgerView> {
  if (principal.kind !== 'brigade') throw new ForbiddenError('只有监察大队可以查看问责台账。');
  const query = readQuery();
  const year = query.year ?? shanghaiYear(deps.clock.now());
  const { entries, vetoes } = await deps.ledger.list(year, query.bureau && `bureau:${query.bureau}`);
  // Each entry's kind and bureau by name as well (contract 11): 诫勉谈话, 梅李镇国土分局.
  const labelled = entries.map((entry) => ({
    ...entry,
    kindLabel: LEDGER_KIND_LABELS[entry.kind],
    bureauName: principalName(entry.bureau),
  }));
  return { year, entries: labelled, vetoes };
}
