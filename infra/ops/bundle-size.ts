/**
 * `npm run bundle:check`: bundles every function exactly as the CDK construct does (the same
 * LANDLINE_BUNDLING options, through esbuild's API into a temporary folder), prints a table of
 * sizes and exits 1 when a bundle exceeds its budget. Size matters for cold starts: Lambda loads
 * and parses the whole file before the first request.
 *
 * Usage: npm run bundle:check [-- --budget <KB for every function>] [--keep]
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BundlingOptions } from 'aws-cdk-lib/aws-lambda-nodejs';
import { type BuildOptions, build } from 'esbuild';
import { defaultEntry, LANDLINE_BUNDLING, PROJECT_ROOT } from '../constructs/landline-function.js';
import { FUNCTION_NAMES } from '../stacks/stateless-stack.js';

/**
 * 300 KB for landline's code and libraries, plus the ~135 KB every function carries for
 * Powertools tracing (the X-Ray SDK with its semver and cls-hooked, ~122 KB, evaluated only where
 * tracing is on) and metrics (~13 KB).
 */
export const DEFAULT_BUDGET_KB = 450;

/**
 * What the reports function carries beyond the default: exceljs with its zip, XML and stream
 * libraries (~950 KB minified), evaluated only when a spreadsheet is asked for (measured 1401 KB in all).
 */
const REPORTS_EXCELJS_KB = 1100;

/**
 * Functions allowed more. The case API also carries the AWS Encryption SDK (~250 KB with bn.js,
 * asn1.js and readable-stream) to open reporters sealed in the retired `v2.` format; it is
 * evaluated only when such a value is read. Intake seals `v3.` with node:crypto and carries none.
 * Contract 9 added ~23 KB to it (the feedback outbox of every case write, the extension and return
 * events, the delivery endpoints and their OpenAPI document).
 * It also verifies the console's Cognito JWTs with aws-jwt-verify (~16 KB).
 */
export const FUNCTION_BUDGET_KB: Readonly<Record<string, number>> = {
  // The OpenAPI document grew with the reports, patrol, feedback and merging routes and schemas.
  // Measured after the merges: 806 KB with the infra branch, 829 KB with contract 9, 850 KB with the
  // console's Cognito sign-in; the budget leaves ~15 KB for what comes next.
  api: DEFAULT_BUDGET_KB + 415,
  reports: DEFAULT_BUDGET_KB + REPORTS_EXCELJS_KB,
  // Route and sweep write cases, and every case write now prepares its feedback outbox (contract 9):
  // route 441 -> 455 KB, sweep 448 -> 454 KB when the feedback branch was merged.
  route: DEFAULT_BUDGET_KB + 15,
  sweep: DEFAULT_BUDGET_KB + 15,
};

export const budgetKbOf = (name: string): number => FUNCTION_BUDGET_KB[name] ?? DEFAULT_BUDGET_KB;

/** The construct's bundling options as esbuild API options (what the CDK passes on its CLI). */
export function esbuildOptionsFor(
  entry: string,
  outfile: string,
  bundling: BundlingOptions = LANDLINE_BUNDLING,
): BuildOptions {
  const alias: Record<string, string> = {};
  for (const item of (bundling.esbuildArgs?.['--alias'] as string[] | undefined) ?? []) {
    const [name, target] = item.split(/=(.*)/s);
    if (name && target) alias[name] = target;
  }
  return {
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    target: bundling.target,
    format: bundling.format === 'esm' ? 'esm' : 'cjs',
    minify: bundling.minify,
    charset: bundling.esbuildArgs?.['--charset'] === 'utf8' ? 'utf8' : 'ascii',
    sourcemap: bundling.sourceMap,
    mainFields: bundling.mainFields,
    banner: bundling.banner ? { js: bundling.banner } : undefined,
    tsconfig: bundling.tsconfig,
    external: bundling.externalModules,
    alias,
    absWorkingDir: PROJECT_ROOT,
    logLevel: 'error',
  };
}

export interface BundleSize {
  readonly name: string;
  readonly bytes: number;
  readonly budgetBytes: number;
  readonly overBudget: boolean;
}

export async function measureBundles(
  names: readonly string[],
  budgetKb: (name: string) => number,
  outdir: string,
): Promise<BundleSize[]> {
  const sizes: BundleSize[] = [];
  for (const name of names) {
    const outfile = path.join(outdir, name, 'index.mjs');
    await build(esbuildOptionsFor(defaultEntry(name), outfile));
    const bytes = statSync(outfile).size;
    const budgetBytes = budgetKb(name) * 1024;
    sizes.push({ name, bytes, budgetBytes, overBudget: bytes > budgetBytes });
  }
  return sizes;
}

export function formatTable(sizes: readonly BundleSize[]): string {
  const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
  const rows = sizes.map((s) => [
    s.name,
    kb(s.bytes),
    kb(s.budgetBytes),
    s.overBudget ? 'OVER BUDGET' : 'ok',
  ]);
  const header = ['function', 'index.mjs', 'budget', ''];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 1 || i === 2 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ');
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

async function main(argv: readonly string[]): Promise<number> {
  const budgetIndex = argv.indexOf('--budget');
  const budgetOverride = budgetIndex >= 0 ? Number(argv[budgetIndex + 1]) : undefined;
  if (budgetOverride !== undefined && (!Number.isFinite(budgetOverride) || budgetOverride <= 0)) {
    console.error('--budget needs a positive number of kilobytes');
    return 2;
  }
  const outdir = mkdtempSync(path.join(tmpdir(), 'landline-bundles-'));
  try {
    const sizes = await measureBundles(FUNCTION_NAMES, (name) => budgetOverride ?? budgetKbOf(name), outdir);
    console.log(formatTable(sizes));
    const over = sizes.filter((s) => s.overBudget);
    if (argv.includes('--keep')) console.log(`bundles kept in ${outdir}`);
    if (over.length > 0) {
      console.error(`\n${over.map((s) => s.name).join(', ')} exceed(s) the budget.`);
      return 1;
    }
    return 0;
  } finally {
    if (!argv.includes('--keep')) rmSync(outdir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    },
  );
}
