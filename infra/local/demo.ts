/**
 * `npm run demo`: sends sample tips from every source (plus one that no area can take) to a running
 * local stack, waits for each to be routed, and prints where it went and what each source heard;
 * then a bureau records a patrol with a finding, and the demo prints its monthly report.
 */

import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Webhook } from 'standardwebhooks';
import { formatShanghai } from '../../shared/domain/calendar.js';
import type { Source } from '../../shared/domain/model.js';
import { SOURCE_MODULES } from '../../shared/domain/sources/index.js';
import { type DemoTip, showFeedback, startDemoFeedback } from './demo-feedback.js';
import { demoPatrol } from './demo-patrol.js';
import {
  DEFAULT_DATA_DIR,
  DEFAULT_PORT,
  DEV_BRIGADE_TOKEN,
  DEV_SOURCE_SECRETS,
  SOURCE_SECRET_VARS,
} from './dev-defaults.js';

const baseUrl = (process.env.LANDLINE_URL ?? `http://127.0.0.1:${process.env.PORT || DEFAULT_PORT}`).replace(
  /\/$/,
  '',
);
const outboxFile = join(process.env.DATA_DIR || DEFAULT_DATA_DIR, 'outbox.jsonl');
const brigadeToken = process.env.DEMO_TOKEN ?? DEV_BRIGADE_TOKEN;

class DemoError extends Error {}

/** ISO 8601 in Asia/Shanghai (+08:00), `minutesAgo` before now: sources send local times. */
const shanghaiTime = (minutesAgo: number): string => formatShanghai(Date.now() - minutesAgo * 60_000);

function sampleTips(run: string): Array<{ source: Source; externalId: string; body: unknown }> {
  const day = shanghaiTime(0).slice(0, 10).replaceAll('-', '');
  const reportId = `12336-320581-${day}-${run}`;
  const orderNo = `GD${day}${run}`;
  const caseNo = `CS${day}${run}`;
  const strayId = `12336-320582-${day}-${run}`;
  // The contract's own examples, with fresh ids and times so that every run makes new cases.
  const examples = {
    '12336': SOURCE_MODULES['12336'].example,
    '12345': SOURCE_MODULES['12345'].example,
    'city-management': SOURCE_MODULES['city-management'].example,
  };
  const { handlingDeadline: _ignored, ...order } = examples['12345'];
  const { dueAt: _due, ...dispatched } = examples['city-management'].case;
  return [
    {
      source: '12336',
      externalId: reportId,
      body: { ...examples['12336'], reportId, receivedAt: shanghaiTime(20) },
    },
    {
      source: '12345',
      externalId: orderNo,
      body: { ...order, orderNo, createdAt: shanghaiTime(15) },
    },
    {
      source: 'city-management',
      externalId: caseNo,
      body: { ...examples['city-management'], case: { ...dispatched, caseNo, reportedAt: shanghaiTime(30) } },
    },
    {
      // Outside 常熟市: no area can take it, so it waits for the brigade (triage).
      source: '12336',
      externalId: strayId,
      body: {
        reportId: strayId,
        receivedAt: shanghaiTime(5),
        channel: 'web',
        location: { address: '张家港市杨舍镇某村东侧' },
        description: '有人在耕地上堆土搭建简易房',
      },
    },
  ];
}

function secretFor(source: Source): string {
  const configured = process.env[SOURCE_SECRET_VARS[source]]?.trim().split(/\s+/)[0];
  return configured || DEV_SOURCE_SECRETS[source];
}

async function request(path: string, init: RequestInit = {}): Promise<Response> {
  try {
    return await fetch(`${baseUrl}${path}`, { ...init, signal: AbortSignal.timeout(5_000) });
  } catch {
    throw new DemoError(
      `No local stack answers at ${baseUrl}: start it with \`npm start\` in another terminal, then run npm run demo again.`,
    );
  }
}

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

async function waitUntilReady(): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const response = await request('/health');
    if (response.ok) return;
    if (Date.now() > deadline)
      throw new DemoError(`The local stack at ${baseUrl} is not ready (health: ${response.status}).`);
    await sleep(500);
  }
}

