/**
 * DynamoLedgerStore against DynamoDB Local: the entry and its criticism count land in one
 * transaction, so retried or racing sweeps never count a criticism twice, and the second criticism
 * of a year is the bureau's one-vote veto.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoLedgerStore } from '../../shared/adapters/dynamo-ledger-store.js';
import type { LedgerEntry, LedgerEntryKind } from '../../shared/domain/ledger.js';
import type { DeadlineKind } from '../../shared/domain/model.js';
import { startTestTable, type TestTable } from '../support/emulators.js';

let table: TestTable;
let store: DynamoLedgerStore;
let client: DynamoDBDocumentClient;

beforeAll(async () => {
  table = await startTestTable('ledger-test');
  client = table.client;
  store = new DynamoLedgerStore(client, table.tableName);
});

afterAll(async () => {
  await table?.stop();
});

function entry(
  bureau: string,
  caseNo: number,
  kind: LedgerEntryKind,
  deadline: DeadlineKind = kind === 'criticism' ? 'close' : 'inspect',
  year = 2026,
): LedgerEntry {
  const caseId = `case_${bureau.replace(/\W/g, '')}${String(caseNo).padStart(4, '0')}`;
  return {
    entryId: `${caseId}#${deadline}#${kind}`,
    year,
    bureau,
    kind,
    caseId,
    caseNo: `${year}-${String(caseNo).padStart(6, '0')}`,
    deadline,
    dueAt: `${year}-03-${String(10 + (caseNo % 18)).padStart(2, '0')}T23:59:59+08:00`,
    breachedAt: `${year}-03-${String(11 + (caseNo % 18)).padStart(2, '0')}T00:05:00+08:00`,
    chief: '张某',
    officer: '李某',
    reason: 'deadline_breach',
    reasonLabel: '办理超时',
    recordedAt: `${year}-03-${String(11 + (caseNo % 18)).padStart(2, '0')}T00:05:01+08:00`,
  };
}

describe('DynamoLedgerStore on DynamoDB Local', () => {
  it('counts a criticism once however many sweeps record it at the same time', async () => {
    const criticism = entry('bureau:bixi', 1, 'criticism');
    const results = await Promise.all(Array.from({ length: 5 }, () => store.record(criticism)));
    expect(results.filter((result) => result.recorded)).toHaveLength(1);
    expect(results.find((result) => result.recorded)).toEqual({
      recorded: true,
      criticismsThisYear: 1,
      veto: false,
    });
    await expect(store.record(criticism)).resolves.toEqual({ recorded: false });
    const year = await store.list(2026, 'bureau:bixi');
    expect(year.entries.map((each) => each.entryId)).toEqual([criticism.entryId]);
    expect(year.vetoes).toEqual([]);
  });

  it('makes the second criticism of a year a veto; admonishments and other years do not count', async () => {
    const bureau = 'bureau:haiyu';
    await expect(store.record(entry(bureau, 1, 'admonishment'))).resolves.toEqual({ recorded: true });
    await expect(store.record(entry(bureau, 2, 'admonishment', 'acknowledge'))).resolves.toEqual({
      recorded: true,
    });
    await expect(store.record(entry(bureau, 3, 'criticism', 'close', 2025))).resolves.toMatchObject({
      criticismsThisYear: 1,
      veto: false,
    });
    await expect(store.record(entry(bureau, 4, 'criticism'))).resolves.toMatchObject({
      criticismsThisYear: 1,
      veto: false,
    });
    await expect(store.record(entry(bureau, 5, 'criticism'))).resolves.toMatchObject({
      criticismsThisYear: 2,
      veto: true,
    });
    const year = await store.list(2026);
    expect(year.vetoes).toEqual([bureau]);
    expect(year.entries.filter((each) => each.bureau === bureau)).toHaveLength(4);
    // Oldest deadline first across bureaus.
    const due = year.entries.map((each) => Date.parse(each.dueAt ?? ''));
    expect(due).toEqual([...due].sort((a, b) => a - b));
    expect((await store.list(2025, bureau)).vetoes).toEqual([]);
  });

  it('records two different criticisms raced together as two, and the veto once', async () => {
    const bureau = 'bureau:shajiabang';
    const results = await Promise.all([
      store.record(entry(bureau, 1, 'criticism')),
      store.record(entry(bureau, 2, 'criticism')),
    ]);
    expect(results.every((result) => result.recorded)).toBe(true);
    expect(results.map((result) => result.criticismsThisYear).sort()).toContain(2);
    expect((await store.list(2026, bureau)).vetoes).toEqual([bureau]);
    // A retried sweep after the veto changes nothing.
    await expect(store.record(entry(bureau, 2, 'criticism'))).resolves.toEqual({ recorded: false });
  });
});
