import type { AddressInfo } from 'node:net';
import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { type SesSendEmailInput, sesEmailChannel } from '../../shared/adapters/email/ses.js';
import { SmtpError, smtpEmailChannel, smtpMessage } from '../../shared/adapters/email/smtp.js';
import type { Notification } from '../../shared/domain/model.js';

const notification: Notification = {
  id: 'ntf_abc',
  at: '2026-11-28T01:16:00.000Z',
  audience: 'bureau',
  target: 'bureau:guli',
  caseId: 'case_1',
  kind: 'assignment',
  subject: '【交办】案件2026-000042（古里镇）',
  sms: '【常熟国土】新交办案件2026-000042（古里镇），请于11月30日23:59前签收。',
  email: '请古里镇国土分局（所）接收以下案件并按时处置。\n.以点开头的一行\n案件编号：2026-000042',
};

describe('SES e-mail', () => {
  it('sends the subject and the full text to all of the target addresses from the verified sender', async () => {
    const sent: SesSendEmailInput[] = [];
    const channel = sesEmailChannel({ from: 'landline@example.gov.cn' }, async () => ({
      sendEmail: async (input) => {
        sent.push(input);
        return {};
      },
    }));
    await channel.send(notification, ['a@example.org', 'b@example.org']);
    expect(sent).toEqual([
      {
        FromEmailAddress: 'landline@example.gov.cn',
        Destination: { ToAddresses: ['a@example.org', 'b@example.org'] },
        Content: {
          Simple: {
            Subject: { Data: notification.subject, Charset: 'UTF-8' },
            Body: { Text: { Data: notification.email, Charset: 'UTF-8' } },
          },
        },
        EmailTags: [{ Name: 'kind', Value: 'assignment' }],
      },
    ]);
  });
});

/** A relay on 127.0.0.1 speaking enough SMTP for one message; `fail` answers that command with 550. */
function startRelay(options: { fail?: string } = {}) {
  const commands: string[] = [];
  let data = '';
  const server: Server = createServer((socket: Socket) => {
    socket.setEncoding('utf8');
    socket.write('220 relay.example ESMTP\r\n');
    let buffer = '';
    let inData = false;
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      for (let end = buffer.indexOf('\r\n'); end >= 0; end = buffer.indexOf('\r\n')) {
        const line = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (inData) {
          if (line === '.') {
            inData = false;
            socket.write('250 2.0.0 queued\r\n');
          } else data += `${line}\n`;
          continue;
        }
        commands.push(line);
        const verb = line.split(/[ :]/)[0]!.toUpperCase();
        if (options.fail && line.startsWith(options.fail)) socket.write('550 5.1.1 no such user\r\n');
        else if (verb === 'EHLO') socket.write('250-relay.example\r\n250 AUTH LOGIN PLAIN\r\n');
        else if (verb === 'AUTH') socket.write('334 VXNlcm5hbWU6\r\n');
        else if (commands.at(-2) === 'AUTH LOGIN') socket.write('334 UGFzc3dvcmQ6\r\n');
        else if (commands.at(-3) === 'AUTH LOGIN') socket.write('235 2.7.0 accepted\r\n');
        else if (verb === 'DATA') {
          inData = true;
          socket.write('354 go ahead\r\n');
        } else if (verb === 'QUIT') socket.end('221 bye\r\n');
        else socket.write('250 ok\r\n');
      }
    });
  });
  return {
    commands,
    data: () => data,
    port: () =>
      new Promise<number>((resolve) =>
        server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)),
      ),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('SMTP relay e-mail', () => {
  let relay: ReturnType<typeof startRelay> | undefined;
  afterEach(async () => relay?.close());

  it('logs in and sends one UTF-8 message to every address, then says goodbye', async () => {
    relay = startRelay();
    const port = await relay.port();
    const channel = smtpEmailChannel({
      host: '127.0.0.1',
      port,
      security: 'plain',
      from: 'landline@example.gov.cn',
      credentials: async () => ({ username: 'landline', password: 'pa55' }),
      now: () => new Date('2026-11-28T01:16:00Z'),
    });
    await channel.send(notification, ['a@example.org', 'b@example.org']);
    expect(relay.commands).toEqual([
      'EHLO landline',
      'AUTH LOGIN',
      Buffer.from('landline').toString('base64'),
      Buffer.from('pa55').toString('base64'),
      'MAIL FROM:<landline@example.gov.cn>',
      'RCPT TO:<a@example.org>',
      'RCPT TO:<b@example.org>',
      'DATA',
      'QUIT',
    ]);
    const [headers, body] = relay.data().split('\n\n') as [string, string];
    expect(headers).toContain(`Subject: =?UTF-8?B?${Buffer.from(notification.subject).toString('base64')}?=`);
    expect(headers).toContain('Content-Type: text/plain; charset=UTF-8');
    expect(Buffer.from(body.replace(/\n/g, ''), 'base64').toString('utf8')).toBe(notification.email);
  });

  it('names the step the relay refused', async () => {
    relay = startRelay({ fail: 'RCPT TO:<b@' });
    const port = await relay.port();
    const channel = smtpEmailChannel({
      host: '127.0.0.1',
      port,
      security: 'plain',
      from: 'landline@example.gov.cn',
    });
    const sent = channel.send(notification, ['a@example.org', 'b@example.org']);
    await expect(sent).rejects.toThrow(SmtpError);
    await expect(sent).rejects.toThrow(/RCPT TO failed: 550/);
  });

  it('writes a message whose lines starting with a dot survive the transfer', () => {
    const message = smtpMessage(
      { ...notification, email: '.\n..' },
      'a@example.org',
      ['b@example.org'],
      new Date(0),
    );
    expect(message).toContain('Date: Thu, 01 Jan 1970 00:00:00 +0000');
    expect(message).toContain('Message-ID: <ntf_abc.');
  });
});
