/** In-memory LedgerStore for use-case tests. */
import { type LedgerEntry, ledgerEntryDueAt, VETO_CRITICISMS } from '../../shared/domain/ledger.js';
import type { LedgerRecordResult, LedgerStore, LedgerYear } from '../../shared/ports/ledger.js';

export class MemoryLedgerStore implements LedgerStore {
  readonly entries = new Map<string, LedgerEntry>();
  readonly criticisms = new Map<string, number>();
  failNext = 0;

  async record(entry: LedgerEntry): Promise<LedgerRecordResult> {
    if (this.failNext > 0) {
      this.failNext -= 1;
      throw new Error('ledger table unavailable');
    }
    const key = `${entry.year}|${entry.bureau}|${entry.entryId}`;
    if (this.entries.has(key)) return { recorded: false };
    this.entries.set(key, structuredClone(entry));
    if (entry.kind !== 'criticism') return { recorded: true };
    const counter = `${entry.year}|${entry.bureau}`;
    const count = (this.criticisms.get(counter) ?? 0) + 1;
    this.criticisms.set(counter, count);
    return { recorded: true, criticismsThisYear: count, veto: count >= VETO_CRITICISMS };
  }

  async list(year: number, bureau?: string): Promise<LedgerYear> {
    const entries = [...this.entries.values()]
      .filter((entry) => entry.year === year && (!bureau || entry.bureau === bureau))
      .sort(
        (a, b) =>
          Date.parse(ledgerEntryDueAt(a)) - Date.parse(ledgerEntryDueAt(b)) ||
          a.entryId.localeCompare(b.entryId),
      )
      .map((entry) => structuredClone(entry));
    const vetoes = [...this.criticisms.entries()]
      .filter(([key, count]) => count >= VETO_CRITICISMS && key.startsWith(`${year}|`))
      .map(([key]) => key.slice(`${year}|`.length))
      .filter((each) => !bureau || each === bureau)
      .sort();
    return { entries, vetoes };
  }
}
