import { describe, expect, it } from 'vitest';
import { runContactsCommand, type TopicSubscriptions, UsageError } from '../../infra/ops/contacts.js';
import type { StoredContacts } from '../../shared/adapters/dynamo-contacts.js';
import {
  ContactError,
  checkTarget,
  maskPhone,
  normalizeEmail,
  normalizePhone,
  phoneRef,
  phonesFor,
} from '../../shared/domain/contacts.js';

class MemoryContactsStore {
  readonly items = new Map<string, StoredContacts>();
  async get(target: string) {
    return this.items.get(target);
  }
  async put(contacts: StoredContacts) {
    this.items.set(contacts.target, contacts);
  }
  async remove(target: string) {
    this.items.delete(target);
  }
  async list() {
    return [...this.items.values()];
  }
}

async function run(store: MemoryContactsStore, argv: string[], topics?: TopicSubscriptions) {
  const out: string[] = [];
  await runContactsCommand(argv, {
    store,
    ...(topics ? { topics } : {}),
    now: () => new Date('2026-11-28T10:00:00Z'),
    out: (line) => out.push(line),
  });
  return out;
}

describe('officer contacts', () => {
  it('normalises mainland numbers to E.164 and refuses what is not a number, without echoing it whole', () => {
    for (const input of ['13912345678', '+86 139 1234 5678', '0086-139-1234-5678', '8613912345678']) {
      expect(normalizePhone(input)).toBe('+8613912345678');
    }
    expect(normalizePhone('+6591234567')).toBe('+6591234567');
    expect(() => normalizePhone('23912345678')).toThrow(ContactError);
    expect(() => normalizePhone('1391234567')).toThrow(/139\*\*\*\*4567|\*+/);
    expect(() => normalizeEmail('nobody')).toThrow(/not an e-mail address/);
    expect(() => checkTarget('Bureau Guli')).toThrow(/not a notification target/);
  });

  it('shows numbers masked and keys them by a reference that is not the number', () => {
    expect(maskPhone('+8613912345678')).toBe('139****5678');
    expect(phoneRef('+8613912345678')).toMatch(/^ph_[A-Za-z0-9_-]{12}$/);
    expect(phoneRef('+8613912345678')).not.toContain('13912345678');
    expect(phoneRef('+8613912345678')).not.toBe(phoneRef('+8613912345679'));
  });

  it('reaches phones only with the kinds a target chose', () => {
    const contacts = { phones: ['+8613912345678'], emails: [], smsKinds: ['escalation'] };
    expect(phonesFor(contacts, 'escalation')).toEqual(['+8613912345678']);
    expect(phonesFor(contacts, 'assignment')).toEqual([]);
    expect(phonesFor(undefined, 'assignment')).toEqual([]);
  });
});

describe('npm run contacts', () => {
  it('sets, adds to, removes from and lists a target, numbers masked', async () => {
    const store = new MemoryContactsStore();
    await run(store, [
      'set',
      'bureau:guli',
      '--phone',
      '13912345678',
      '--email',
      'guli@example.org',
      '--sms-kinds',
      'assignment,escalation',
    ]);
    await run(store, ['add', 'bureau:guli', '--phone', '+86 139 1234 5679']);
    expect(store.items.get('bureau:guli')).toEqual({
      target: 'bureau:guli',
      phones: ['+8613912345678', '+8613912345679'],
      emails: ['guli@example.org'],
      smsKinds: ['assignment', 'escalation'],
      updatedAt: '2026-11-28T10:00:00.000Z',
    });
    await run(store, ['remove', 'bureau:guli', '--phone', '13912345678']);
    const listing = await run(store, ['list']);
    expect(listing.join('\n')).toContain('139****5679');
    expect(listing.join('\n')).not.toMatch(/13912345679|13912345678/);
    await run(store, ['remove', 'bureau:guli']);
    expect(store.items.size).toBe(0);
  });

  it('refuses what it cannot use', async () => {
    const store = new MemoryContactsStore();
    await expect(run(store, ['set', 'bureau:guli'])).rejects.toThrow(/at least one --phone or --email/);
    await expect(run(store, ['set', 'bureau:guli', '--phone', '123'])).rejects.toThrow(UsageError);
    await expect(
      run(store, ['set', 'bureau:guli', '--email', 'a@b.org', '--sms-kinds', 'asignment']),
    ).rejects.toThrow(/unknown notification kind\(s\): asignment/);
    await expect(run(store, ['frobnicate'])).rejects.toThrow(/unknown command/);
    await expect(run(store, ['sync-topics'])).rejects.toThrow(/--env/);
  });

  it('makes each topic’s e-mail subscriptions the target’s addresses', async () => {
    const store = new MemoryContactsStore();
    await run(store, ['set', 'bureau:guli', '--email', 'new@example.org', '--email', 'kept@example.org']);
    await run(store, ['set', 'partner:nowhere', '--email', 'x@example.org']);
    const calls: string[] = [];
    const topics: TopicSubscriptions = {
      async topicArns(names) {
        return new Map(names.filter((n) => n.includes('guli')).map((n) => [n, `arn:aws:sns:r:1:${n}`]));
      },
      async emailSubscriptions() {
        return [
          { endpoint: 'kept@example.org', subscriptionArn: 'arn:sub:1' },
          { endpoint: 'gone@example.org', subscriptionArn: 'arn:sub:2' },
          { endpoint: 'pending@example.org', subscriptionArn: 'PendingConfirmation' },
        ];
      },
      async subscribe(arn, email) {
        calls.push(`subscribe ${arn} ${email}`);
      },
      async unsubscribe(arn) {
        calls.push(`unsubscribe ${arn}`);
      },
    };
    const out = await run(store, ['sync-topics', '--env', 'prod'], topics);
    expect(calls).toEqual([
      'subscribe arn:aws:sns:r:1:landline-prod-bureau-guli new@example.org',
      'unsubscribe arn:sub:2',
    ]);
    expect(out.join('\n')).toMatch(/partner:nowhere: no topic landline-prod-partner-nowhere/);
    expect(out.join('\n')).toMatch(/pending@example.org is still pending confirmation/);
  });

  it('lists the SMS of a case with their status, numbers masked as recorded', async () => {
    const out: string[] = [];
    await runContactsCommand(['deliveries', 'case_1'], {
      store: new MemoryContactsStore(),
      deliveries: {
        listForCase: async (caseId) => [
          {
            sentAt: '2026-11-28T01:16:00.000Z',
            kind: 'assignment',
            target: 'bureau:guli',
            smsPhone: '139****0001',
            smsStatus: 'failed',
            smsCode: 'MK:0001',
            caseId,
          },
        ],
      },
      out: (line) => out.push(line),
    });
    expect(out).toHaveLength(1);
    expect(out[0]).toMatch(/assignment\s+bureau:guli\s+139\*\*\*\*0001\s+failed\s+MK:0001/);
  });
});
