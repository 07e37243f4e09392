/** In-memory feedback ports (contract 9), with the DynamoDB adapters' rules, for use-case tests. */
import type { AttemptResult, EndpointDisabled, FeedbackDelivery } from '../../shared/domain/feedback.js';
import type { Source } from '../../shared/domain/model.js';
import type {
  DeliveryFilter,
  DeliveryPage,
  DeliveryStore,
  FeedbackEndpoint,
  FeedbackQueue,
  WebhookTransport,
} from '../../shared/ports/feedback.js';

const clone = <T>(value: T): T => structuredClone(value);

export class MemoryDeliveryStore implements DeliveryStore {
  readonly deliveries = new Map<string, FeedbackDelivery>();
  readonly disabled = new Map<Source, EndpointDisabled>();
  /** Makes the next putDelivery calls throw (the sender "crashes" there). */
  failPuts = 0;

  add(delivery: FeedbackDelivery): void {
    this.deliveries.set(delivery.deliveryId, clone(delivery));
  }
  async getDelivery(deliveryId: string) {
    const found = this.deliveries.get(deliveryId);
    return found && clone(found);
  }
  async putDelivery(updated: FeedbackDelivery, expectedVersion: number) {
    if (this.failPuts > 0) {
      this.failPuts -= 1;
      throw new Error('the sender stopped here');
    }
    if (this.deliveries.get(updated.deliveryId)?.version !== expectedVersion) return false;
    this.deliveries.set(updated.deliveryId, clone(updated));
    return true;
  }
  async dueDeliveries(now: Date, limit: number) {
    return [...this.deliveries.values()]
      .filter((d) => d.status === 'pending' && d.relayAt !== null && d.relayAt < now.toISOString())
      .sort((a, b) => (a.relayAt ?? '').localeCompare(b.relayAt ?? ''))
      .slice(0, limit)
      .map((d) => d.deliveryId);
  }
  async listDeliveries(filter: DeliveryFilter, limit: number, cursor?: string): Promise<DeliveryPage> {
    const all = [...this.deliveries.values()]
      .filter((d) => !filter.source || d.source === filter.source)
      .filter((d) => !filter.status || d.status === filter.status)
      .sort((a, b) => `${b.createdAt}#${b.deliveryId}`.localeCompare(`${a.createdAt}#${a.deliveryId}`));
    const start = cursor ? Number(cursor) : 0;
    return {
      items: all.slice(start, start + limit).map(clone),
      cursor: start + limit < all.length ? String(start + limit) : null,
    };
  }
  async endpointDisabled(source: Source) {
    return this.disabled.get(source);
  }
  async disableEndpoint(incident: EndpointDisabled) {
    const existing = this.disabled.get(incident.source);
    if (existing) return existing;
    this.disabled.set(incident.source, incident);
    return incident;
  }
  async enableEndpoint(source: Source) {
    this.disabled.delete(source);
  }
}

export class MemoryFeedbackQueue implements FeedbackQueue {
  readonly sent: Array<{ deliveryId: string; delaySeconds: number }> = [];
  async send(deliveryId: string, delaySeconds = 0) {
    this.sent.push({ deliveryId, delaySeconds });
  }
  /** Takes every message queued so far. */
  take(): string[] {
    return this.sent.splice(0).map((message) => message.deliveryId);
  }
}

/** Answers each request with the next scripted result (default 200), and keeps every request. */
export class ScriptedTransport implements WebhookTransport {
  readonly requests: Array<{ url: string; webhookId: string; body: string }> = [];
  readonly script: AttemptResult[] = [];
  answer(...results: Array<number | AttemptResult>): this {
    for (const result of results)
      this.script.push(typeof result === 'number' ? { responseCode: result, latencyMs: 12 } : result);
    return this;
  }
  async deliver(request: { endpoint: FeedbackEndpoint; webhookId: string; body: string }) {
    this.requests.push({ url: request.endpoint.url, webhookId: request.webhookId, body: request.body });
    return this.script.shift() ?? { responseCode: 200, latencyMs: 12 };
  }
}
