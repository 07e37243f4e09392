/**
 * `npm run eval:routing`: routes every address of the evaluation set, prints accuracy, the wrong-area
 * count and the triage count apart (a wrong area is worse than triage), every miss with the router's
 * explanation, and the throughput on one core. Exits 1 when anything is missed.
 */
import { evaluate, loadEvalSet } from './evaluate.js';
import { describeThroughput, measureRoutingThroughput } from './throughput.js';

const report = evaluate(loadEvalSet());
const percent = (value: number) => `${(value * 100).toFixed(1)}%`;

console.log(`routing evaluation: ${report.total} labelled addresses (test/routing/eval-set.tsv)`);
console.log(`  accuracy        ${percent(report.accuracy)} (${report.correct}/${report.total})`);
console.log(`  wrong area      ${report.wrongArea}`);
console.log(
  `  triage          ${report.triaged} sent to triage, ${report.needlessTriage} of them labelled with an area`,
);
for (const miss of report.misses) {
  const where = Object.entries(miss.row.location)
    .map(([field, value]) => `${field}=${String(value)}`)
    .join(' ');
  console.log(
    `  MISS line ${miss.row.line}: ${where} expected ${miss.row.expected}, got ${miss.got} (${miss.row.note}) — ${miss.decision.explanation}`,
  );
}
console.log(describeThroughput(measureRoutingThroughput()));
process.exitCode = report.misses.length === 0 ? 0 : 1;
