/**
 * Each SMS channel against its provider's request shape. The domestic providers' real SDKs run
 * unchanged and send to a local HTTP server standing in for the provider (the mocked transport):
 * what arrives there is what Alibaba Cloud or Tencent Cloud would receive, signature headers
 * included. SNS is checked with aws-sdk-client-mock like the other AWS adapters.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { aliyunSmsChannel } from '../../shared/adapters/sms/aliyun.js';
import { SmsCredentialsError, smsCredentials } from '../../shared/adapters/sms/credentials.js';
import { fakeSmsChannel } from '../../shared/adapters/sms/fake.js';
import { snsSmsChannel } from '../../shared/adapters/sms/sns.js';
import { SmsTemplateNotConfiguredError } from '../../shared/adapters/sms/templates.js';
import { tencentSmsChannel } from '../../shared/adapters/sms/tencent.js';
import type { SmsMessage } from '../../shared/ports/sms.js';

interface Received {
  method: string;
  url: URL;
  headers: IncomingMessage['headers'];
  body: string;
}

/** A provider endpoint on 127.0.0.1 that records each request and answers the queued responses. */
class FakeProvider {
  readonly received: Received[] = [];
  private readonly answers: unknown[] = [];
  private server: Server | undefined;

  async start(): Promise<string> {
    this.server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => {
        body += chunk.toString('utf8');
      });
      request.on('end', () => {
        this.received.push({
          method: request.method ?? '',
          url: new URL(request.url ?? '/', 'http://provider'),
          headers: request.headers,
          body,
        });
        response.setHeader('content-type', 'application/json');
        response.end(JSON.stringify(this.answers.shift() ?? {}));
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  answer(...bodies: unknown[]): void {
    this.answers.push(...bodies);
  }

  reset(): void {
    this.received.length = 0;
    this.answers.length = 0;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }
}

const message: SmsMessage = {
  reference: 'case_1|assignment|bureau:guli|sms|ph_abc',
  phone: '+8613912345678',
  template: 'assignment',
  variables: [
    { name: 'caseNo', value: '2026-000042' },
    { name: 'place', value: '古里镇' },
    { name: 'due', value: '请于11月30日23:59前签收' },
  ],
  text: '【常熟国土】新交办案件2026-000042（古里镇），请于11月30日23:59前签收。',
};

describe('Alibaba Cloud SMS', () => {
  const provider = new FakeProvider();
  let endpoint: string;
  beforeAll(async () => {
    endpoint = await provider.start();
  });
  afterEach(() => provider.reset());
  afterAll(() => provider.stop());

  const channel = () =>
    aliyunSmsChannel({
      signName: '常熟国土',
      templateIds: { assignment: 'SMS_480010001' },
      credentials: smsCredentials({ json: '{"accessKeyId":"LTAI-test","accessKeySecret":"s3cret"}' }, [
        'accessKeyId',
        'accessKeySecret',
      ]),
      endpoint,
      protocol: 'http',
    });

  it('sends SendSms with the signature, the template, its variables as JSON and our reference as OutId', async () => {
    provider.answer({ Code: 'OK', Message: 'OK', BizId: '900619746936498440^0', RequestId: 'r1' });
    const result = await channel().send(message);
    expect(result).toEqual({ status: 'accepted', providerMessageId: '900619746936498440^0' });
    const [request] = provider.received;
    expect(request?.method).toBe('POST');
    expect(request?.headers).toMatchObject({ 'x-acs-action': 'SendSms', 'x-acs-version': '2017-05-25' });
    expect(request?.headers.authorization).toMatch(/^ACS3-HMAC-SHA256 Credential=LTAI-test,/);
    expect(request?.headers.authorization).not.toContain('s3cret');
    expect(Object.fromEntries(request!.url.searchParams)).toEqual({
      PhoneNumbers: '13912345678',
      SignName: '常熟国土',
      TemplateCode: 'SMS_480010001',
      TemplateParam: JSON.stringify({
        caseNo: '2026-000042',
        place: '古里镇',
        due: '请于11月30日23:59前签收',
      }),
      OutId: message.reference,
    });
  });

  it('records a refusal about this number as rejected, and throws for what concerns every message', async () => {
    provider.answer(
      { Code: 'isv.MOBILE_NUMBER_ILLEGAL', Message: '非法手机号', RequestId: 'r2' },
      { Code: 'isv.AMOUNT_NOT_ENOUGH', Message: '账户余额不足', RequestId: 'r3' },
    );
    const sms = channel();
    expect(await sms.send(message)).toEqual({
      status: 'rejected',
      code: 'isv.MOBILE_NUMBER_ILLEGAL',
      detail: '非法手机号',
    });
    await expect(sms.send(message)).rejects.toThrow(/isv.AMOUNT_NOT_ENOUGH/);
  });

  it('refuses a template it has no id for before calling the provider', async () => {
    await expect(channel().send({ ...message, template: 'reminder' })).rejects.toThrow(
      SmsTemplateNotConfiguredError,
    );
    expect(provider.received).toEqual([]);
  });

  it('reads receipts with QuerySendDetails: number, BizId and the Shanghai send date', async () => {
    provider.answer(
      {
        Code: 'OK',
        SmsSendDetailDTOs: {
          SmsSendDetailDTO: [
            { OutId: 'a', SendStatus: 3, ReceiveDate: '2026-11-30 08:05:02', ErrCode: 'DELIVERED' },
          ],
        },
      },
      {
        Code: 'OK',
        SmsSendDetailDTOs: { SmsSendDetailDTO: [{ OutId: 'b', SendStatus: 2, ErrCode: 'MK:0001' }] },
      },
      { Code: 'OK', SmsSendDetailDTOs: { SmsSendDetailDTO: [{ OutId: 'c', SendStatus: 1 }] } },
    );
    const receipts = await channel().fetchReceipts!([
      // 23:30 UTC is already the next day in Shanghai.
      {
        reference: 'a',
        phone: '+8613912345678',
        providerMessageId: 'biz-a',
        sentAt: '2026-11-29T23:30:00.000Z',
      },
      {
        reference: 'b',
        phone: '+8613912345679',
        providerMessageId: 'biz-b',
        sentAt: '2026-11-30T01:00:00.000Z',
      },
      {
        reference: 'c',
        phone: '+8613912345670',
        providerMessageId: 'biz-c',
        sentAt: '2026-11-30T01:00:00.000Z',
      },
    ]);
    expect(provider.received.map((r) => r.headers['x-acs-action'])).toEqual([
      'QuerySendDetails',
      'QuerySendDetails',
      'QuerySendDetails',
    ]);
    expect(Object.fromEntries(provider.received[0]!.url.searchParams)).toMatchObject({
      PhoneNumber: '13912345678',
      BizId: 'biz-a',
      SendDate: '20261130',
    });
    expect(receipts).toEqual([
      { reference: 'a', providerMessageId: 'biz-a', status: 'delivered', at: '2026-11-30T00:05:02.000Z' },
      { reference: 'b', providerMessageId: 'biz-b', status: 'failed', code: 'MK:0001' },
    ]);
  });
});

describe('Tencent Cloud SMS', () => {
  const provider = new FakeProvider();
  let endpoint: string;
  beforeAll(async () => {
    endpoint = await provider.start();
  });
  afterEach(() => provider.reset());
  afterAll(() => provider.stop());

  const channel = () =>
    tencentSmsChannel({
      signName: '常熟国土',
      sdkAppId: '1400000001',
      region: 'ap-guangzhou',
      templateIds: { assignment: '2100001' },
      credentials: smsCredentials({ json: '{"secretId":"AKID-test","secretKey":"k3y"}' }, [
        'secretId',
        'secretKey',
      ]),
      endpoint,
      protocol: 'http://',
    });

  it('sends SendSms with the application, signature, template, positional parameters and SessionContext', async () => {
    provider.answer({
      Response: {
        SendStatusSet: [
          { SerialNo: '2028:1', PhoneNumber: '+8613912345678', Code: 'Ok', Message: 'send success', Fee: 1 },
        ],
        RequestId: 'r1',
      },
    });
    expect(await channel().send(message)).toEqual({ status: 'accepted', providerMessageId: '2028:1' });
    const [request] = provider.received;
    expect(request?.headers).toMatchObject({
      'x-tc-action': 'SendSms',
      'x-tc-version': '2021-01-11',
      'x-tc-region': 'ap-guangzhou',
    });
    expect(request?.headers.authorization).toMatch(/^TC3-HMAC-SHA256 Credential=AKID-test\//);
    expect(JSON.parse(request!.body)).toEqual({
      PhoneNumberSet: ['+8613912345678'],
      SmsSdkAppId: '1400000001',
      SignName: '常熟国土',
      TemplateId: '2100001',
      TemplateParamSet: ['2026-000042', '古里镇', '请于11月30日23:59前签收'],
      SessionContext: message.reference,
    });
  });

  it('records a refusal about this number as rejected, and throws for what concerns every message', async () => {
    provider.answer(
      {
        Response: {
          SendStatusSet: [{ Code: 'FailedOperation.PhoneNumberInBlacklist', Message: 'blacklist' }],
        },
      },
      {
        Response: {
          SendStatusSet: [{ Code: 'FailedOperation.InsufficientBalanceInSmsPackage', Message: '余额不足' }],
        },
      },
      {
        Response: {
          Error: { Code: 'InvalidParameterValue.TemplateParameterLengthLimit', Message: 'too long' },
        },
      },
      { Response: { Error: { Code: 'AuthFailure.SignatureFailure', Message: 'bad key' } } },
    );
    const sms = channel();
    expect(await sms.send(message)).toMatchObject({
      status: 'rejected',
      code: 'FailedOperation.PhoneNumberInBlacklist',
    });
    await expect(sms.send(message)).rejects.toThrow(/InsufficientBalanceInSmsPackage/);
    expect(await sms.send(message)).toMatchObject({
      status: 'rejected',
      code: 'InvalidParameterValue.TemplateParameterLengthLimit',
    });
    await expect(sms.send(message)).rejects.toThrow(/bad key/);
  });

  it('pulls receipts with PullSmsSendStatus, our reference coming back as SessionContext', async () => {
    provider.answer({
      Response: {
        PullSmsSendStatusSet: [
          { SerialNo: 's1', SessionContext: 'a', ReportStatus: 'SUCCESS', UserReceiveTime: 1_795_996_800 },
          { SerialNo: 's2', SessionContext: 'b', ReportStatus: 'FAIL', Description: 'DELIVRD_FAIL' },
        ],
      },
    });
    const receipts = await channel().fetchReceipts!([]);
    expect(JSON.parse(provider.received[0]!.body)).toEqual({ Limit: 100, SmsSdkAppId: '1400000001' });
    expect(provider.received[0]?.headers['x-tc-action']).toBe('PullSmsSendStatus');
    expect(receipts).toEqual([
      {
        reference: 'a',
        providerMessageId: 's1',
        status: 'delivered',
        at: new Date(1_795_996_800_000).toISOString(),
      },
      { reference: 'b', providerMessageId: 's2', status: 'failed', code: 'DELIVRD_FAIL' },
    ]);
  });
});

describe('SNS SMS (global regions)', () => {
  const sns = mockClient(SNSClient);
  afterEach(() => sns.reset());

  it('publishes the whole text straight to the number as a Transactional SMS', async () => {
    sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
    const result = await snsSmsChannel(new SNSClient({})).send(message);
    expect(result).toEqual({ status: 'accepted', providerMessageId: 'm-1' });
    expect(sns.commandCalls(PublishCommand)[0]?.args[0].input).toEqual({
      PhoneNumber: '+8613912345678',
      Message: message.text,
      MessageAttributes: { 'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' } },
    });
  });

  it('records a refused number as rejected and throws on throttling', async () => {
    sns
      .on(PublishCommand)
      .rejectsOnce(
        Object.assign(new Error('Invalid parameter: PhoneNumber'), { name: 'InvalidParameterException' }),
      )
      .rejectsOnce(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }));
    const channel = snsSmsChannel(new SNSClient({}));
    expect(await channel.send(message)).toMatchObject({
      status: 'rejected',
      code: 'InvalidParameterException',
    });
    await expect(channel.send(message)).rejects.toThrow('Rate exceeded');
  });
});

