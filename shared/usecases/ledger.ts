/**
 * `GET /v1/ledger?year=&bureau=`: the accountability ledger of one calendar year, for the brigade
 * only. `bureau` (an area id or `bureau:<area>`) narrows it to one bureau; `year` defaults to the
 * current year in Shanghai.
 */
import { z } from 'zod';
import { shanghaiYear } from '../domain/calendar.js';
import type { LedgerEntry } from '../domain/ledger.js';
import { AREA_IDS, type Principal } from '../domain/model.js';
import { zodIssuesToDetails } from '../domain/validation-details.js';
import type { Clock } from '../ports/index.js';
import type { LedgerStore } from '../ports/ledger.js';
import { ForbiddenError, ValidationError } from './errors.js';

export interface LedgerDeps {
  ledger: LedgerStore;
  clock: Clock;
}

export interface LedgerView {
  year: number;
  entries: LedgerEntry[];
  /** Bureaus with the one-vote veto (一票否决) in that year. */
  vetoes: string[];
}

const bureauPattern = new RegExp(`^(bureau:)?(${AREA_IDS.join('|')})$`);

export const ledgerQuerySchema = z.object({
  year: z.coerce.number().int().min(2000).max(2100).optional(),
  bureau: z.string().regex(bureauPattern, 'must be an area id or bureau:<area>').optional(),
});

export async function readLedger(
  principal: Principal,
  query: Record<string, string | undefined>,
  deps: LedgerDeps,
): Promise<LedgerView> {
  if (principal.kind !== 'brigade') throw new ForbiddenError('Only the brigade reads the ledger.');
  const parsed = ledgerQuerySchema.safeParse(query);
  if (!parsed.success)
    throw new ValidationError('The query is not valid.', zodIssuesToDetails(parsed.error.issues));
  const year = parsed.data.year ?? shanghaiYear(deps.clock.now());
  const bureau = parsed.data.bureau ? `bureau:${parsed.data.bureau.replace(/^bureau:/, '')}` : undefined;
  const { entries, vetoes } = await deps.ledger.list(year, bureau);
  return { year, entries, vetoes };
}
