import { cpus } from 'node:os';
import { budgetKbOf } from '../../infra/ops/bundle-size.js';
import { runLoad } from '../load/load.js';
import { MEASURED_RUN, startTestStack } from '../support/local-stack.js';
import { readOutbox } from '../support/outbox.js';
import { measureColdInits, measureFunctionBundles } from './bundles.js';
import { countAwsRequests, type RequestCounts } from './count-requests.js';
import { measureDynamoDbLocalWrites } from './ddb-writes.js';
import { measureIntakeCpu } from './intake-cpu.js';

/**
 * Targets as ratios to a floor measured in the same run (absolute times on a shared 2-vCPU machine
 * move with the neighbours; ratios measured side by side do not), plus the absolute ones that do
 * not depend on the machine.
 */
const TARGETS = {
  /** Cold init ÷ loading the same AWS SDK clients alone: landline's own start-up ≤ a fifth of the SDK's. */
  coldInitRatio: 1.2,
  /** Intake CPU per tip ÷ signature check + JSON parse + building the SQS message. */
  intakeCpuRatio: 3,
  /** End-to-end tips/s ÷ DynamoDB Local's raw write bound (writes/s ÷ writes per tip). */
  e2eRatio: 0.5,
  /** Intake → assignment notification at a steady city load, on the local run. */
  notifyLatencyMsP99: 1000,
  routeAddressesPerSec: 20_000,
  /** 并单: a tip's site features and its comparison with three candidate cases' tips, one core. */
  matcherTipsPerSec: 20_000,
  awsRequestsPerTip: 6,
};

/** A city's steady load: a few tips a second. */
const STEADY = { tips: 60, ratePerSec: 3, concurrency: 4 };

