/**
 * The duplicate evaluation set (eval-set.tsv: pairs of tips as callers and inspectors write them,
 * labelled `same` when both describe one violation at one site) and its scoring. Each side is routed
 * with the production jurisdiction and compared exactly as the router compares a new tip with a
 * candidate case's tips (shared/domain/duplicates.ts); time and case state are not part of it.
 *
 * A false merge (two violations made one case) is the costly error: the second one goes unhandled
 * until someone notices. A missed merge costs a second assignment, which the brigade can `merge`.
 */
import { readFileSync } from 'node:fs';
import { getJurisdiction } from '../../shared/config/jurisdiction/load.js';
import {
  compareSites,
  DEFAULT_DUPLICATE_RULES,
  type DuplicateRules,
  placeFinderFor,
  type SiteComparison,
  siteFeatures,
} from '../../shared/domain/duplicates.js';
import type { Jurisdiction } from '../../shared/domain/jurisdiction.js';
import type { TipLocation } from '../../shared/domain/model.js';
import { routeTip } from '../../shared/domain/routing.js';

export const EVAL_SET_URL = new URL('./eval-set.tsv', import.meta.url);

export const PAIR_KINDS = [
  'said_differently',
  'same_source_other_caller',
  'resent_edited',
  'neighbouring_plot',
  'same_village_other_violation',
  'same_party_other_site',
] as const;
export type PairKind = (typeof PAIR_KINDS)[number];

export interface EvalTip {
  source: string;
  location: TipLocation;
  subject?: string;
  description: string;
}

export interface EvalPair {
  /** 1-based line in the file. */
  line: number;
  expect: 'same' | 'different';
  kind: PairKind;
  a: EvalTip;
  b: EvalTip;
  note: string;
}

const HEADER = [
  'expect',
  'kind',
  'a_source',
  'a_address',
  'a_point',
  'a_subject',
  'a_text',
  'b_source',
  'b_address',
  'b_point',
  'b_subject',
  'b_text',
  'note',
];

function tipOf(cells: Record<string, string>, side: 'a' | 'b', line: number): EvalTip {
  const point = cells[`${side}_point`];
  const location: TipLocation = { address: cells[`${side}_address`]! };
  if (point) {
    const [lng, lat] = point.split(',').map(Number);
    if (!Number.isFinite(lng) || !Number.isFinite(lat)) throw new Error(`line ${line}: bad point "${point}"`);
    location.point = { lng: lng!, lat: lat!, crs: 'wgs84' };
  }
  const subject = cells[`${side}_subject`];
  return {
    source: cells[`${side}_source`]!,
    location,
    ...(subject ? { subject } : {}),
    description: cells[`${side}_text`]!,
  };
}

export function parseEvalSet(text: string): EvalPair[] {
  const [header, ...lines] = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  if (header !== HEADER.join('\t')) throw new Error(`eval set header must be: ${HEADER.join(' | ')}`);
  const pairs: EvalPair[] = [];
  lines.forEach((raw, index) => {
    const line = index + 2;
    if (raw.trim() === '' || raw.startsWith('#')) return;
    const values = raw.split('\t');
    const cells = Object.fromEntries(HEADER.map((name, i) => [name, (values[i] ?? '').trim()]));
    if (cells.expect !== 'same' && cells.expect !== 'different')
      throw new Error(`line ${line}: expect must be same or different`);
    if (!(PAIR_KINDS as readonly string[]).includes(cells.kind!))
      throw new Error(`line ${line}: unknown kind "${cells.kind}"`);
    pairs.push({
      line,
      expect: cells.expect,
      kind: cells.kind as PairKind,
      a: tipOf(cells, 'a', line),
      b: tipOf(cells, 'b', line),
      note: cells.note ?? '',
    });
  });
  return pairs;
}

export const loadEvalSet = (): EvalPair[] => parseEvalSet(readFileSync(EVAL_SET_URL, 'utf8'));

export interface PairVerdict {
  pair: EvalPair;
  merged: boolean;
  comparison?: SiteComparison;
  /** In Chinese: why merged or not. */
  reason: string;
}

/** How the router decides one pair: both routed, same area, then the site comparison. */
export function judgePair(
  pair: EvalPair,
  jurisdiction: Jurisdiction = getJurisdiction(),
  rules: DuplicateRules = DEFAULT_DUPLICATE_RULES,
): PairVerdict {
  const findPlaces = placeFinderFor(jurisdiction);
  const routed = [pair.a, pair.b].map((tip) =>
    routeTip({ location: tip.location, text: tip.description }, jurisdiction),
  );
  const [areaA, areaB] = routed.map((decision) => decision.area);
  if (!areaA || !areaB) return { pair, merged: false, reason: '至少一条未能确定属地（待分派），不并单' };
  if (areaA !== areaB) return { pair, merged: false, reason: `属地不同（${areaA}／${areaB}），不并单` };
  const [a, b] = [pair.a, pair.b].map((tip) => siteFeatures(tip, areaA, findPlaces));
  const comparison = compareSites(a!, b!, rules);
  return { pair, merged: comparison.same, comparison, reason: comparison.reason };
}

export interface EvalReport {
  total: number;
  same: number;
  different: number;
  truePositives: number;
  /** Labelled different, merged: must be zero. */
  falseMerges: PairVerdict[];
  /** Labelled same, not merged. */
  missed: PairVerdict[];
  precision: number;
  recall: number;
  byKind: Record<string, { total: number; right: number }>;
}

export function evaluate(
  pairs: readonly EvalPair[],
  jurisdiction: Jurisdiction = getJurisdiction(),
  rules: DuplicateRules = DEFAULT_DUPLICATE_RULES,
): EvalReport {
  const verdicts = pairs.map((pair) => judgePair(pair, jurisdiction, rules));
  const falseMerges = verdicts.filter((v) => v.merged && v.pair.expect === 'different');
  const missed = verdicts.filter((v) => !v.merged && v.pair.expect === 'same');
  const truePositives = verdicts.filter((v) => v.merged && v.pair.expect === 'same').length;
  const merged = truePositives + falseMerges.length;
  const same = pairs.filter((pair) => pair.expect === 'same').length;
  const byKind: EvalReport['byKind'] = {};
  for (const verdict of verdicts) {
    const entry = byKind[verdict.pair.kind] ?? { total: 0, right: 0 };
    byKind[verdict.pair.kind] = entry;
    entry.total += 1;
    if (verdict.merged === (verdict.pair.expect === 'same')) entry.right += 1;
  }
  return {
    total: pairs.length,
    same,
    different: pairs.length - same,
    truePositives,
    falseMerges,
    missed,
    precision: merged === 0 ? 1 : truePositives / merged,
    recall: same === 0 ? 1 : truePositives / same,
    byKind,
  };
}
