/**
 * The monthly reports, their decision marks and the satellite scores in the one table:
 *   pk=REPORT#<month>        sk=AREA#<area> | CITY   a report: `data` the submission (figures frozen
 *                                                   with it), `submittedAt` beside it for the
 *                                                   condition, and the once-only marks `remindedAt`,
 *                                                   `overdueAt`, `notifiedAt`; a month's reports are
 *                                                   one partition, so the sweeper reads them with
 *                                                   one query
 *   pk=REPORTS               sk=SWEPT_THROUGH        `value`: the last month whose reports are all
 *                                                   settled (the sweeper starts after it)
 *   pk=SATELLITE#<year>      sk=AREA#<area>          a satellite enforcement score (`data`)
 * Every write is conditional where it decides something: a submission only onto an item without
 * `submittedAt`, a mark only where it is not set, the watermark only forward.
 */
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  paginateQuery,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { AreaId } from '../domain/model.js';
import { ConditionFailedError } from '../ports/index.js';
import type {
  ReportMark,
  ReportStore,
  ReportSubmission,
  ReportUnit,
  SatelliteScore,
  SatelliteScoreStore,
  StoredReport,
} from '../ports/reports.js';
import { isConditionFailure } from './dynamo-conditions.js';

const reportKey = (unit: ReportUnit, month: string) => ({
  pk: `REPORT#${month}`,
  sk: unit === 'city' ? 'CITY' : `AREA#${unit}`,
});
const WATERMARK_KEY = { pk: 'REPORTS', sk: 'SWEPT_THROUGH' };
const satelliteKey = (year: number, area: AreaId) => ({ pk: `SATELLITE#${year}`, sk: `AREA#${area}` });

function toReport(item: Record<string, unknown>): StoredReport {
  const data = (item.data ?? {}) as Partial<StoredReport>;
  const report: StoredReport = { ...data, unit: item.unit as ReportUnit, month: String(item.month) };
  for (const field of ['submittedAt', 'remindedAt', 'overdueAt', 'notifiedAt'] as const) {
    if (typeof item[field] === 'string') report[field] = item[field] as string;
  }
  return report;
}

export class DynamoReportStore implements ReportStore, SatelliteScoreStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async getReport(unit: ReportUnit, month: string): Promise<StoredReport | undefined> {
    const result = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: reportKey(unit, month), ConsistentRead: true }),
    );
    return result.Item ? toReport(result.Item) : undefined;
  }

  async listMonth(month: string): Promise<StoredReport[]> {
    const reports: StoredReport[] = [];
    const pages = paginateQuery(
      { client: this.client },
      {
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': `REPORT#${month}` },
        ConsistentRead: true,
      },
    );
    for await (const page of pages) for (const item of page.Items ?? []) reports.push(toReport(item));
    return reports;
  }

  async submit(submission: ReportSubmission): Promise<void> {
    const { unit, month, submittedAt, ...rest } = submission;
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: reportKey(unit, month),
          UpdateExpression:
            'SET #type = :type, #unit = :unit, #month = :month, #data = :data, submittedAt = :at',
          ConditionExpression: 'attribute_not_exists(submittedAt)',
          ExpressionAttributeNames: { '#type': 'type', '#unit': 'unit', '#month': 'month', '#data': 'data' },
          ExpressionAttributeValues: {
            ':type': 'monthly_report',
            ':unit': unit,
            ':month': month,
            ':data': { ...rest, submittedAt },
            ':at': submittedAt,
          },
        }),
      );
    } catch (error) {
      if (isConditionFailure(error))
        throw new ConditionFailedError(`report ${unit}/${month} was submitted already`);
      throw error;
    }
  }

  async mark(unit: ReportUnit, month: string, mark: ReportMark, at: string): Promise<boolean> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: reportKey(unit, month),
          UpdateExpression: 'SET #mark = :at, #type = :type, #unit = :unit, #month = :month',
          ConditionExpression: 'attribute_not_exists(#mark)',
          ExpressionAttributeNames: { '#mark': mark, '#type': 'type', '#unit': 'unit', '#month': 'month' },
          ExpressionAttributeValues: { ':at': at, ':type': 'monthly_report', ':unit': unit, ':month': month },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async sweptThrough(): Promise<string | undefined> {
    const result = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: WATERMARK_KEY, ConsistentRead: true }),
    );
    return typeof result.Item?.value === 'string' ? result.Item.value : undefined;
  }

  async advanceSweptThrough(month: string): Promise<void> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: WATERMARK_KEY,
          UpdateExpression: 'SET #value = :month, #type = :type',
          // `YYYY-MM` strings order as the months do.
          ConditionExpression: 'attribute_not_exists(#value) OR #value < :month',
          ExpressionAttributeNames: { '#value': 'value', '#type': 'type' },
          ExpressionAttributeValues: { ':month': month, ':type': 'report_watermark' },
        }),
      );
    } catch (error) {
      // Another sweep moved it as far or further: nothing to do.
      if (!isConditionFailure(error)) throw error;
    }
  }

  async putSatelliteScore(entry: SatelliteScore): Promise<void> {
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...satelliteKey(entry.year, entry.area), type: 'satellite_score', data: entry },
      }),
    );
  }

  async satelliteScores(year: number): Promise<SatelliteScore[]> {
    const scores: SatelliteScore[] = [];
    const pages = paginateQuery(
      { client: this.client },
      {
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': `SATELLITE#${year}` },
        ConsistentRead: true,
      },
    );
    for await (const page of pages)
      for (const item of page.Items ?? []) scores.push(item.data as SatelliteScore);
    return scores;
  }
}
