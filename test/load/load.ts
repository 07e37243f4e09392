import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DEV_BRIGADE_TOKEN, DEV_SOURCE_SECRETS } from '../../infra/local/dev-defaults.js';
import type { Source } from '../../shared/domain/model.js';
import { make12336Tip, make12345Tip, makeCityManagementTip, webhookHeaders } from '../fixtures/tips.js';
import { MEASURED_RUN, startTestStack } from '../support/local-stack.js';
import { readOutbox } from '../support/outbox.js';

export interface LoadOptions {
  tips: number;
  concurrency: number;
  resendShare: number;
  /**
   * Steady load: start at most this many sends per second (a city's few tips a second), instead
   * of as fast as `concurrency` allows. Latency figures are meaningful only at such a rate.
   */
  ratePerSec?: number;
  url?: string;
  dataDir?: string;
  log?: (line: string) => void;
}

export interface LoadResult {
  tips: number;
  requests: number;
  acceptedPerSec: number;
  e2eTipsPerSec: number;
  intakeLatencyMs: { p50: number; p99: number };
  toCaseMs: { p50: number; p99: number };
  toNotificationMs: { p50: number; p99: number };
  cases: number;
  assignments: number;
  /** Requests intake never accepted, by the last status it answered (empty when all were). */
  refusals: Record<number, number>;
  exactlyOnce: boolean;
}

const TOWNS = [
  '古里镇',
  '沙家浜镇',
  '尚湖镇',
  '辛庄镇',
  '支塘镇',
  '董浜镇',
  '梅李镇',
  '海虞镇',
  '碧溪街道',
  '东南街道',
  '莫城街道',
];

function tipBody(index: number, run: string, now: Date): { source: Source; body: unknown } {
  const town = TOWNS[index % TOWNS.length]!;
  const id = `load-${run}-${index}`;
  switch (index % 3) {
    case 0:
      return {
        source: '12336',
        body: make12336Tip({ reportId: id, location: { town, address: `${town}某村北侧` } }, now),
      };
    case 1:
      return {
        source: '12345',
        body: make12345Tip({ orderNo: id, region: `常熟市${town}`, address: `${town}某村七组` }, now),
      };
    default:
      return {
        source: 'city-management',
        body: makeCityManagementTip(
          { case: { caseNo: id, location: { street: town, description: `${town}某村` } } },
          now,
        ),
      };
  }
}

/** Attempts per request before a refused tip counts as a failure (429/503 are retried). */
const MAX_ATTEMPTS = 8;

const percentile = (values: number[], p: number) => {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
};

async function pool<T>(items: T[], concurrency: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) await work(items[next++]!);
    }),
  );
}

interface OutboxLine {
  caseId: string;
  kind: string;
  at: string;
}

