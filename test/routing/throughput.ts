/**
 * Routing throughput on one core: the production jurisdiction and its name automaton are built once
 * (as at a cold start, timed apart), then the evaluation set's addresses are routed over and over for
 * a fixed time. Called by the benchmark and printed by `npm run eval:routing`; tests never time it.
 * Run alone: `npx tsx test/routing/throughput.ts`.
 */
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { FORMER_TOWNS, GAZETTEER_2020, VILLAGES_2017 } from '../../shared/config/jurisdiction/generated.js';
import { buildJurisdiction } from '../../shared/config/jurisdiction/load.js';
import { nameAutomatonFor, routeTip } from '../../shared/domain/routing.js';
import { loadEvalSet } from './evaluate.js';

export interface RoutingThroughput {
  addressesPerSec: number;
  routed: number;
  elapsedMs: number;
  /** Building the jurisdiction and its automaton, once per cold start. */
  coldBuildMs: number;
  automatonNames: number;
}

export function measureRoutingThroughput(options: { durationMs?: number } = {}): RoutingThroughput {
  const durationMs = options.durationMs ?? 1500;
  const started = performance.now();
  const jurisdiction = buildJurisdiction({ GAZETTEER_2020, VILLAGES_2017, FORMER_TOWNS });
  const automaton = nameAutomatonFor(jurisdiction);
  const coldBuildMs = performance.now() - started;

  const inputs = loadEvalSet().map((row) => ({ location: row.location, text: '' }));
  // Warm-up, so the JIT has compiled the hot path before the clock starts.
  for (let i = 0; i < 2000; i++) routeTip(inputs[i % inputs.length]!, jurisdiction);

  let routed = 0;
  const begin = performance.now();
  let now = begin;
  while (now - begin < durationMs) {
    for (let i = 0; i < 500; i++) routeTip(inputs[(routed + i) % inputs.length]!, jurisdiction);
    routed += 500;
    now = performance.now();
  }
  const elapsedMs = now - begin;
  return {
    addressesPerSec: Math.round((routed / elapsedMs) * 1000),
    routed,
    elapsedMs: Math.round(elapsedMs),
    coldBuildMs: Math.round(coldBuildMs * 10) / 10,
    automatonNames: automaton.size,
  };
}

/** One line for people: the rate, the sample and the cold build. */
export const describeThroughput = (throughput: RoutingThroughput): string =>
  `throughput: ${throughput.addressesPerSec.toLocaleString('en')} addresses/s on one core ` +
  `(${throughput.routed.toLocaleString('en')} in ${throughput.elapsedMs} ms; automaton of ` +
  `${throughput.automatonNames} names built once in ${throughput.coldBuildMs} ms)`;

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  console.log(describeThroughput(measureRoutingThroughput()));
}
