/**
 * The feedback part of `npm run demo` (contract 9): before the tips go out, a receiver for the three
 * sources listens where `npm start` sends their feedback by default (the port after the stack's);
 * once the tips are routed, each routed case is signed for and closed with a reply by its bureau, and
 * the demo prints what each source learnt, every delivery verified with `standardwebhooks`.
 */
import { feedbackSecretVariable } from '../../shared/config/feedback-variables.js';
import { FEEDBACK_TYPE_LABELS, RESOLUTION_LABELS } from '../../shared/domain/labels.js';
import { SOURCES, type Source } from '../../shared/domain/model.js';
import { DEV_FEEDBACK_SECRETS } from './dev-defaults.js';
import { type FeedbackReceiver, type ReceivedFeedback, startFeedbackReceiver } from './feedback-receiver.js';

export interface DemoTip {
  source: Source;
  externalId: string;
  tipId: string;
  caseId?: string;
  area?: string | null;
}

type Request = (path: string, init?: RequestInit) => Promise<Response>;

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

function describe(delivery: ReceivedFeedback): string {
  const { type, data } = delivery.body;
  const label = FEEDBACK_TYPE_LABELS[type] ?? type;
  const detail =
    type === 'tip.routed'
      ? `（${String(data.areaName)}，办结时限 ${String(data.dueAt).slice(0, 16).replace('T', ' ')}）`
      : type === 'case.closed'
        ? `：${RESOLUTION_LABELS[String(data.resolution)] ?? ''}，答复「${String(data.reply ?? '')}」`
        : '';
  return `#${data.sequence} ${type} ${label}${detail}`;
}

/** Starts the receiver, or says in one line why the demo goes on without it. */
export async function startDemoFeedback(stackPort: number): Promise<FeedbackReceiver | undefined> {
  const secrets = Object.fromEntries(
    SOURCES.map((source) => [
      source,
      process.env[feedbackSecretVariable(source)]?.trim().split(/\s+/)[0] || DEV_FEEDBACK_SECRETS[source],
    ]),
  ) as Record<Source, string>;
  try {
    return await startFeedbackReceiver({ port: stackPort + 1, secrets });
  } catch (error) {
    console.log(
      `(feedback receiver not started on port ${stackPort + 1}: ${(error as Error).message}; the demo goes on without it)`,
    );
    return undefined;
  }
}

/** Acknowledges and closes each routed case as its bureau, then prints what each source learnt. */
export async function showFeedback(
  receiver: FeedbackReceiver,
  tips: DemoTip[],
  request: Request,
): Promise<void> {
  for (const tip of tips) {
    if (!tip.caseId || !tip.area) continue;
    const act = (body: unknown) =>
      request(`/v1/cases/${encodeURIComponent(tip.caseId!)}/events`, {
        method: 'POST',
        headers: { authorization: `Bearer dev-bureau-${tip.area}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    await act({ type: 'acknowledge', eventId: `demo-ack-${tip.tipId}` });
    await act({
      type: 'close',
      eventId: `demo-close-${tip.tipId}`,
      outcome: '经现场核查，违法建设已自行拆除，土地已复耕',
      reply: '您反映的问题已核查处理：违建已拆除、土地已复耕。感谢您的监督。',
      resolution: 'resolved',
    });
  }
  const expected = (tip: DemoTip) => (tip.area ? 3 : 1);
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (tips.every((tip) => receiver.learnt(tip.source, tip.tipId).length >= expected(tip))) break;
    await sleep(300);
  }
  console.log(`\nWhat each source learnt (feedback verified with standardwebhooks at ${receiver.url}):`);
  for (const tip of tips) {
    const learnt = receiver.learnt(tip.source, tip.tipId);
    const line = learnt.length > 0 ? learnt.map(describe).join(' → ') : '(nothing yet)';
    console.log(`${tip.source.padEnd(15)} ${tip.externalId.padEnd(28)} ${line}`);
  }
  if (receiver.received.length === 0)
    console.log(
      `(no feedback arrived: start the stack with FEEDBACK_URL_<SOURCE> unset, or pointing at ${receiver.urlFor('12345')} and its siblings)`,
    );
  if (receiver.rejected > 0)
    console.log(
      `(${receiver.rejected} request(s) did not verify: is FEEDBACK_SECRET_<SOURCE> the same for both?)`,
    );
}
