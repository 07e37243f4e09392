import { describe, expect, it } from 'vitest';
import { type Contacts, phoneRef } from '../../shared/domain/contacts.js';
import type { Notification } from '../../shared/domain/model.js';
import { UnknownSmsKindError } from '../../shared/domain/sms-templates.js';
import type {
  ContactDirectory,
  PendingSms,
  SmsChannel,
  SmsDeliveryLog,
  SmsDeliveryRecord,
  SmsMessage,
  SmsReceipt,
  SmsSendResult,
} from '../../shared/ports/sms.js';
import {
  DeliveryPartHeldError,
  deliveringNotifier,
  type SmsEvent,
} from '../../shared/usecases/deliver-notification.js';
import { notifyWork } from '../../shared/usecases/notify-case.js';
import { checkSmsReceipts } from '../../shared/usecases/sms-receipts.js';
import { caseRecord } from '../support/case-record.js';
import {
  ManualClock,
  MemoryCaseStore,
  MemoryNotificationClaims,
  MemoryNotifier,
} from '../support/memory-ports.js';

const GULI = ['+8613900000001', '+8613900000002'];

class MemoryContacts implements ContactDirectory {
  constructor(readonly byTarget: Record<string, Contacts>) {}
  async contactsOf(target: string) {
    return this.byTarget[target];
  }
}

/** A provider that accepts, or answers what the test scripts per number. */
class ScriptedChannel implements SmsChannel {
  readonly name = 'aliyun' as const;
  readonly sent: SmsMessage[] = [];
  readonly script = new Map<string, Array<'fail' | 'reject'>>();
  receipts: SmsReceipt[] = [];
  async send(message: SmsMessage): Promise<SmsSendResult> {
    const next = this.script.get(message.phone)?.shift();
    if (next === 'fail') throw new Error('provider unreachable');
    if (next === 'reject')
      return { status: 'rejected', code: 'isv.MOBILE_NUMBER_ILLEGAL', detail: '非法手机号' };
    this.sent.push(message);
    return { status: 'accepted', providerMessageId: `biz-${this.sent.length}` };
  }
  async fetchReceipts(): Promise<SmsReceipt[]> {
    return this.receipts;
  }
}

class MemoryDeliveries implements SmsDeliveryLog {
  readonly records = new Map<string, SmsDeliveryRecord & { sentAt: string }>();
  readonly parents = new Map<string, Record<string, string>>();
  readonly pending = new Map<string, PendingSms & { unconfirmed: boolean }>();
  constructor(private readonly claims: MemoryNotificationClaims) {}
  async recordSent(reference: string, record: SmsDeliveryRecord, at: Date, phone: string) {
    await this.claims.markSent(reference);
    this.records.set(reference, { ...record, sentAt: at.toISOString() });
    this.parents.set(record.parentKey, {
      ...this.parents.get(record.parentKey),
      [`sms:${record.phoneRef}`]: record.status,
    });
    if (record.status === 'pending') {
      this.pending.set(reference, {
        reference,
        phone,
        sentAt: at.toISOString(),
        unconfirmed: false,
        ...(record.providerMessageId ? { providerMessageId: record.providerMessageId } : {}),
      });
    }
  }
  async listPending() {
    return [...this.pending.values()];
  }
  async recordOutcome(
    pending: PendingSms,
    outcome: { status: 'delivered' | 'failed' | 'unconfirmed'; code?: string },
  ) {
    const record = this.records.get(pending.reference)!;
    this.records.set(pending.reference, {
      ...record,
      status: outcome.status,
      ...(outcome.code ? { code: outcome.code } : {}),
    });
    this.parents.get(record.parentKey)![`sms:${record.phoneRef}`] = outcome.status;
    if (outcome.status === 'unconfirmed') this.pending.get(pending.reference)!.unconfirmed = true;
    else this.pending.delete(pending.reference);
  }
}

