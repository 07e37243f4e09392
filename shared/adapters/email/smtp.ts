/**
 * E-mail through an SMTP relay (the city's government mail system, or any relay the deployment is
 * allowed to use): for the China regions, which have no SES, when SNS e-mail is not wanted. A small
 * client on node:tls: implicit TLS (port 465) or STARTTLS (587), AUTH LOGIN with the relay account
 * from Secrets Manager, one message per notification to all of the target's addresses, UTF-8 text
 * in base64 with an RFC 2047 subject. Anything but the expected reply is an error naming the step,
 * and the notification is retried by its queue.
 */
import { randomUUID } from 'node:crypto';
import { connect as netConnect, type Socket } from 'node:net';
import { type TLSSocket, connect as tlsConnect } from 'node:tls';
import type { Notification } from '../../domain/model.js';
import type { EmailChannel } from '../../ports/sms.js';
import type { CredentialSource } from '../sms/credentials.js';

export const SMTP_CREDENTIAL_FIELDS = ['username', 'password'] as const;
const TIMEOUT_MS = 15_000;

export interface SmtpOptions {
  readonly host: string;
  readonly port: number;
  /** `tls`: implicit TLS (465); `starttls`: upgrade after EHLO (587); `plain` only for tests. */
  readonly security: 'tls' | 'starttls' | 'plain';
  readonly from: string;
  /** The relay account; absent for a relay that accepts the deployment's address without login. */
  readonly credentials?: CredentialSource;
  /** The name this client greets with. */
  readonly clientName?: string;
  readonly now?: () => Date;
}

export class SmtpError extends Error {
  constructor(step: string, reply: string) {
    super(`SMTP ${step} failed: ${reply.slice(0, 200)}`);
    this.name = 'SmtpError';
  }
}

/** Reads SMTP replies (`250-…` continuation lines, then `250 …`) from a socket. */
class ReplyReader {
  private buffer = '';
  private waiting: ((reply: string) => void) | undefined;
  private failed: Error | undefined;
  private failWaiting: ((error: Error) => void) | undefined;
  private readonly replies: string[] = [];

  constructor(private socket: Socket | TLSSocket) {
    this.attach(socket);
  }

  attach(socket: Socket | TLSSocket): void {
    this.socket = socket;
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => this.onData(chunk));
    socket.on('error', (error) => this.fail(error));
    socket.on('close', () => this.fail(new Error('the relay closed the connection')));
    socket.setTimeout(TIMEOUT_MS, () => socket.destroy(new Error('the relay did not answer in time')));
  }

  detach(): Socket | TLSSocket {
    this.socket.removeAllListeners('data');
    this.socket.removeAllListeners('error');
    this.socket.removeAllListeners('close');
    this.socket.setTimeout(0);
    return this.socket;
  }

  private onData(chunk: string): void {
    this.buffer += chunk;
    let end = this.buffer.indexOf('\r\n');
    let lines: string[] = [];
    while (end >= 0) {
      const line = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + 2);
      lines.push(line);
      if (/^\d{3} /.test(line) || /^\d{3}$/.test(line)) {
        this.replies.push(lines.join('\n'));
        lines = [];
      }
      end = this.buffer.indexOf('\r\n');
    }
    if (lines.length > 0) this.buffer = `${lines.join('\r\n')}\r\n${this.buffer}`;
    this.flush();
  }

  private fail(error: Error): void {
    this.failed ??= error;
    this.failWaiting?.(error);
  }

  private flush(): void {
    if (this.waiting && this.replies.length > 0) {
      const resolve = this.waiting;
      this.waiting = undefined;
      this.failWaiting = undefined;
      resolve(this.replies.shift() as string);
    }
  }

  next(): Promise<string> {
    if (this.replies.length > 0) return Promise.resolve(this.replies.shift() as string);
    if (this.failed) return Promise.reject(this.failed);
    return new Promise((resolve, reject) => {
      this.waiting = resolve;
      this.failWaiting = reject;
    });
  }
}

const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');
const wrap76 = (text: string) => text.replace(/.{1,76}/g, '$&\r\n');
const encodedWord = (text: string) => `=?UTF-8?B?${b64(text)}?=`;

/** The RFC 5322 message of a notification. */
export function smtpMessage(
  notification: Notification,
  from: string,
  to: readonly string[],
  now: Date,
): string {
  const domain = from.split('@')[1] ?? 'landline.invalid';
  const headers = [
    `From: ${from}`,
    `To: ${to.join(', ')}`,
    `Subject: ${encodedWord(notification.subject)}`,
    `Date: ${now.toUTCString().replace('GMT', '+0000')}`,
    `Message-ID: <${notification.id}.${randomUUID()}@${domain}>`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=UTF-8',
    'Content-Transfer-Encoding: base64',
    `X-Landline-Kind: ${notification.kind}`,
  ];
  return `${headers.join('\r\n')}\r\n\r\n${wrap76(b64(notification.email))}`;
}

export function smtpEmailChannel(options: SmtpOptions): EmailChannel {
  return {
    name: 'smtp',
    async send(notification: Notification, to: readonly string[]): Promise<void> {
      const credentials = options.credentials ? await options.credentials() : undefined;
      const socket =
        options.security === 'tls'
          ? tlsConnect({ host: options.host, port: options.port, servername: options.host })
          : netConnect({ host: options.host, port: options.port });
      const reader = new ReplyReader(socket);
      let current: Socket | TLSSocket = socket;
      const expect = async (step: string, codes: readonly string[]) => {
        const reply = await reader.next();
        if (!codes.includes(reply.slice(0, 3))) throw new SmtpError(step, reply);
        return reply;
      };
      const command = async (line: string, step: string, codes: readonly string[]) => {
        current.write(`${line}\r\n`);
        return expect(step, codes);
      };
      const name = options.clientName ?? 'landline';
      try {
        await expect('greeting', ['220']);
        let ehlo = await command(`EHLO ${name}`, 'EHLO', ['250']);
        if (options.security === 'starttls') {
          if (!/STARTTLS/i.test(ehlo)) throw new SmtpError('STARTTLS', 'the relay does not offer STARTTLS');
          await command('STARTTLS', 'STARTTLS', ['220']);
          const plain = reader.detach();
          current = tlsConnect({ socket: plain, servername: options.host });
          reader.attach(current);
          ehlo = await command(`EHLO ${name}`, 'EHLO', ['250']);
        }
        if (credentials) {
          await command('AUTH LOGIN', 'AUTH', ['334']);
          await command(b64(credentials.username ?? ''), 'AUTH username', ['334']);
          await command(b64(credentials.password ?? ''), 'AUTH password', ['235']);
        }
        await command(`MAIL FROM:<${options.from}>`, 'MAIL FROM', ['250']);
        for (const address of to) await command(`RCPT TO:<${address}>`, 'RCPT TO', ['250', '251']);
        await command('DATA', 'DATA', ['354']);
        const body = smtpMessage(notification, options.from, to, options.now?.() ?? new Date())
          // Dot-stuffing: a line that starts with "." gets another.
          .replace(/^\./gm, '..');
        await command(`${body}\r\n.`, 'message', ['250']);
        // The message is accepted; a relay that hangs up instead of saying goodbye changes nothing.
        await command('QUIT', 'QUIT', ['221']).catch(() => undefined);
      } finally {
        current.end();
      }
    },
  };
}
