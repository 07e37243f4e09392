/**
 * The sweeper's record of patrol periods in the one table (keys in table-schema.ts):
 *   pk=PATROLPERIOD#<period>  sk=UNIT#<unit>     the decision of one unit, put once (first wins)
 *   pk=PATROLPERIOD#<period>  sk=REMINDERS       the period's reminders were handed over
 *   pk=PATROLDECIDED          sk=<kind>          the last period of a kind fully decided (`value`)
 * Every item is read by key: nothing here queries, let alone scans.
 */
import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { CompliancePeriodKind } from '../domain/patrol-compliance.js';
import type { PatrolDecision, PatrolPeriodStore } from '../ports/patrol-periods.js';
import { isConditionFailure } from './dynamo-conditions.js';

const decisionKey = (period: string, unit: string) => ({ pk: `PATROLPERIOD#${period}`, sk: `UNIT#${unit}` });
const remindersKey = (period: string) => ({ pk: `PATROLPERIOD#${period}`, sk: 'REMINDERS' });
const markKey = (kind: CompliancePeriodKind) => ({ pk: 'PATROLDECIDED', sk: kind });

export class DynamoPatrolPeriodStore implements PatrolPeriodStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  private async get(key: { pk: string; sk: string }): Promise<Record<string, unknown> | undefined> {
    const result = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true }),
    );
    return result.Item;
  }

  async decidedThrough(kind: CompliancePeriodKind): Promise<string | undefined> {
    const item = await this.get(markKey(kind));
    return typeof item?.value === 'string' ? item.value : undefined;
  }

  async advanceDecidedThrough(
    kind: CompliancePeriodKind,
    from: string | undefined,
    to: string,
  ): Promise<boolean> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: markKey(kind),
          UpdateExpression: 'SET #value = :to, #type = :type',
          ConditionExpression: from === undefined ? 'attribute_not_exists(#value)' : '#value = :from',
          ExpressionAttributeNames: { '#value': 'value', '#type': 'type' },
          ExpressionAttributeValues: {
            ':to': to,
            ':type': 'patrol_decided_through',
            ...(from === undefined ? {} : { ':from': from }),
          },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async decide(decision: PatrolDecision): Promise<PatrolDecision> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...decisionKey(decision.period, decision.unit), type: 'patrol_decision', data: decision },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return decision;
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
    const stored = await this.get(decisionKey(decision.period, decision.unit));
    if (!stored) throw new Error(`decision of ${decision.unit} in ${decision.period} vanished`);
    return {
      ...(stored.data as PatrolDecision),
      ...(typeof stored.handedOverAt === 'string' ? { handedOverAt: stored.handedOverAt } : {}),
    };
  }

  async markHandedOver(period: string, unit: string, at: string): Promise<void> {
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: decisionKey(period, unit),
        UpdateExpression: 'SET handedOverAt = if_not_exists(handedOverAt, :at)',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':at': at },
      }),
    );
  }

  async remindersHandedOver(period: string): Promise<boolean> {
    return (await this.get(remindersKey(period))) !== undefined;
  }

  async markRemindersHandedOver(period: string, at: string): Promise<void> {
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...remindersKey(period), type: 'patrol_reminders', handedOverAt: at },
      }),
    );
  }
}