async function sendTip(source: Source, body: unknown): Promise<string> {
  const payload = JSON.stringify(body);
  const id = `msg_${randomUUID()}`;
  const now = new Date();
  const signature = new Webhook(secretFor(source)).sign(id, now, payload);
  const response = await request(`/v1/tips/${source}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'webhook-id': id,
      'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
      'webhook-signature': signature,
    },
    body: payload,
  });
  const answer = (await response.json().catch(() => ({}))) as {
    tipId?: string;
    error?: { code?: string; message?: string };
  };
  if (response.status !== 202 || !answer.tipId) {
    throw new DemoError(
      `POST /v1/tips/${source} answered ${response.status} ${answer.error?.code ?? ''}: ${answer.error?.message ?? 'no tip id'}`,
    );
  }
  return answer.tipId;
}

const auth = { authorization: `Bearer ${brigadeToken}` };

interface TipView {
  status: string;
  caseId: string;
}

async function waitForTip(tipId: string): Promise<TipView | undefined> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const response = await request(`/v1/tips/${encodeURIComponent(tipId)}`, { headers: auth });
    if (response.ok) return (await response.json()) as TipView;
    if (response.status !== 404) {
      throw new DemoError(
        `GET /v1/tips/${tipId} answered ${response.status}; is DEMO_TOKEN a brigade token?`,
      );
    }
    await sleep(300);
  }
  return undefined;
}

async function outboxLines(caseId: string): Promise<number> {
  try {
    const text = await readFile(outboxFile, 'utf8');
    return text
      .split('\n')
      .filter(Boolean)
      .filter((line) => {
        try {
          return (JSON.parse(line) as { caseId?: string }).caseId === caseId;
        } catch {
          return false;
        }
      }).length;
  } catch {
    return 0;
  }
}

async function main(): Promise<void> {
  await waitUntilReady();
  // Contract 9: listen where the stack sends the sources' feedback by default (PORT + 1).
  const receiver = await startDemoFeedback(Number(new URL(baseUrl).port || DEFAULT_PORT));
  const routed: DemoTip[] = [];
  const run = String(Date.now()).slice(-6);
  const tips = sampleTips(run);
  console.log(`Sending ${tips.length} tips to ${baseUrl} (run ${run}) …`);
  const sent = [];
  for (const tip of tips) sent.push({ ...tip, tipId: await sendTip(tip.source, tip.body) });

  let unfinished = 0;
  for (const tip of sent) {
    const view = await waitForTip(tip.tipId);
    const head = `${tip.source.padEnd(15)} ${tip.externalId.padEnd(28)} ${tip.tipId}`;
    if (!view) {
      unfinished += 1;
      console.log(`${head}  still queued after 20 s`);
      continue;
    }
    const caseResponse = await request(`/v1/cases/${encodeURIComponent(view.caseId)}`, { headers: auth });
    const found = caseResponse.ok
      ? ((await caseResponse.json()) as { caseNo?: string; area?: string | null; district?: string | null })
      : {};
    // Notifications follow routing through a second queue: wait until their count settles.
    let notifications = await outboxLines(view.caseId);
    for (let tries = 0; tries < 15; tries += 1) {
      await sleep(400);
      const again = await outboxLines(view.caseId);
      if (again === notifications && again > 0) break;
      notifications = again;
    }
    routed.push({ ...tip, caseId: view.caseId, area: found.area ?? null });
    const where = found.area ? `${found.area}/${found.district ?? '-'}` : 'triage (brigade)';
    console.log(
      `${head}  ${view.status.padEnd(7)} case ${found.caseNo ?? view.caseId}  ${where}  outbox: ${notifications} line(s)`,
    );
  }
  console.log(`Outbox: ${outboxFile}`);
  if (receiver) {
    try {
      await showFeedback(receiver, routed, request);
    } finally {
      await receiver.close();
    }
  }
  // Contract sections 7 and 8: a patrol with a finding, and the bureau's report of this month.
  await demoPatrol(request);
  if (unfinished > 0)
    throw new DemoError(`${unfinished} tip(s) were not routed in time; see the npm start terminal.`);
}

main().catch((error: unknown) => {
  console.error(error instanceof DemoError ? `demo: ${error.message}` : error);
  process.exit(1);
});
