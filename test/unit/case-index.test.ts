/**
 * The index attributes of a stored case come from the case and the deadline policy alone
 * (caseIndexAttributes), in the shapes the table already holds: any writer holding the policy
 * indexes a case the way the sweeper reads it, and no writer needs a setting of the sweeper's.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { caseIndexAttributes, DynamoCaseStore } from '../../shared/adapters/dynamo-case-store.js';
import { DUE_SHARDS } from '../../shared/adapters/table-schema.js';
import { DEFAULT_REMINDER_POLICY } from '../../shared/domain/attention.js';
import { DEFAULT_DEADLINE_POLICY } from '../../shared/domain/deadlines.js';
import type { Deadline } from '../../shared/domain/model.js';
import { caseRecord } from '../support/case-record.js';

const CASE_ID = 'case_aaaaaaaaaaaaaaaaaaaaaaaaaa';
// The default record: acknowledge due 2026-11-30T23:59:59+08:00 = 15:59:59Z, created 2026-11-28.
const ACKNOWLEDGE_DUE = '2026-11-30T15:59:59.000Z';
const minutes = (n: number) => n * 60_000;

describe('caseIndexAttributes', () => {
  it('keys a case by area, by year and, while something is pending, by its next sweeper instant', () => {
    const attributes = caseIndexAttributes(caseRecord(), DEFAULT_DEADLINE_POLICY);
    expect(attributes).toEqual({
      gsi1pk: 'AREA#shajiabang',
      gsi1sk: `2026-11-28T01:15:10.000Z#${CASE_ID}`,
      gsi2pk: 'CASES#2026',
      gsi2sk: `2026-11-28T01:15:10.000Z#${CASE_ID}`,
      gsi3pk: expect.stringMatching(/^DUE#\d$/),
      gsi3sk: `2026-11-30T13:59:59.000Z#${CASE_ID}`,
      overdueAt: ACKNOWLEDGE_DUE,
    });
    expect(Number(attributes.gsi3pk!.slice('DUE#'.length))).toBeLessThan(DUE_SHARDS);
  });

  it("moves the due-index key with the policy's reminder lead, and to the due instant without reminders", () => {
    const at = (reminderLeadMs: number) =>
      caseIndexAttributes(caseRecord(), { ...DEFAULT_DEADLINE_POLICY, reminderLeadMs }).gsi3sk;
    expect(at(minutes(30))).toBe(`2026-11-30T15:29:59.000Z#${CASE_ID}`);
    expect(at(minutes(240))).toBe(`2026-11-30T11:59:59.000Z#${CASE_ID}`);
    expect(at(0)).toBe(`${ACKNOWLEDGE_DUE}#${CASE_ID}`);
  });

  it('needs only the reminder part of the policy, the domain default when none is given', () => {
    expect(caseIndexAttributes(caseRecord())).toEqual(
      caseIndexAttributes(caseRecord(), DEFAULT_REMINDER_POLICY),
    );
    expect(caseIndexAttributes(caseRecord(), { reminderLeadMs: minutes(30) })).toEqual(
      caseIndexAttributes(caseRecord(), { ...DEFAULT_DEADLINE_POLICY, reminderLeadMs: minutes(30) }),
    );
  });

  it('keeps an unescalated breach in the due index and drops the case once nothing is pending', () => {
    const breach: Deadline = {
      kind: 'acknowledge',
      dueAt: '2026-11-30T23:59:59+08:00',
      metAt: null,
      breachedAt: '2026-12-01T00:00:00.000Z',
      escalatedAt: null,
    };
    expect(caseIndexAttributes(caseRecord({ deadlines: [breach] })).gsi3sk).toBe(
      `2026-12-01T00:00:00.000Z#${CASE_ID}`,
    );
    const escalated = caseIndexAttributes(
      caseRecord({ deadlines: [{ ...breach, escalatedAt: '2026-12-01T00:01:00.000Z' }] }),
    );
    expect(escalated.gsi3pk).toBeUndefined();
    expect(escalated.gsi3sk).toBeUndefined();
    expect(caseIndexAttributes(caseRecord({ area: null })).gsi1pk).toBe('AREA#triage');
  });

  it('puts one case in the same write shard whatever the policy', () => {
    const shards = [0, minutes(30), minutes(120)].map(
      (reminderLeadMs) => caseIndexAttributes(caseRecord(), { reminderLeadMs }).gsi3pk,
    );
    expect(new Set(shards).size).toBe(1);
  });
});

describe('DynamoCaseStore', () => {
  it('indexes what it writes with the deadline policy it was given', async () => {
    const documentClient = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' }));
    const dynamo = mockClient(documentClient);
    dynamo.on(PutCommand).resolves({});
    const policy = { ...DEFAULT_DEADLINE_POLICY, reminderLeadMs: minutes(30) };
    await new DynamoCaseStore(documentClient, 'landline', policy).putCase(caseRecord({ version: 2 }), 1);
    expect(dynamo.commandCalls(PutCommand)[0]!.args[0].input.Item).toMatchObject({
      pk: `CASE#${CASE_ID}`,
      sk: 'CASE',
      type: 'case',
      version: 2,
      ...caseIndexAttributes(caseRecord({ version: 2 }), policy),
    });
    dynamo.restore();
  });
});
