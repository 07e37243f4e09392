/**
 * The accountability ledger in the one table. Per bureau and year one partition holds the entries
 * and a counter of criticisms, so the veto of a year is one conditional counter, never a count over
 * entries:
 *   pk=LEDGER#<year>#<bureau>   sk=ENTRY#<caseId>#<deadline>#<kind>   one entry, written once
 *   pk=LEDGER#<year>#<bureau>   sk=COUNTER                            criticisms, veto, vetoSince
 */
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  paginateQuery,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import {
  type LedgerEntry,
  ledgerEntryDueAt,
  normalizeLedgerEntry,
  VETO_CRITICISMS,
} from '../domain/ledger.js';
import { AREA_IDS } from '../domain/model.js';
import type { LedgerRecordResult, LedgerStore, LedgerYear } from '../ports/ledger.js';
import { isConditionFailure } from './dynamo-conditions.js';

const partition = (year: number, bureau: string) => `LEDGER#${year}#${bureau}`;
const entryKey = (entry: LedgerEntry) => ({
  pk: partition(entry.year, entry.bureau),
  // A breach's entryId is `<caseId>#<deadline>#<kind>`: the key entries always had.
  sk: `ENTRY#${entry.entryId}`,
});
const counterKey = (year: number, bureau: string) => ({ pk: partition(year, bureau), sk: 'COUNTER' });

export class DynamoLedgerStore implements LedgerStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async record(entry: LedgerEntry): Promise<LedgerRecordResult> {
    const put = {
      TableName: this.tableName,
      Item: { ...entryKey(entry), type: 'ledger', data: entry },
      ConditionExpression: 'attribute_not_exists(pk)',
    };
    try {
      if (entry.kind !== 'criticism') {
        await this.client.send(new PutCommand(put));
        return { recorded: true };
      }
      // The entry and its count land together or not at all: a retry can never count twice.
      await this.client.send(
        new TransactWriteCommand({
          TransactItems: [
            { Put: put },
            {
              Update: {
                TableName: this.tableName,
                Key: counterKey(entry.year, entry.bureau),
                UpdateExpression: 'ADD criticisms :one SET #type = :type',
                ExpressionAttributeNames: { '#type': 'type' },
                ExpressionAttributeValues: { ':one': 1, ':type': 'ledger_counter' },
              },
            },
          ],
        }),
      );
    } catch (error) {
      if (isConditionFailure(error)) return { recorded: false };
      throw error;
    }
    const counter = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: counterKey(entry.year, entry.bureau),
        ConsistentRead: true,
      }),
    );
    const criticisms = Number(counter.Item?.criticisms ?? 0);
    const veto = criticisms >= VETO_CRITICISMS;
    if (veto && counter.Item?.veto !== true) {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: counterKey(entry.year, entry.bureau),
          UpdateExpression: 'SET veto = :true, vetoSince = if_not_exists(vetoSince, :at)',
          ExpressionAttributeValues: { ':true': true, ':at': entry.recordedAt },
        }),
      );
    }
    return { recorded: true, criticismsThisYear: criticisms, veto };
  }

  async list(year: number, bureau?: string): Promise<LedgerYear> {
    const bureaus = bureau ? [bureau] : AREA_IDS.map((area) => `bureau:${area}`);
    const perBureau = await Promise.all(bureaus.map((each) => this.partition(year, each)));
    const entries = perBureau
      .flatMap((each) => each.entries)
      .sort(
        (a, b) =>
          Date.parse(ledgerEntryDueAt(a)) - Date.parse(ledgerEntryDueAt(b)) ||
          a.entryId.localeCompare(b.entryId),
      );
    const vetoes = perBureau.filter((each) => each.veto).map((each) => each.bureau);
    return { entries, vetoes };
  }

  private async partition(year: number, bureau: string) {
    const entries: LedgerEntry[] = [];
    let veto = false;
    const pages = paginateQuery(
      { client: this.client },
      {
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': partition(year, bureau) },
        ConsistentRead: true,
      },
    );
    for await (const page of pages) {
      for (const item of page.Items ?? []) {
        if (item.sk === 'COUNTER') {
          // The flag, or the count itself should the flag's write have been lost.
          veto = item.veto === true || Number(item.criticisms ?? 0) >= VETO_CRITICISMS;
        } else {
          entries.push(normalizeLedgerEntry(item.data as LedgerEntry));
        }
      }
    }
    return { bureau, entries, veto };
  }
}