async function main(): Promise<void> {
  const log = (line: string) => process.stderr.write(`${line}\n`);
  log(`bench on ${cpus()[0]?.model ?? 'unknown CPU'} × ${cpus().length}, Node ${process.version}`);

  log('intake CPU …');
  const intakeCpu = await measureIntakeCpu(3000);
  const intakeCpuUsPerTip = intakeCpu.usPerTip;
  const intakeCpuRatio = intakeCpu.usPerTip / intakeCpu.floorUsPerTip;

  log('routing throughput …');
  const { measureRoutingThroughput } = await import('../routing/throughput.js');
  const routing = await measureRoutingThroughput();
  const routeAddressesPerSec = routing.addressesPerSec;

  log('duplicate matcher throughput …');
  const { measureMatcherThroughput } = await import('../duplicates/throughput.js');
  const matcher = measureMatcherThroughput();
  const matcherTipsPerSec = matcher.tipsPerSec;

  log('bundles and cold init …');
  const bundles = await measureFunctionBundles();
  const coldInit = await measureColdInits(bundles);

  log('DynamoDB Local raw writes …');
  const ddbLocalWritesPerSec = await measureDynamoDbLocalWrites({ seconds: 4, concurrency: 20 });

  log('end-to-end load through a local run …');
  const stack = await startTestStack(MEASURED_RUN);
  let load: Awaited<ReturnType<typeof runLoad>>;
  let steady: Awaited<ReturnType<typeof runLoad>>;
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
    log(`steady load: ${STEADY.tips} tips at ${STEADY.ratePerSec}/s …`);
    steady = await runLoad({ ...STEADY, resendShare: 0, url: stack.url, dataDir: stack.dataDir, log });
  } finally {
    await stack.cleanup();
  }

  const e2eBound = ddbLocalWritesPerSec / counts.dynamoWritesPerTip;
  const e2eRatio = load.e2eTipsPerSec / e2eBound;
  const notifyLatencyMsP99 = steady.toNotificationMs.p99;
  const coldInitRatio = Object.fromEntries(coldInit.map((c) => [c.name, c.ms / c.sdkMs]));
  const verdicts = {
    coldInit: Object.values(coldInitRatio).every((ratio) => ratio <= TARGETS.coldInitRatio),
    intakeCpu: intakeCpuRatio <= TARGETS.intakeCpuRatio,
    e2e: e2eRatio >= TARGETS.e2eRatio,
    notifyLatency: notifyLatencyMsP99 <= TARGETS.notifyLatencyMsP99,
    routing: routeAddressesPerSec >= TARGETS.routeAddressesPerSec,
    matcher: matcherTipsPerSec >= TARGETS.matcherTipsPerSec,
    awsRequests: counts.awsRequestsPerTip <= TARGETS.awsRequestsPerTip,
    bundles: bundles.every((b) => b.kb <= budgetKbOf(b.name)),
    exactlyOnce: load.exactlyOnce && steady.exactlyOnce,
  };
  const ratio = (value: number) => value.toFixed(2);

  const rows: Array<[string, string, string]> = [
    [
      'intake CPU per tip ÷ floor',
      `${intakeCpuUsPerTip.toFixed(0)} µs ÷ ${intakeCpu.floorUsPerTip.toFixed(0)} µs = ${ratio(intakeCpuRatio)}`,
      `≤ ${TARGETS.intakeCpuRatio} (floor: signature + JSON + SQS message)`,
    ],
    [
      'addresses routed per second (one core)',
      routeAddressesPerSec.toFixed(0),
      `≥ ${TARGETS.routeAddressesPerSec}`,
    ],
    [
      `tips checked for duplicates per second (one core, ${matcher.candidatesPerTip} candidates each)`,
      matcherTipsPerSec.toFixed(0),
      `≥ ${TARGETS.matcherTipsPerSec}`,
    ],
    ['DynamoDB Local raw writes per second', ddbLocalWritesPerSec.toFixed(0), ''],
    ['DynamoDB write requests per tip', counts.dynamoWritesPerTip.toFixed(2), ''],
    [
      'end-to-end tips/s ÷ write bound',
      `${load.e2eTipsPerSec.toFixed(1)} ÷ ${e2eBound.toFixed(1)} = ${ratio(e2eRatio)}`,
      `≥ ${TARGETS.e2eRatio} (bound: writes/s ÷ writes/tip)`,
    ],
    ['intake → case p50 / p99 (full load)', `${load.toCaseMs.p50} / ${load.toCaseMs.p99} ms`, ''],
    [
      'intake → notification p50 / p99 (full load)',
      `${load.toNotificationMs.p50} / ${load.toNotificationMs.p99} ms`,
      '',
    ],
    [
      `intake → notification p50 / p99 (${STEADY.ratePerSec} tips/s)`,
      `${steady.toNotificationMs.p50} / ${steady.toNotificationMs.p99} ms`,
      `p99 ≤ ${TARGETS.notifyLatencyMsP99} ms`,
    ],
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
      `≤ ${budgetKbOf(b.name)} KB`,
    ]),
    ...coldInit.map((c): [string, string, string] => [
      `cold init ${c.name} ÷ its SDK clients alone`,
      `${c.ms.toFixed(0)} ms ÷ ${c.sdkMs.toFixed(0)} ms = ${ratio(c.ms / c.sdkMs)}`,
      `≤ ${TARGETS.coldInitRatio} (${c.sdkPackages.map((name) => name.replace('@aws-sdk/', '')).join(', ')})`,
    ]),
    [
      'every tip in exactly one case, notified once',
      load.exactlyOnce && steady.exactlyOnce ? 'yes' : 'NO',
      'yes',
    ],
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  const valueWidth = Math.max(...rows.map(([, value]) => value.length));
  for (const [label, value, target] of rows)
    console.log(`${label.padEnd(width)}  ${value.padStart(valueWidth)}  ${target}`);

  console.log(
    JSON.stringify({
      coldInitRatio: Object.fromEntries(
        Object.entries(coldInitRatio).map(([name, r]) => [name, Number(ratio(r))]),
      ),
      intakeCpuRatio: Number(ratio(intakeCpuRatio)),
      e2eRatio: Number(ratio(e2eRatio)),
      notifyLatencyMsP99,
      floors: {
        coldInitSdkMs: Object.fromEntries(coldInit.map((c) => [c.name, Math.round(c.sdkMs)])),
        intakeCpuFloorUsPerTip: Math.round(intakeCpu.floorUsPerTip),
        e2eBoundTipsPerSec: Number(e2eBound.toFixed(1)),
      },
      coldInitMs: Object.fromEntries(coldInit.map((c) => [c.name, Math.round(c.ms)])),
      intakeCpuUsPerTip: Math.round(intakeCpuUsPerTip),
      e2eTipsPerSec: Number(load.e2eTipsPerSec.toFixed(1)),
      ddbLocalWritesPerSec: Math.round(ddbLocalWritesPerSec),
      dynamoWritesPerTip: Number(counts.dynamoWritesPerTip.toFixed(2)),
      routeAddressesPerSec: Math.round(routeAddressesPerSec),
      matcherTipsPerSec: Math.round(matcherTipsPerSec),
      awsRequestsPerTip: Number(counts.awsRequestsPerTip.toFixed(2)),
      bundleKb: Object.fromEntries(bundles.map((b) => [b.name, Math.round(b.kb)])),
      latencyMs: {
        fullLoad: { toCase: load.toCaseMs, toNotification: load.toNotificationMs },
        steady: { toCase: steady.toCaseMs, toNotification: steady.toNotificationMs },
      },
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
