/**
 * `npm run eval:duplicates`: judges every pair of the evaluation set as the router would, prints
 * precision, recall and every false merge with both texts and the reason (then the missed merges),
 * and the matcher's throughput on one core. Exits 1 on any false merge or a recall below 80%.
 */

import { evaluate, loadEvalSet, type PairVerdict } from './evaluate.js';
import { describeMatcherThroughput, measureMatcherThroughput } from './throughput.js';

const MIN_RECALL = 0.8;
const report = evaluate(loadEvalSet());
const percent = (value: number) => `${(value * 100).toFixed(1)}%`;
const side = (verdict: PairVerdict, which: 'a' | 'b') => {
  const tip = verdict.pair[which];
  return `${tip.source} ${tip.location.address ?? ''}${tip.subject ? ` [${tip.subject}]` : ''}：${tip.description}`;
};

console.log(
  `duplicate evaluation: ${report.total} labelled pairs (test/duplicates/eval-set.tsv), ${report.same} same, ${report.different} different`,
);
console.log(`  precision     ${percent(report.precision)}`);
console.log(`  recall        ${percent(report.recall)} (${report.truePositives}/${report.same})`);
console.log(`  false merges  ${report.falseMerges.length}`);
for (const [kind, { total, right }] of Object.entries(report.byKind))
  console.log(`  ${kind.padEnd(30)} ${right}/${total} right`);
for (const verdict of report.falseMerges) {
  console.log(
    `  FALSE MERGE line ${verdict.pair.line} (${verdict.pair.kind}, ${verdict.pair.note}): ${verdict.reason}`,
  );
  console.log(`    A ${side(verdict, 'a')}`);
  console.log(`    B ${side(verdict, 'b')}`);
}
for (const verdict of report.missed) {
  console.log(
    `  missed line ${verdict.pair.line} (${verdict.pair.kind}, ${verdict.pair.note}): ${verdict.reason}`,
  );
  console.log(`    A ${side(verdict, 'a')}`);
  console.log(`    B ${side(verdict, 'b')}`);
}
console.log(describeMatcherThroughput(measureMatcherThroughput()));
process.exitCode = report.falseMerges.length === 0 && report.recall >= MIN_RECALL ? 0 : 1;
