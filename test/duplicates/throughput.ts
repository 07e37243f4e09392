/**
 * The duplicate matcher's throughput on one core: per tip, what the router adds to routing — the
 * tip's site features (places, parties, groups, the normalised text) and its comparison with the
 * tips of three candidate cases read from the index (whose features the index holds ready). Called
 * by the benchmark and printed by `npm run eval:duplicates`; tests never time it.
 * Run alone: `npx tsx test/duplicates/throughput.ts`.
 */
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { FORMER_TOWNS, GAZETTEER_2020, VILLAGES_2017 } from '../../shared/config/jurisdiction/generated.js';
import { buildJurisdiction } from '../../shared/config/jurisdiction/load.js';
import { compareSites, placeFinderFor, siteFeatures } from '../../shared/domain/duplicates.js';
import { routeTip } from '../../shared/domain/routing.js';
import { loadEvalSet } from './evaluate.js';

export interface MatcherThroughput {
  tipsPerSec: number;
  checked: number;
  elapsedMs: number;
  /** Candidate tips each tip is compared with. */
  candidatesPerTip: number;
}

export const MATCHER_CANDIDATES_PER_TIP = 3;

export function measureMatcherThroughput(options: { durationMs?: number } = {}): MatcherThroughput {
  const durationMs = options.durationMs ?? 1500;
  const jurisdiction = buildJurisdiction({ GAZETTEER_2020, VILLAGES_2017, FORMER_TOWNS });
  const findPlaces = placeFinderFor(jurisdiction);
  // Every tip of the set with its area, as the router has it once it routed the tip.
  const tips = loadEvalSet()
    .flatMap((pair) => [pair.a, pair.b])
    .flatMap((tip) => {
      const area = routeTip({ location: tip.location, text: tip.description }, jurisdiction).area;
      return area ? [{ tip, area }] : [];
    });
  const known = tips.map(({ tip, area }) => siteFeatures(tip, area, findPlaces));
  const check = (index: number) => {
    const { tip, area } = tips[index % tips.length]!;
    const features = siteFeatures(tip, area, findPlaces);
    for (let c = 1; c <= MATCHER_CANDIDATES_PER_TIP; c++)
      compareSites(features, known[(index + c) % known.length]!);
  };
  for (let i = 0; i < 2000; i++) check(i);

  let checked = 0;
  const begin = performance.now();
  let now = begin;
  while (now - begin < durationMs) {
    for (let i = 0; i < 200; i++) check(checked + i);
    checked += 200;
    now = performance.now();
  }
  const elapsedMs = now - begin;
  return {
    tipsPerSec: Math.round((checked / elapsedMs) * 1000),
    checked,
    elapsedMs: Math.round(elapsedMs),
    candidatesPerTip: MATCHER_CANDIDATES_PER_TIP,
  };
}

export const describeMatcherThroughput = (throughput: MatcherThroughput): string =>
  `matcher throughput: ${throughput.tipsPerSec.toLocaleString('en')} tips/s on one core ` +
  `(site features + ${throughput.candidatesPerTip} candidate comparisons each; ` +
  `${throughput.checked.toLocaleString('en')} in ${throughput.elapsedMs} ms)`;

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  console.log(describeMatcherThroughput(measureMatcherThroughput()));
}
