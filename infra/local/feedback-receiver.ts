/**
 * A stand-in for the three sources' feedback endpoints (contract 9), for `npm run demo` and the
 * tests: `POST /feedback/<source>` verifies each delivery with the `standardwebhooks` package's
 * `Webhook.verify` under that source's feedback secret (a delivery that does not verify is answered
 * 400 and kept apart), keeps what each source learnt in `sequence` order, and answers 200 unless
 * told to answer otherwise (`answerNext`), so that retries and a 410 can be shown.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { SOURCES, type Source } from '../../shared/domain/model.js';

export interface ReceivedFeedback {
  source: Source;
  webhookId: string;
  /** The body as sent. */
  body: {
    type: string;
    timestamp: string;
    data: Record<string, unknown> & { tipId: string; sequence: number };
  };
  /** What this receiver answered. */
  answered: number;
  receivedAt: Date;
}

export interface FeedbackReceiver {
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** The endpoint to configure as FEEDBACK_URL_<SOURCE>. */
  urlFor(source: Source): string;
  /** Every delivery that verified, in arrival order (with retries). */
  received: ReceivedFeedback[];
  /** Requests that did not verify (wrong secret, stale timestamp, not a source path). */
  rejected: number;
  /** The next answers of a source's endpoint, in order (then 200 again), e.g. 500, 500. */
  answerNext(source: Source, ...statuses: number[]): void;
  /** What a source learnt about a tip: one event per webhook-id, ordered by `sequence`. */
  learnt(source: Source, tipId: string): ReceivedFeedback[];
  close(): Promise<void>;
}

export async function startFeedbackReceiver(options: {
  /** 0 (default) picks a free port. */
  port?: number;
  secrets: Record<Source, string>;
  /** Called for each verified delivery (the demo prints it). */
  onDelivery?: (delivery: ReceivedFeedback) => void;
}): Promise<FeedbackReceiver> {
  const received: ReceivedFeedback[] = [];
  const scripted = new Map<Source, number[]>();
  const verifiers = Object.fromEntries(
    SOURCES.map((source) => [source, new Webhook(options.secrets[source])]),
  ) as Record<Source, Webhook>;
  let rejected = 0;

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const source = SOURCES.find((each) => request.url === `/feedback/${each}`);
    let body: ReceivedFeedback['body'];
    try {
      if (!source || request.method !== 'POST') throw new Error('not a feedback endpoint');
      const headers = Object.fromEntries(
        Object.entries(request.headers).map(([name, value]) => [name, String(value)]),
      );
      body = verifiers[source].verify(raw, headers) as ReceivedFeedback['body'];
    } catch {
      rejected += 1;
      response.writeHead(400).end();
      return;
    }
    const answered = scripted.get(source)?.shift() ?? 200;
    const delivery: ReceivedFeedback = {
      source,
      webhookId: String(request.headers['webhook-id']),
      body,
      answered,
      receivedAt: new Date(),
    };
    received.push(delivery);
    options.onDelivery?.(delivery);
    response.writeHead(answered, answered === 429 || answered === 503 ? { 'retry-after': '1' } : {}).end();
  };

  const server = createServer((request, response) => {
    handle(request, response).catch(() => response.writeHead(500).end());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    urlFor: (source) => `${url}/feedback/${source}`,
    received,
    get rejected() {
      return rejected;
    },
    answerNext(source, ...statuses) {
      scripted.set(source, [...(scripted.get(source) ?? []), ...statuses]);
    },
    learnt(source, tipId) {
      const seen = new Map<string, ReceivedFeedback>();
      for (const delivery of received) {
        if (delivery.source !== source || delivery.body.data.tipId !== tipId) continue;
        if (delivery.answered >= 200 && delivery.answered < 300) seen.set(delivery.webhookId, delivery);
      }
      return [...seen.values()].sort((a, b) => a.body.data.sequence - b.body.data.sequence);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