describe('the local fake provider', () => {
  const dir = mkdtempSync(join(tmpdir(), 'landline-sms-'));
  const file = join(dir, 'sms.jsonl');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('checks the template like a provider and writes the SMS it makes, the number masked', async () => {
    const fake = fakeSmsChannel({ file, signName: '常熟国土', maxVariableChars: 35, now: () => new Date(0) });
    expect(await fake.send(message)).toMatchObject({ status: 'accepted' });
    expect(await fake.send({ ...message, variables: message.variables.slice(1) })).toMatchObject({
      status: 'rejected',
      code: 'template_params_mismatch',
    });
    expect(
      await fake.send({
        ...message,
        variables: [...message.variables.slice(0, 2), { name: 'due', value: 'x'.repeat(36) }],
      }),
    ).toMatchObject({ status: 'rejected', code: 'param_length_limit' });
    const lines = readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines).toEqual([
      {
        at: '1970-01-01T00:00:00.000Z',
        reference: message.reference,
        phone: '139****5678',
        template: 'assignment',
        templateId: 'assignment',
        variables: { caseNo: '2026-000042', place: '古里镇', due: '请于11月30日23:59前签收' },
        text: message.text,
      },
    ]);
    expect(
      await fake.fetchReceipts!([
        { reference: 'r', phone: '+8613912345678', sentAt: '2026-11-30T00:00:00Z' },
      ]),
    ).toEqual([{ reference: 'r', status: 'delivered' }]);
  });
});

describe('provider credentials', () => {
  const fields = ['accessKeyId', 'accessKeySecret'];

  it('reads the JSON from the secret, fetched once per cache period', async () => {
    const asked: string[] = [];
    const source = smsCredentials({ secretArn: 'arn:sms' }, fields, {
      get: async (name) => {
        asked.push(name);
        return '{"accessKeyId":"a","accessKeySecret":"b","note":"ignored"}';
      },
    });
    expect(await source()).toEqual({ accessKeyId: 'a', accessKeySecret: 'b' });
    expect(asked).toEqual(['arn:sms']);
  });

  it('names what is missing, and says so for the placeholder the stack creates (never its value)', async () => {
    expect(() => smsCredentials({ json: '{"accessKeyId":"a"}' }, fields)).toThrow(/lack accessKeySecret/);
    const placeholder = smsCredentials({ secretArn: 'arn:sms' }, fields, {
      get: async () => 'Xq9ZrandomPlaceholder',
    });
    await expect(placeholder()).rejects.toThrow(SmsCredentialsError);
    await expect(placeholder()).rejects.not.toThrow(/Xq9Z/);
    expect(() => smsCredentials({}, fields)).toThrow(/SMS_SECRET_ARN/);
  });
});
