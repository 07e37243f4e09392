/**
 * Notifier for the local run: one JSON line per notification appended to the outbox file
 * (contract section 5). Appends of one line are atomic enough for a single process; each line is
 * written with one write call so concurrent consumers never interleave within a line.
 */
import { appendFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Notification } from '../domain/model.js';
import type { Notifier } from '../ports/index.js';

export class OutboxNotifier implements Notifier {
  private ready: Promise<unknown> | undefined;

  constructor(private readonly file: string) {}

  async send(notification: Notification): Promise<void> {
    this.ready ??= mkdir(dirname(this.file), { recursive: true });
    await this.ready;
    await appendFile(this.file, `${JSON.stringify(notification)}\n`, 'utf8');
  }
}
