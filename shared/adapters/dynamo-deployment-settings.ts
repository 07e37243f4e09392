/**
 * Facts about the deployment in the one table:
 *   pk=SETTING   sk=FIRST_STARTED   `value`: the Shanghai day (`YYYY-MM-DD`) the deployment first
 *                                   started, written once by whichever function asked first
 * (REPORTING_START's default, shared/usecases/reporting-start.ts).
 */
import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { DeploymentSettings } from '../ports/reports.js';
import { isConditionFailure } from './dynamo-conditions.js';

const FIRST_STARTED_KEY = { pk: 'SETTING', sk: 'FIRST_STARTED' };

export class DynamoDeploymentSettings implements DeploymentSettings {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async firstStartedOn(today: string): Promise<string> {
    const stored = await this.read();
    if (stored) return stored;
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...FIRST_STARTED_KEY, type: 'setting', value: today },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return today;
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      // Another function recorded it first: its day is the deployment's.
      return (await this.read()) ?? today;
    }
  }

  private async read(): Promise<string | undefined> {
    const result = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: FIRST_STARTED_KEY, ConsistentRead: true }),
    );
    return typeof result.Item?.value === 'string' ? result.Item.value : undefined;
  }
}
