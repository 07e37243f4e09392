/**
 * `npm run test:stress`: runs the end-to-end and integration suites several times with CPU hogs
 * beside them, as on a busy 2-vCPU CI machine, and reports how often each file passed. The bar is
 * every run passing: a test that fails from timing is a defect (docs/testing.md).
 *
 *   npm run test:stress                        5 runs, 2 hogs, test/e2e and test/integration
 *   npm run test:stress -- --runs 3 --hogs 1 test/e2e/deadlines.test.ts
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const { values, positionals } = parseArgs({
  options: {
    runs: { type: 'string', default: '5' },
    hogs: { type: 'string', default: '2' },
  },
  allowPositionals: true,
});
const runs = Number(values.runs);
const hogs = Number(values.hogs);
if (!Number.isInteger(runs) || runs < 1 || runs > 50) throw new Error('--runs must be 1 to 50');
if (!Number.isInteger(hogs) || hogs < 0 || hogs > 8) throw new Error('--hogs must be 0 to 8');
const files = positionals.length > 0 ? positionals : ['test/e2e', 'test/integration'];

/**
 * One busy loop per hog, in its own process; ended when the runs are over, and by itself when this
 * script is gone (it checks its parent now and then) or after an hour.
 */
const HOG = `
const parent = process.ppid;
const end = Date.now() + 3_600_000;
for (let spin = 0; Date.now() < end; spin++) {
  if (spin % 5_000_000 === 0) {
    try { process.kill(parent, 0); } catch { process.exit(0); }
  }
}`;

function startHogs(count: number): ChildProcess[] {
  return Array.from({ length: count }, () => spawn(process.execPath, ['-e', HOG], { stdio: 'ignore' }));
}

interface FileResult {
  name: string;
  status: string;
  assertionResults?: Array<{ fullName: string; status: string; failureMessages?: string[] }>;
}

async function runOnce(run: number, reportFile: string): Promise<{ ok: boolean; results: FileResult[] }> {
  const started = Date.now();
  const logFile = reportFile.replace(/\.json$/, '.log');
  const output = createWriteStream(logFile);
  const child = spawn(
    'npx',
    [
      'vitest',
      'run',
      '--project',
      'main',
      '--reporter=dot',
      '--reporter=json',
      `--outputFile.json=${reportFile}`,
      ...files,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, CI: 'true' } },
  );
  child.stdout.pipe(output);
  child.stderr.pipe(output);
  const code = await new Promise<number>((done) => child.on('close', (exit) => done(exit ?? 1)));
  let results: FileResult[] = [];
  try {
    const report = JSON.parse(await readFile(reportFile, 'utf8')) as { testResults: FileResult[] };
    results = report.testResults.map((result) => ({
      ...result,
      name: result.name.slice(process.cwd().length + 1),
    }));
  } catch {
    // No report: vitest itself failed; the exit code says so.
  }
  console.log(
    `run ${run}/${runs}: ${code === 0 ? 'passed' : `FAILED (output kept in ${logFile})`} in ${Math.round((Date.now() - started) / 1000)} s`,
  );
  for (const file of results)
    for (const test of file.assertionResults ?? [])
      if (test.status === 'failed')
        console.log(
          `  ✗ ${file.name} › ${test.fullName}\n    ${(test.failureMessages?.[0] ?? '').split('\n')[0]}`,
        );
  if (code !== 0 && results.length === 0) console.log('  (no report: vitest itself failed; see the output)');
  return { ok: code === 0, results };
}

const dir = await mkdtemp(join(tmpdir(), 'landline-stress-'));
const running = startHogs(hogs);
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.on(signal, () => {
    for (const hog of running) hog.kill('SIGKILL');
    process.exit(130);
  });
const passes = new Map<string, number>();
let passedRuns = 0;
try {
  console.log(`${runs} run(s) of ${files.join(' ')} with ${hogs} CPU hog(s) beside them`);
  for (let run = 1; run <= runs; run++) {
    const { ok, results } = await runOnce(run, join(dir, `run-${run}.json`));
    if (ok) passedRuns++;
    for (const { name, status } of results)
      passes.set(name, (passes.get(name) ?? 0) + (status === 'passed' ? 1 : 0));
  }
} finally {
  for (const hog of running) hog.kill('SIGKILL');
  // The outputs of failed runs stay for reading; a clean series leaves nothing behind.
  if (passedRuns === runs) await rm(dir, { recursive: true, force: true });
}
console.log('\npasses per file:');
for (const [name, count] of [...passes].sort()) console.log(`  ${count}/${runs}  ${name}`);
console.log(`\n${passedRuns} of ${runs} run(s) passed`);
process.exit(passedRuns === runs ? 0 : 1);
