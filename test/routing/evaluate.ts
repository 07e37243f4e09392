/**
 * The routing evaluation set (eval-set.tsv: addresses the way callers say them, labelled as a
 * careful dispatcher would) and its scoring. A wrong area is counted apart from triage: sending a
 * tip to the wrong bureau loses days, sending it to triage costs the brigade a look.
 */
import { readFileSync } from 'node:fs';
import { getJurisdiction } from '../../shared/config/jurisdiction/load.js';
import type { Jurisdiction } from '../../shared/domain/jurisdiction.js';
import { AREA_IDS, type AreaId, type TipLocation } from '../../shared/domain/model.js';
import { routeTip, type TipRouting } from '../../shared/domain/routing.js';

export const EVAL_SET_URL = new URL('./eval-set.tsv', import.meta.url);
const FIELD_COLUMNS = ['town', 'region', 'street', 'community'] as const;

export interface EvalRow {
  /** 1-based line in the file, for the report. */
  line: number;
  location: TipLocation;
  expected: AreaId | 'triage';
  note: string;
}

export function parseEvalSet(text: string): EvalRow[] {
  const [header, ...lines] = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const columns = (header ?? '').split('\t');
  const at = (name: string) => {
    const index = columns.indexOf(name);
    if (index < 0) throw new Error(`eval set has no column ${name}`);
    return index;
  };
  const rows: EvalRow[] = [];
  lines.forEach((raw, index) => {
    if (raw.trim() === '' || raw.startsWith('#')) return;
    const cells = raw.split('\t');
    const cell = (name: string) => (cells[at(name)] ?? '').trim();
    const expected = cell('expected');
    if (expected !== 'triage' && !(AREA_IDS as readonly string[]).includes(expected)) {
      throw new Error(`eval set line ${index + 2}: unknown expected area "${expected}"`);
    }
    // The text column keeps its spaces: folding them is the router's job.
    const address = cells[at('text')] ?? '';
    const location: TipLocation = address.trim() ? { address } : {};
    for (const field of FIELD_COLUMNS) if (cell(field)) location[field] = cell(field);
    rows.push({ line: index + 2, location, expected: expected as AreaId | 'triage', note: cell('note') });
  });
  return rows;
}

export const loadEvalSet = (): EvalRow[] => parseEvalSet(readFileSync(EVAL_SET_URL, 'utf8'));

export interface EvalMiss {
  row: EvalRow;
  got: AreaId | 'triage';
  decision: TipRouting;
}

export interface EvalReport {
  total: number;
  correct: number;
  accuracy: number;
  /** Routed to an area other than the label (a triage label included): the costly error. */
  wrongArea: number;
  /** Everything the router sent to triage, right or not. */
  triaged: number;
  /** Sent to triage although the label names an area: safe, but work for the brigade. */
  needlessTriage: number;
  misses: EvalMiss[];
}

export function evaluate(
  rows: readonly EvalRow[],
  jurisdiction: Jurisdiction = getJurisdiction(),
): EvalReport {
  const misses: EvalMiss[] = [];
  let wrongArea = 0;
  let triaged = 0;
  let needlessTriage = 0;
  for (const row of rows) {
    const decision = routeTip({ location: row.location, text: '' }, jurisdiction);
    const got = decision.area ?? 'triage';
    if (got === 'triage') triaged++;
    if (got === row.expected) continue;
    if (got === 'triage') needlessTriage++;
    else wrongArea++;
    misses.push({ row, got, decision });
  }
  const correct = rows.length - misses.length;
  return {
    total: rows.length,
    correct,
    accuracy: rows.length === 0 ? 0 : correct / rows.length,
    wrongArea,
    triaged,
    needlessTriage,
    misses,
  };
}