function setup(contacts: Record<string, Contacts> = { 'bureau:shajiabang': { phones: GULI, emails: [] } }) {
  const store = new MemoryCaseStore();
  const record = caseRecord({ partners: [] });
  store.cases.set(record.caseId, record);
  const claims = new MemoryNotificationClaims();
  const broadcast = new MemoryNotifier();
  const channel = new ScriptedChannel();
  const deliveries = new MemoryDeliveries(claims);
  const clock = new ManualClock(new Date('2026-11-28T01:16:00Z'));
  const events: SmsEvent[] = [];
  const notifier = deliveringNotifier({
    broadcast,
    sms: { channel, limits: { maxVariableChars: 35 }, receipts: true },
    contacts: new MemoryContacts(contacts),
    claims,
    deliveries,
    clock,
    report: (event) => events.push(event),
    sleep: async () => {},
  });
  const message = { type: 'assignment' as const, caseId: record.caseId, target: 'bureau:shajiabang' };
  const notify = (claimant = 'delivery-1') =>
    notifyWork(message, { store, claims, notifier, clock }, { claimant });
  return { record, claims, broadcast, channel, deliveries, clock, events, notify, notifier };
}

describe('delivering a notification to the target officers', () => {
  it('publishes it and sends each officer one SMS through the template, recorded on the notification', async () => {
    const { record, broadcast, channel, deliveries, notify } = setup();
    await notify();
    expect(broadcast.sent).toHaveLength(1);
    expect(channel.sent.map((m) => m.phone)).toEqual(GULI);
    const key = `${record.caseId}|assignment|bureau:shajiabang`;
    expect(channel.sent[0]).toMatchObject({
      reference: `${key}|sms|${phoneRef(GULI[0]!)}`,
      template: 'assignment',
      variables: [
        { name: 'caseNo', value: '2026-000042' },
        { name: 'place', value: '沙家浜镇' },
        { name: 'due', value: '请于11月30日23:59前签收' },
      ],
    });
    expect(deliveries.parents.get(key)).toEqual({
      [`sms:${phoneRef(GULI[0]!)}`]: 'pending',
      [`sms:${phoneRef(GULI[1]!)}`]: 'pending',
    });
    const stored = JSON.stringify([...deliveries.records.values()]);
    for (const phone of GULI) expect(stored).not.toContain(phone.slice(3));
    expect(stored).toContain('139****0001');
  });

  it('sends nothing twice when the message is delivered again', async () => {
    const { broadcast, channel, notify } = setup();
    await notify('delivery-1');
    const again = await notify('delivery-2');
    expect(again.sent).toHaveLength(0);
    expect(again.skipped).toHaveLength(1);
    expect(broadcast.sent).toHaveLength(1);
    expect(channel.sent).toHaveLength(2);
  });

  it('after a failed SMS, the retry sends only that SMS: not the publish, not the other officer', async () => {
    const { broadcast, channel, notify, claims } = setup();
    channel.script.set(GULI[1]!, ['fail']);
    await expect(notify()).rejects.toThrow('provider unreachable');
    expect([...claims.claims.values()].filter((c) => c.state === 'sending')).toEqual([]);
    await notify();
    await notify('delivery-2');
    expect(broadcast.sent).toHaveLength(1);
    expect(channel.sent.map((m) => m.phone)).toEqual(GULI);
  });

  it('records an SMS the provider refuses for good as failed and reports it, without failing the message', async () => {
    const { record, channel, deliveries, events, notify } = setup();
    channel.script.set(GULI[0]!, ['reject']);
    await notify();
    await notify('delivery-2');
    expect(channel.sent.map((m) => m.phone)).toEqual([GULI[1]]);
    expect(deliveries.parents.get(`${record.caseId}|assignment|bureau:shajiabang`)).toMatchObject({
      [`sms:${phoneRef(GULI[0]!)}`]: 'failed',
    });
    expect(events.map((e) => e.type)).toEqual(['rejected', 'sent']);
    expect(events[0]).toMatchObject({
      record: { code: 'isv.MOBILE_NUMBER_ILLEGAL', phoneMasked: '139****0001' },
    });
  });

  it('reaches phones only with the kinds the target asked for', async () => {
    const { channel, broadcast, notify } = setup({
      'bureau:shajiabang': { phones: GULI, emails: [], smsKinds: ['escalation'] },
    });
    await notify();
    expect(broadcast.sent).toHaveLength(1);
    expect(channel.sent).toEqual([]);
  });

  it('waits for another delivery that holds a part, instead of sending it a second time', async () => {
    const { record, claims, channel, notify, clock } = setup();
    const key = `${record.caseId}|assignment|bureau:shajiabang|sms|${phoneRef(GULI[0]!)}`;
    await claims.claim(key, 'x', clock.now(), 60_000, 'someone-else');
    await expect(notify()).rejects.toThrow(DeliveryPartHeldError);
    expect(channel.sent.map((m) => m.phone)).not.toContain(GULI[0]);
  });

  it('keys the parts of a notification without a case on its own id', async () => {
    const { channel, claims, notifier } = setup({ brigade: { phones: [GULI[0]!], emails: [] } });
    const notice: Notification = {
      id: 'ntf_delivery_disabled_12345',
      at: '2026-11-28T01:16:00.000Z',
      audience: 'brigade',
      target: 'brigade',
      kind: 'delivery_disabled' as Notification['kind'],
      subject: '【回复推送停用】12345',
      sms: '【常熟国土】回复推送停用：12345热线的回复地址返回410，已停止推送。',
      email: '…',
    } as Notification;
    await notifier.send(notice);
    await notifier.send(notice);
    expect(channel.sent).toHaveLength(1);
    expect(channel.sent[0]).toMatchObject({
      reference: `ntf_delivery_disabled_12345|sms|${phoneRef(GULI[0]!)}`,
      template: 'delivery_disabled_general',
    });
    expect(claims.claims.get(`ntf_delivery_disabled_12345|broadcast`)?.state).toBe('sent');
  });

  it('fails loudly on a kind it has no template for, after publishing it once', async () => {
    const { broadcast, notifier } = setup({ brigade: { phones: [GULI[0]!], emails: [] } });
    const odd = { id: 'ntf_odd', kind: 'surprise', target: 'brigade', sms: '…' } as unknown as Notification;
    await expect(notifier.send(odd)).rejects.toThrow(UnknownSmsKindError);
    await expect(notifier.send(odd)).rejects.toThrow(UnknownSmsKindError);
    expect(broadcast.sent).toHaveLength(1);
  });
});