export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const log = options.log ?? ((line: string) => console.log(line));
  let stop: (() => Promise<void>) | undefined;
  let url = options.url;
  let outboxFile = join(options.dataDir ?? '.local', 'outbox.jsonl');
  if (!url) {
    log('starting a local run …');
    const stack = await startTestStack(MEASURED_RUN);
    url = stack.url;
    outboxFile = stack.outboxFile;
    stop = stack.cleanup;
  }

  try {
    const run = `${Date.now().toString(36)}`;
    const sends: Array<{ index: number; resend: boolean }> = [];
    for (let index = 0; index < options.tips; index++) sends.push({ index, resend: false });
    const resends = Math.round(options.tips * options.resendShare);
    for (let i = 0; i < resends; i++)
      sends.push({ index: Math.floor((i * options.tips) / Math.max(resends, 1)), resend: true });
    // Interleave the re-sends with first sends, as retries arrive while new tips keep coming.
    sends.sort((a, b) => a.index - b.index || Number(a.resend) - Number(b.resend));

    const firstSentAt = new Map<number, number>();
    const tipIdOf = new Map<number, string>();
    const intakeLatencies: number[] = [];
    let failures = 0;
    const refusals: Record<number, number> = {};
    const bodies = new Map<number, { source: Source; raw: string }>();
    const started = Date.now();
    log(
      `sending ${options.tips} tips (+${resends} re-sends) at concurrency ${options.concurrency} to ${url} …`,
    );
    let scheduled = 0;
    await pool(sends, options.concurrency, async ({ index }) => {
      if (options.ratePerSec) {
        // Each send waits for its slot on the steady schedule (none when it is already late).
        const slot = started + (scheduled++ * 1000) / options.ratePerSec;
        if (slot > Date.now()) await new Promise((resolve) => setTimeout(resolve, slot - Date.now()));
      }
      let prepared = bodies.get(index);
      if (!prepared) {
        const { source, body } = tipBody(index, run, new Date());
        prepared = { source, raw: JSON.stringify(body) };
        bodies.set(index, prepared);
      }
      const sentAt = Date.now();
      if (!firstSentAt.has(index)) firstSentAt.set(index, sentAt);
      let status = 0;
      for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
        const response = await fetch(`${url}/v1/tips/${prepared.source}`, {
          method: 'POST',
          headers: webhookHeaders(DEV_SOURCE_SECRETS[prepared.source], prepared.raw),
          body: prepared.raw,
        });
        status = response.status;
        const payload = (await response.json()) as { tipId?: string };
        if (status === 202 && payload.tipId) {
          intakeLatencies.push(Date.now() - sentAt);
          tipIdOf.set(index, payload.tipId);
          return;
        }
        if (status !== 429 && status !== 503) break;
        // As a hotline system would: wait as long as Retry-After says, then send the same tip again.
        const retryAfterS = Number(response.headers.get('retry-after') ?? 1);
        await new Promise((resolve) => setTimeout(resolve, Math.min(retryAfterS, 5) * 1000));
      }
      failures += 1;
      refusals[status] = (refusals[status] ?? 0) + 1;
    });
    const intakeDone = Date.now();
    const acceptedPerSec = (sends.length - failures) / ((intakeDone - started) / 1000);
    log(
      `accepted ${sends.length - failures}/${sends.length} requests in ${intakeDone - started} ms (${acceptedPerSec.toFixed(0)}/s)`,
    );

    // Wait until every tip has a case and an assignment.
    const wanted = new Set(tipIdOf.values());
    const caseOfTip = new Map<string, { caseId: string; createdAt: string }>();
    const deadline = Date.now() + Math.max(120_000, options.tips * 300);
    let assignments = new Map<string, OutboxLine[]>();
    let caseCount = 0;
    for (;;) {
      caseOfTip.clear();
      caseCount = 0;
      let cursor: string | null = null;
      do {
        const page = (await (
          await fetch(`${url}/v1/cases?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, {
            headers: { authorization: `Bearer ${DEV_BRIGADE_TOKEN}` },
          })
        ).json()) as {
          items: Array<{ caseId: string; createdAt: string; tips: Array<{ tipId: string }> }>;
          cursor: string | null;
        };
        for (const item of page.items) {
          const ours = item.tips.filter((tip) => wanted.has(tip.tipId));
          if (ours.length > 0) caseCount += 1;
          for (const tip of ours)
            caseOfTip.set(tip.tipId, { caseId: item.caseId, createdAt: item.createdAt });
        }
        cursor = page.cursor;
      } while (cursor);
      const lines = (await readOutbox<OutboxLine>(outboxFile)).filter((line) => line.kind === 'assignment');
      assignments = new Map();
      for (const line of lines) assignments.set(line.caseId, [...(assignments.get(line.caseId) ?? []), line]);
      const notified = [...caseOfTip.values()].filter((c) => assignments.has(c.caseId)).length;
      if (caseOfTip.size === wanted.size && notified === wanted.size) break;
      if (Date.now() > deadline) {
        log(`timed out: ${caseOfTip.size}/${wanted.size} tips have a case, ${notified} notified`);
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }

    const toCase: number[] = [];
    const toNotification: number[] = [];
    let lastNotification = intakeDone;
    for (const [index, tipId] of tipIdOf) {
      const found = caseOfTip.get(tipId);
      if (!found) continue;
      const sent = firstSentAt.get(index)!;
      toCase.push(Date.parse(found.createdAt) - sent);
      const first = assignments.get(found.caseId)?.[0];
      if (first) {
        const at = Date.parse(first.at);
        toNotification.push(at - sent);
        lastNotification = Math.max(lastNotification, at);
      }
    }
    const ourAssignments = [...caseOfTip.values()].reduce(
      (sum, c) => sum + (assignments.get(c.caseId)?.length ?? 0),
      0,
    );
    const exactlyOnce =
      failures === 0 &&
      caseOfTip.size === options.tips &&
      caseCount === options.tips &&
      ourAssignments === options.tips;
    return {
      tips: options.tips,
      requests: sends.length,
      acceptedPerSec,
      e2eTipsPerSec: options.tips / ((lastNotification - started) / 1000),
      intakeLatencyMs: { p50: percentile(intakeLatencies, 50), p99: percentile(intakeLatencies, 99) },
      toCaseMs: { p50: percentile(toCase, 50), p99: percentile(toCase, 99) },
      toNotificationMs: { p50: percentile(toNotification, 50), p99: percentile(toNotification, 99) },
      cases: caseCount,
      assignments: ourAssignments,
      refusals,
      exactlyOnce,
    };
  } finally {
    await stop?.();
  }
}

function printResult(result: LoadResult): void {
  const rows: Array<[string, string]> = [
    ['tips (requests incl. re-sends)', `${result.tips} (${result.requests})`],
    ['accepted/s', result.acceptedPerSec.toFixed(0)],
    ['end-to-end tips/s (intake → assignment)', result.e2eTipsPerSec.toFixed(1)],
    ['intake latency p50 / p99', `${result.intakeLatencyMs.p50} / ${result.intakeLatencyMs.p99} ms`],
    ['intake → case p50 / p99', `${result.toCaseMs.p50} / ${result.toCaseMs.p99} ms`],
    ['intake → notification p50 / p99', `${result.toNotificationMs.p50} / ${result.toNotificationMs.p99} ms`],
    ['cases / assignments', `${result.cases} / ${result.assignments}`],
    [
      'requests refused (by status)',
      Object.entries(result.refusals)
        .map(([status, count]) => `${count} × ${status}`)
        .join(', ') || 'none',
    ],
    ['every tip in exactly one case, notified once', result.exactlyOnce ? 'yes' : 'NO'],
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  for (const [label, value] of rows) console.log(`${label.padEnd(width)}  ${value}`);
}

const isMain = process.argv[1]?.endsWith('load.ts');
if (isMain) {
  const { values } = parseArgs({
    options: {
      tips: { type: 'string', default: '300' },
      concurrency: { type: 'string', default: '20' },
      resend: { type: 'string', default: '0.2' },
      rate: { type: 'string' },
      url: { type: 'string' },
      'data-dir': { type: 'string' },
    },
  });
  const options: LoadOptions = {
    tips: Number(values.tips),
    concurrency: Number(values.concurrency),
    resendShare: Number(values.resend),
    ...(values.rate ? { ratePerSec: Number(values.rate) } : {}),
    ...(values.url ? { url: values.url } : {}),
    ...(values['data-dir'] ? { dataDir: values['data-dir'] } : {}),
  };
  if (
    !Number.isInteger(options.tips) ||
    options.tips < 1 ||
    !Number.isInteger(options.concurrency) ||
    options.concurrency < 1 ||
    (options.ratePerSec !== undefined && !(options.ratePerSec > 0))
  ) {
    console.error('load: --tips and --concurrency must be positive whole numbers, --rate a positive number');
    process.exit(2);
  }
  runLoad(options).then(
    (result) => {
      printResult(result);
      process.exit(result.exactlyOnce ? 0 : 1);
    },
    (error: unknown) => {
      console.error(`load: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    },
  );
}
