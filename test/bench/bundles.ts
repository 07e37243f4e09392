/**
 * Per function: the size of the bundle the CDK would deploy, and how long Node takes to load it
 * (the module graph of a cold start, configuration parsing and client construction included).
 * Bundles are built with the construct's own esbuild options into `.tmp/bench-bundles/`, inside the
 * project so that the modules the bundle leaves external (the AWS SDK, present in the Lambda
 * runtime) resolve from node_modules as they would from the runtime.
 */
import { execFile } from 'node:child_process';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { budgetKbOf, measureBundles } from '../../infra/ops/bundle-size.js';
import { FUNCTION_NAMES } from '../../infra/stacks/stateless-stack.js';

const run = promisify(execFile);
const OUT_DIR = join(process.cwd(), '.tmp', 'bench-bundles');

export interface FunctionBundle {
  name: string;
  kb: number;
  file: string;
}

export async function measureFunctionBundles(): Promise<FunctionBundle[]> {
  await rm(OUT_DIR, { recursive: true, force: true });
  await mkdir(OUT_DIR, { recursive: true });
  const sizes = await measureBundles(FUNCTION_NAMES, budgetKbOf, OUT_DIR);
  return sizes.map((size) => ({
    name: size.name,
    kb: size.bytes / 1024,
    file: join(OUT_DIR, size.name, 'index.mjs'),
  }));
}

/** Environment that satisfies every function's configuration without reaching any service. */
const COLD_START_ENV = {
  AWS_REGION: 'cn-north-1',
  AWS_ACCESS_KEY_ID: 'bench',
  AWS_SECRET_ACCESS_KEY: 'bench',
  TABLE_NAME: 'landline-bench',
  INTAKE_QUEUE_URL: 'https://sqs.cn-north-1.amazonaws.com.cn/000000000000/landline-bench-intake',
  FEEDBACK_QUEUE_URL: 'https://sqs.cn-north-1.amazonaws.com.cn/000000000000/landline-bench-feedback',
  ASSIGNMENT_QUEUE_URLS: JSON.stringify({
    brigade: 'https://sqs.cn-north-1.amazonaws.com.cn/000000000000/landline-bench-triage',
  }),
  SOURCE_SECRET_12336: 'whsec_YmVuY2gtc2VjcmV0LTEyMzM2',
  SOURCE_SECRET_12345: 'whsec_YmVuY2gtc2VjcmV0LTEyMzQ1',
  SOURCE_SECRET_CITY_MANAGEMENT: 'whsec_YmVuY2gtc2VjcmV0LWNt',
  NOTIFY_MODE: 'sns',
  // The China deployment's SMS channel, so the receipt check starts as it does there.
  SMS_CHANNEL: 'aliyun',
  SMS_SIGN_NAME: '常熟国土',
  SMS_TEMPLATE_IDS: JSON.stringify({ assignment: 'SMS_000000001', assignment_general: 'SMS_000000002' }),
  SMS_CREDENTIALS: JSON.stringify({ accessKeyId: 'bench', accessKeySecret: 'bench' }),
  TOPIC_ARNS: JSON.stringify({ brigade: 'arn:aws-cn:sns:cn-north-1:000000000000:landline-bench-brigade' }),
  API_TOKENS: JSON.stringify({ 'bench-token-1': 'brigade' }),
  CURSOR_KEY: 'bench-cursor-key-bench-cursor-key-0123456789',
  REPORTER_KEY_FILE: join(OUT_DIR, 'reporter.key'),
  LOG_LEVEL: 'ERROR',
  POWERTOOLS_METRICS_DISABLED: 'true',
  POWERTOOLS_TRACE_ENABLED: 'false',
  AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE: '1',
};

const LOADER = `
const started = performance.now();
for (const specifier of process.argv.slice(1)) await import(specifier);
process.stdout.write(String(performance.now() - started));
`;

export interface ColdInit {
  name: string;
  /** Loading the bundle: its code, the SDK clients it imports, configuration and clients built. */
  ms: number;
  /** Loading only the AWS SDK packages the bundle imports (the runtime's copy in Lambda). */
  sdkMs: number;
  sdkPackages: string[];
}

/** The packages a bundle leaves to the runtime, in the order it imports them. */
async function externalSdkPackages(bundleFile: string): Promise<string[]> {
  const code = await readFile(bundleFile, 'utf8');
  return [...new Set([...code.matchAll(/from\s*"(@aws-sdk\/[^"]+)"/g)].map((match) => match[1]!))];
}

/** Median of five fresh processes, each importing `specifiers` in order. */
async function medianLoadMs(specifiers: string[], cwd: string): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < 5; i++) {
    const { stdout } = await run(
      process.execPath,
      ['--input-type=module', '--no-warnings', '-e', LOADER, ...specifiers],
      { env: { ...process.env, ...COLD_START_ENV }, cwd },
    );
    samples.push(Number(stdout));
  }
  samples.sort((a, b) => a - b);
  return samples[2]!;
}

/**
 * Per function, the cold init and the part of it that is the AWS SDK's own load: the SDK packages
 * are resolved from the bundle's folder, as the bundle itself resolves them.
 */
export async function measureColdInits(bundles: FunctionBundle[]): Promise<ColdInit[]> {
  const results: ColdInit[] = [];
  for (const bundle of bundles) {
    const cwd = join(bundle.file, '..');
    const sdkPackages = await externalSdkPackages(bundle.file);
    const ms = await medianLoadMs([pathToFileURL(bundle.file).href], cwd);
    const sdkMs = sdkPackages.length > 0 ? await medianLoadMs(sdkPackages, cwd) : 0;
    results.push({ name: bundle.name, ms, sdkMs, sdkPackages });
  }
  return results;
}