describe('SMS receipts', () => {
  it('records delivered and failed receipts, and marks an SMS without one unconfirmed, once', async () => {
    const { record, channel, deliveries, clock, notify } = setup();
    await notify();
    const [first, second] = channel.sent as [SmsMessage, SmsMessage];
    const key = `${record.caseId}|assignment|bureau:shajiabang`;

    channel.receipts = [{ providerMessageId: 'biz-1', status: 'delivered' }];
    let outcome = await checkSmsReceipts({ channel, deliveries, clock });
    expect(outcome).toMatchObject({ pending: 2, delivered: 1, failed: [], unconfirmed: [] });
    expect(deliveries.records.get(first.reference)?.status).toBe('delivered');

    channel.receipts = [];
    clock.advance(31 * 60_000);
    outcome = await checkSmsReceipts({ channel, deliveries, clock });
    expect(outcome.unconfirmed.map((s) => s.reference)).toEqual([second.reference]);
    outcome = await checkSmsReceipts({ channel, deliveries, clock });
    expect(outcome.unconfirmed).toEqual([]);
    expect(deliveries.parents.get(key)?.[`sms:${phoneRef(GULI[1]!)}`]).toBe('unconfirmed');

    // A late receipt still counts.
    channel.receipts = [{ reference: second.reference, status: 'failed', code: 'MK:0001' }];
    outcome = await checkSmsReceipts({ channel, deliveries, clock });
    expect(outcome.failed.map((s) => s.reference)).toEqual([second.reference]);
    expect(deliveries.records.get(second.reference)).toMatchObject({ status: 'failed', code: 'MK:0001' });
    expect(deliveries.pending.size).toBe(0);
  });
});
