import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseSecretList } from '../../shared/domain/webhook-secrets.js';
import { UnauthenticatedError } from '../../shared/http/errors.js';
import { verifyWebhook, WEBHOOK_TOLERANCE_SECONDS } from '../../shared/http/webhook.js';
import { signWebhook, TEST_SECRETS } from '../fixtures/tips.js';

const NOW = new Date('2026-11-28T02:00:00Z');
const NOW_S = Math.floor(NOW.getTime() / 1000);
const SECRET = TEST_SECRETS['12336'];
const OTHER_SECRET = TEST_SECRETS['12345'];
const BODY = JSON.stringify({ reportId: 'R-1', description: '有人在基本农田上建厂房' });

function headers(overrides: Record<string, string | undefined> = {}, timestamp = NOW_S, secret = SECRET) {
  return {
    'webhook-id': 'msg_1',
    'webhook-timestamp': String(timestamp),
    'webhook-signature': signWebhook(secret, 'msg_1', timestamp, BODY),
    ...overrides,
  };
}

function verify(
  h: Record<string, string | undefined>,
  secrets: string[] = [SECRET],
  body: Uint8Array = Buffer.from(BODY),
) {
  return verifyWebhook({ headers: h, rawBody: body, secrets, now: NOW });
}

function failure(run: () => unknown): UnauthenticatedError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(UnauthenticatedError);
    return error as UnauthenticatedError;
  }
  throw new Error('expected an UnauthenticatedError');
}

describe('verifyWebhook', () => {
  it('accepts a signature made by the standardwebhooks package', () => {
    expect(verify(headers())).toEqual({ id: 'msg_1', timestamp: NOW_S });
  });

  it('reads headers case-insensitively', () => {
    const h = headers();
    expect(
      verify({
        'Webhook-Id': h['webhook-id'],
        'WEBHOOK-TIMESTAMP': h['webhook-timestamp'],
        'Webhook-Signature': h['webhook-signature'],
      }),
    ).toEqual({ id: 'msg_1', timestamp: NOW_S });
  });

  it('accepts any secret of a rotated list', () => {
    expect(verify(headers({}, NOW_S, OTHER_SECRET), [SECRET, OTHER_SECRET]).id).toBe('msg_1');
    expect(verify(headers({}, NOW_S, SECRET), [OTHER_SECRET, SECRET]).id).toBe('msg_1');
  });

  it('accepts a list of signatures when one is valid, skipping other versions', () => {
    const valid = signWebhook(SECRET, 'msg_1', NOW_S, BODY);
    const wrong = signWebhook(OTHER_SECRET, 'msg_1', NOW_S, BODY);
    expect(verify(headers({ 'webhook-signature': `${wrong} v1a,abcd ${valid}` })).id).toBe('msg_1');
  });

  it('rejects a signature made with another secret', () => {
    expect(failure(() => verify(headers({}, NOW_S, OTHER_SECRET))).message).toMatch(/没有与该来源相符的签名/);
  });

  it('rejects a signature over another body', () => {
    failure(() => verify(headers(), [SECRET], Buffer.from(`${BODY} `)));
  });

  it('rejects a signature for another webhook-id', () => {
    failure(() => verify(headers({ 'webhook-id': 'msg_2' })));
  });

  it.each([
    ['no v1 entry', 'v2,abc'],
    ['no comma', 'garbage'],
    ['not base64', 'v1,***'],
    ['empty', ' '],
  ])('rejects a malformed signature header (%s)', (_label, signature) => {
    failure(() => verify(headers({ 'webhook-signature': signature })));
  });

  it.each(['webhook-id', 'webhook-timestamp', 'webhook-signature'])(
    'rejects a request without %s and names it',
    (name) => {
      const error = failure(() => verify(headers({ [name]: undefined })));
      expect(error.message).toContain(name);
    },
  );

  it.each(['abc', '1.5', '-100', '12345678901234'])('rejects the malformed timestamp %s', (timestamp) => {
    failure(() => verify(headers({ 'webhook-timestamp': timestamp })));
  });

  it.each([
    ['past', -1],
    ['future', 1],
  ])('accepts a %s timestamp exactly at the tolerance and rejects one beyond it', (_label, sign) => {
    const edge = NOW_S + sign * WEBHOOK_TOLERANCE_SECONDS;
    expect(verify(headers({}, edge)).timestamp).toBe(edge);
    const beyond = NOW_S + sign * (WEBHOOK_TOLERANCE_SECONDS + 1);
    expect(failure(() => verify(headers({}, beyond))).message).toMatch(/相差超过300秒/);
  });

  it('never echoes header values in its messages', () => {
    const canary = 'CANARY-7f3a';
    const cases = [
      headers({ 'webhook-signature': `v1,${canary}` }),
      headers({ 'webhook-timestamp': canary }),
      headers({ 'webhook-id': `${canary}`.repeat(100) }),
      headers({ 'webhook-id': canary }),
    ];
    for (const h of cases) expect(failure(() => verify(h)).message).not.toContain(canary);
  });

  it('signs the raw bytes, so a body that is not valid UTF-8 still verifies', () => {
    const raw = Buffer.from([0x7b, 0xff, 0xfe, 0x7d]);
    const key = Buffer.from(SECRET.slice('whsec_'.length), 'base64');
    const mac = createHmac('sha256', key).update(`msg_1.${NOW_S}.`).update(raw).digest('base64');
    expect(verify(headers({ 'webhook-signature': `v1,${mac}` }), [SECRET], raw).id).toBe('msg_1');
  });
});

describe('parseSecretList', () => {
  it('splits rotated secrets on spaces and commas', () => {
    expect(parseSecretList(` ${SECRET}, ${OTHER_SECRET}\n`)).toEqual([SECRET, OTHER_SECRET]);
  });

  it.each(['plain-secret', 'whsec_***', 'whsec_'])('rejects %s', (value) => {
    expect(() => parseSecretList(value)).toThrow(/webhook secret/);
  });

  it('does not echo a rejected secret', () => {
    expect(() => parseSecretList(`${SECRET} whsec_CANARY!`)).toThrow(/^((?!CANARY).)*$/);
  });
});
