import { cpus } from 'node:os';
import { runLoad } from '../load/load.js';
import { MEASURED_RUN, startTestStack } from '../support/local-stack.js';
import { readOutbox } from '../support/outbox.js';
import { measureColdInits, measureFunctionBundles } from './bundles.js';
import { countAwsRequests, type RequestCounts } from './count-requests.js';
import { measureDynamoDbLocalWrites } from './ddb-writes.js';
import { measureIntakeCpu } from './intake-cpu.js';

const TARGETS = {
  intakeCpuUsPerTip: 1000,
  routeAddressesPerSec: 20_000,
  awsRequestsPerTip: 6,
  bundleKb: 300,
  coldInitMs: 150,
};

async function main(): Promise<void> {
  const log = (line: string) => process.stderr.write(`${line}\n`);
  log(`bench on ${cpus()[0]?.model ?? 'unknown CPU'} × ${cpus().length}, Node ${process.version}`);

  log('intake CPU …');
  const intakeCpuUsPerTip = await measureIntakeCpu(3000);

  log('routing throughput …');
  const { measureRoutingThroughput } = await import('../routing/throughput.js');
  const routing = await measureRoutingThroughput();
  const routeAddressesPerSec = routing.addressesPerSec;

  log('bundles and cold init …');
  const bundles = await measureFunctionBundles();
  const coldInit = await measureColdInits(bundles);

  log('DynamoDB Local raw writes …');
  const ddbLocalWritesPerSec = await measureDynamoDbLocalWrites({ seconds: 4, concurrency: 20 });

  log('end-to-end load through a local run …');
  const stack = await startTestStack(MEASURED_RUN);
  let load: Awaited<ReturnType<typeof runLoad>>;
  let counts: RequestCounts;
  try {
    const counter = await countAwsRequests();
    load = await runLoad({
      tips: 300,
      concurrency: 20,
      resendShare: 0,
      url: stack.url,
      dataDir: stack.dataDir,
      log,
    });
    // Each outbox line is one SNS publish in the cloud; partner notices are set aside.
    const publishes = (await readOutbox<{ kind: string }>(stack.outboxFile)).filter(
      (line) => line.kind !== 'joint_enforcement',
    ).length;
    counts = counter.result(load.tips, publishes);
  } finally {
    await stack.cleanup();
  }

  const e2eTarget = (0.5 * ddbLocalWritesPerSec) / counts.dynamoWritesPerTip;
  const maxBundleKb = Math.max(...bundles.map((b) => b.kb));
  const maxColdInitMs = Math.max(...coldInit.map((c) => c.ms));
  const verdicts = {
    intakeCpu: intakeCpuUsPerTip <= TARGETS.intakeCpuUsPerTip,
    routing: routeAddressesPerSec >= TARGETS.routeAddressesPerSec,
    e2e: load.e2eTipsPerSec >= e2eTarget,
    awsRequests: counts.awsRequestsPerTip <= TARGETS.awsRequestsPerTip,
    bundles: maxBundleKb <= TARGETS.bundleKb,
    coldInit: maxColdInitMs <= TARGETS.coldInitMs,
    exactlyOnce: load.exactlyOnce,
  };

  const rows: Array<[string, string, string]> = [
    ['intake CPU per tip', `${intakeCpuUsPerTip.toFixed(0)} µs`, `≤ ${TARGETS.intakeCpuUsPerTip} µs`],
    [
      'addresses routed per second (one core)',
      routeAddressesPerSec.toFixed(0),
      `≥ ${TARGETS.routeAddressesPerSec}`,
    ],
    ['DynamoDB Local raw writes per second', ddbLocalWritesPerSec.toFixed(0), ''],
    ['DynamoDB write requests per tip', counts.dynamoWritesPerTip.toFixed(2), ''],
    [
      'end-to-end tips per second',
      load.e2eTipsPerSec.toFixed(1),
      `≥ ${e2eTarget.toFixed(1)} (½ × writes/s ÷ writes/tip)`,
    ],
    ['intake → case p50 / p99', `${load.toCaseMs.p50} / ${load.toCaseMs.p99} ms`, ''],
    ['intake → notification p50 / p99', `${load.toNotificationMs.p50} / ${load.toNotificationMs.p99} ms`, ''],
    [
      'billed AWS requests per routed tip',
      counts.awsRequestsPerTip.toFixed(2),
      `≤ ${TARGETS.awsRequestsPerTip} (partner notices aside)`,
    ],
    ['  once per container start (not per tip)', String(counts.startupRequests), ''],
    ...Object.entries(counts.byOperation).map(([operation, perTip]): [string, string, string] => [
      `  ${operation}`,
      perTip.toFixed(2),
      '',
    ]),
    ...bundles.map((b): [string, string, string] => [
      `bundle ${b.name}`,
      `${b.kb.toFixed(0)} KB`,
      `≤ ${TARGETS.bundleKb} KB`,
    ]),
    ...coldInit.flatMap(
      (c): Array<[string, string, string]> => [
        [`cold init ${c.name}`, `${c.ms.toFixed(0)} ms`, `≤ ${TARGETS.coldInitMs} ms`],
        [
          `  of which the AWS SDK alone`,
          `${c.sdkMs.toFixed(0)} ms`,
          c.sdkPackages.map((name) => name.replace('@aws-sdk/', '')).join(', '),
        ],
      ],
    ),
    ['every tip in exactly one case, notified once', load.exactlyOnce ? 'yes' : 'NO', 'yes'],
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  const valueWidth = Math.max(...rows.map(([, value]) => value.length));
  for (const [label, value, target] of rows)
    console.log(`${label.padEnd(width)}  ${value.padStart(valueWidth)}  ${target}`);

  console.log(
    JSON.stringify({
      intakeCpuUsPerTip: Math.round(intakeCpuUsPerTip),
      routeAddressesPerSec: Math.round(routeAddressesPerSec),
      e2eTipsPerSec: Number(load.e2eTipsPerSec.toFixed(1)),
      ddbLocalWritesPerSec: Math.round(ddbLocalWritesPerSec),
      dynamoWritesPerTip: Number(counts.dynamoWritesPerTip.toFixed(2)),
      awsRequestsPerTip: Number(counts.awsRequestsPerTip.toFixed(2)),
      bundleKb: Object.fromEntries(bundles.map((b) => [b.name, Math.round(b.kb)])),
      coldInitMs: Object.fromEntries(coldInit.map((c) => [c.name, Math.round(c.ms)])),
      coldInitSdkMs: Object.fromEntries(coldInit.map((c) => [c.name, Math.round(c.sdkMs)])),
      e2eTargetTipsPerSec: Number(e2eTarget.toFixed(1)),
      latencyMs: { toCase: load.toCaseMs, toNotification: load.toNotificationMs },
      targetsMet: verdicts,
      machine: { cpu: cpus()[0]?.model, cores: cpus().length, node: process.version },
    }),
  );
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(`bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exit(1);
  },
);
