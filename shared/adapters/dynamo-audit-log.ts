/**
 * AuditLog in the single table: pk=AUDIT#<caseId>, sk=<at>#<id>, so one case's trail is one
 * query, oldest first. Records are only ever added: nothing in landline updates or deletes them.
 */
import { type DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { AuditLog, AuditPage, AuditRecord } from '../ports/audit.js';
import { decodeCursor, encodeCursor, InvalidCursorError } from './dynamo-cursor.js';

const auditPartition = (caseId: string) => `AUDIT#${caseId}`;
const auditKey = (record: Pick<AuditRecord, 'caseId' | 'at' | 'id'>) => ({
  pk: auditPartition(record.caseId),
  sk: `${record.at}#${record.id}`,
});

export class DynamoAuditLog implements AuditLog {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async record(entry: AuditRecord): Promise<void> {
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...auditKey(entry), type: 'audit', data: entry },
        // Never overwrite a record: an id collision must fail, not rewrite history.
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  async listByCase(caseId: string, limit: number, cursor?: string): Promise<AuditPage> {
    const pk = auditPartition(caseId);
    const result = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': pk },
        ScanIndexForward: true,
        ConsistentRead: true,
        Limit: limit,
        ...(cursor ? { ExclusiveStartKey: caseCursor(cursor, pk) } : {}),
      }),
    );
    return {
      items: (result.Items ?? []).map((item) => item.data as AuditRecord),
      cursor: encodeCursor(result.LastEvaluatedKey),
    };
  }
}

/** A cursor is only valid for the case it came from. */
function caseCursor(cursor: string, pk: string): Record<string, unknown> {
  const key = decodeCursor(cursor);
  if (key.pk !== pk || typeof key.sk !== 'string') throw new InvalidCursorError();
  return { pk, sk: key.sk };
}
