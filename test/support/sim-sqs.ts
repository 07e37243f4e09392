/**
 * A deterministic, in-memory SQS for fault-injection tests: visibility timeouts on a virtual clock,
 * receive counts, redrive to a dead-letter queue after `maxReceiveCount`, and a redrive back. It
 * behaves like SQS in the ways the pipeline's guarantees depend on, and nothing more.
 */
export interface SimMessage {
  id: string;
  body: string;
  receiveCount: number;
  visibleAt: number;
}

export class SimQueue {
  private messages: SimMessage[] = [];
  private nextId = 0;
  readonly dlq: SimQueue | undefined;

  constructor(
    readonly name: string,
    private readonly clock: { now(): number },
    private readonly options: { visibilityMs: number; maxReceiveCount?: number; withDlq?: boolean } = {
      visibilityMs: 30_000,
    },
  ) {
    this.dlq = options.withDlq
      ? new SimQueue(`${name}-dlq`, clock, { visibilityMs: options.visibilityMs })
      : undefined;
  }

  send(body: string): void {
    this.messages.push({
      id: `${this.name}-${this.nextId++}`,
      body,
      receiveCount: 0,
      visibleAt: this.clock.now(),
    });
  }

  /** Visible messages, up to `max`; each becomes invisible for the visibility timeout. */
  receive(max = 10): SimMessage[] {
    const now = this.clock.now();
    this.moveExhaustedToDlq(now);
    const batch: SimMessage[] = [];
    for (const message of this.messages) {
      if (batch.length >= max) break;
      if (message.visibleAt > now) continue;
      message.receiveCount += 1;
      message.visibleAt = now + this.options.visibilityMs;
      batch.push({ ...message });
    }
    return batch;
  }

  delete(id: string): void {
    this.messages = this.messages.filter((message) => message.id !== id);
  }

  /** Like SQS: a message received maxReceiveCount times moves to the DLQ when it would be received again. */
  private moveExhaustedToDlq(now: number): void {
    const max = this.options.maxReceiveCount;
    if (!max || !this.dlq) return;
    for (const message of [...this.messages]) {
      if (message.visibleAt <= now && message.receiveCount >= max) {
        this.delete(message.id);
        this.dlq.send(message.body);
      }
    }
  }

  /** Moves every DLQ message back to this queue with a fresh receive count (StartMessageMoveTask). */
  redrive(): number {
    if (!this.dlq) return 0;
    const moved = this.dlq.messages.splice(0);
    for (const message of moved) this.send(message.body);
    return moved.length;
  }

  get depth(): number {
    return this.messages.length;
  }
}
